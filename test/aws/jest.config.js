/** @type {import('jest').Config} */
// npm run test:aws: the emulated deploy, on its own (it needs Python with moto, and a minute or two).
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/aws'],
  testPathIgnorePatterns: ['/node_modules/'],
  // One deployment shared by tests that run in order; a deploy alone takes seconds, not the default 30 s.
  testTimeout: 240000,
};
