// The lint of the whole workspace: the structure the architecture relies on, checked on every
// change (`npm run lint`, and in `npm test` by tools/lint/test/unit/lint-tree.test.ts):
// - no import cycles between the files of a package;
// - a package is reached by its name, never by a relative path into its folder nor a deep
//   import into its src/ or dist/ (a `testing` subpath is the one way into test helpers);
// - a package imports only what its package.json declares;
// - services never import each other (only the all-in-one server composes them);
// - only the composition root (main.ts files, the all-in-one server and the package that builds
//   the real infrastructure) imports the real adapters: kafkajs, ioredis and their adapters;
// - the client SDK imports no server package: only @parley/protocol.
// Beside them ESLint's and typescript-eslint's recommended rules. No rule needs type
// information, so the whole tree lints in seconds.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');

/** Every deployable service; each is a library plus a main.ts. */
const SERVICES = ['@parley/gateway', '@parley/sequencer', '@parley/delivery', '@parley/api', '@parley/server'];
/** Real adapters, their clients and the package that builds them: for the composition root only. */
const REAL_ADAPTERS = ['@parley/kafka', '@parley/redis', 'kafkajs', 'ioredis', '@parley/composition'];
/** The composition root's library: builds the real infrastructure (or the in-memory one) from the configuration. */
const COMPOSITION_PACKAGES = ['packages/composition'];
/** Workspace packages a browser or Node application may get with the SDK. */
const CLIENT_ALLOWED = ['@parley/protocol'];

const sourceFiles = ['**/*.ts'];
const libraryFiles = (dir) => [`${dir}/src/**/*.ts`];

const restricted = (paths, message, extraPatterns = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: [
        ...paths.map((name) => ({ group: [`${name}/*`], message })),
        ...DEEP_IMPORTS,
        ...extraPatterns,
      ],
    },
  ],
});

/** Another package's files are reached through its entry points, never its folders. */
const DEEP_IMPORTS = [
  {
    group: ['@parley/*/src', '@parley/*/src/**', '@parley/*/dist', '@parley/*/dist/**', '@parley/*/test', '@parley/*/test/**'],
    message: "import the package by its name (or its `testing` subpath), not a file inside it",
  },
];

module.exports = [
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/src/gen/**', '**/*.d.ts', '**/coverage/**', '.turbo/**', 'test-artifacts/**'],
  },
  { files: sourceFiles, ...js.configs.recommended },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: sourceFiles })),
  {
    files: sourceFiles,
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      // `_name` marks what is left out on purpose (a destructured field dropped, an argument a callback ignores).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A callback that reads a variable assigned once further down (a subscription, a handle) needs `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Synchronous lazy loads are deliberate (the native uWS build with its banner silenced, kafkajs'
      // error table, a module whose load must wait for a check): `require` stays allowed.
      '@typescript-eslint/no-require-imports': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-relative-packages': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-extraneous-dependencies': [
        'error',
        { devDependencies: ['**/test/**', '**/testing/**', 'bench/**', 'deploy/**', 'jest.config.js', 'eslint.config.js', 'tools/**'], includeTypes: true },
      ],
      'no-restricted-imports': ['error', { patterns: DEEP_IMPORTS }],
    },
  },
  // Services' library code: no other service, no real adapter (main.ts is the composition root).
  {
    files: ['services/*/src/**/*.ts'],
    ignores: ['services/server/src/**', 'services/*/src/main.ts'],
    rules: restricted(
      [...SERVICES, ...REAL_ADAPTERS],
      'a service library receives the ports it uses: it imports no other service and no real adapter (only main.ts and the all-in-one server build adapters)',
    ),
  },
  {
    files: ['services/*/src/main.ts'],
    ignores: ['services/server/src/**'],
    rules: restricted(SERVICES, 'services never import each other (only the all-in-one server composes them)'),
  },
  // Shared packages: none imports a service or a real adapter, except the adapters themselves
  // (each its own client) and the package that builds the real infrastructure.
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/kafka/**', 'packages/redis/**', 'packages/client/**', 'packages/loadtest/**', 'packages/testkit/**', 'packages/deploy-check/**', ...COMPOSITION_PACKAGES.map((p) => `${p}/**`)],
    rules: restricted([...SERVICES, ...REAL_ADAPTERS], 'shared packages stay below the services and independent of the real adapters (only the composition root builds them)'),
  },
  {
    files: [...libraryFiles('packages/kafka')],
    rules: restricted([...SERVICES, '@parley/redis', 'ioredis'], 'an adapter package uses its own client only'),
  },
  {
    files: [...libraryFiles('packages/redis')],
    rules: restricted([...SERVICES, '@parley/kafka', 'kafkajs'], 'an adapter package uses its own client only'),
  },
  // The client SDK runs in browsers and applications: the protocol package only.
  {
    files: ['packages/client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...SERVICES, ...REAL_ADAPTERS].map((name) => ({ name, message: 'the client SDK imports no server package (only @parley/protocol)' })),
          patterns: [
            ...DEEP_IMPORTS,
            {
              group: ['@parley/*', ...CLIENT_ALLOWED.map((name) => `!${name}`)],
              message: 'the client SDK imports no server package (only @parley/protocol)',
            },
          ],
        },
      ],
    },
  },
];
