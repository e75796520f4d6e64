// One jest run for the whole workspace: a `unit` project (pure logic, memory adapters,
// fake clocks) and an `integration` project (real Kafka, real Redis, real sockets and
// processes). The integration project's global setup starts one Kafka broker and one
// Redis server for the whole run and stops them afterwards, even when tests fail.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};
// test/: the workspace's own tests (its lint configuration).
const roots = ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/test'];
const testPathIgnorePatterns = ['/node_modules/', '/dist/'];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      roots,
      transform,
      testPathIgnorePatterns,
      testMatch: ['**/test/unit/**/*.test.ts'],
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      roots,
      transform,
      testPathIgnorePatterns,
      testMatch: ['**/test/integration/**/*.test.ts'],
      testEnvironment: 'node',
      globalSetup: '<rootDir>/packages/testkit/dist/jest-global-setup.js',
      globalTeardown: '<rootDir>/packages/testkit/dist/jest-global-teardown.js',
      // Per-test timeout of the integration project (testTimeout is global-only in jest 29).
      setupFilesAfterEnv: ['<rootDir>/packages/testkit/dist/jest-integration-timeout.js'],
    },
    {
      // The deployment tier (`npm run test:k8s`, not part of `npm test`): the container image
      // built by podman and a real Kubernetes control plane with Prometheus.
      displayName: 'k8s',
      roots,
      transform,
      testPathIgnorePatterns,
      testMatch: ['**/test/k8s/**/*.test.ts'],
      testEnvironment: 'node',
    },
  ],
};
