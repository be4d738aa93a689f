/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // ky and p-limit ship ES modules only; jest runs CommonJS, so swc compiles them too
  // (../shared/notes/toolchain.md, gotcha 2).
  transform: { '^.+\\.[tj]sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(ky|p-limit|yocto-queue)/)'],
  testTimeout: 30000,
};
