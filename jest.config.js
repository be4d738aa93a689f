/** @type {import('jest').Config} */
// The SDK warns on every client that Node 20 support ends in 2027; the notice is known (README, Requirements).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The emulated AWS deploy is its own step (npm run test:aws, run by .ci/run): it needs Python with moto,
  // and with the fault matrix the rest of the suite is already past the three minutes it could share.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/aws/'],
  // ky and p-limit ship ES modules only; jest runs CommonJS, so swc compiles them too
  // (../shared/notes/toolchain.md, gotcha 2).
  transform: { '^.+\\.[tj]sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(ky|p-limit|yocto-queue)/)'],
  testTimeout: 30000,
  // Two workers on a two-core machine: the chaos matrix's files run side by side (jest would use one).
  maxWorkers: 2,
};
