// Lint rules for the project. The workflow block enforces Temporal's determinism rules: workflow
// code (and the contract it shares with everything else) runs in a replay sandbox and must not do
// I/O or read the host. Two structural rules keep one owner per thing: the workflow bundle is
// imported only by its registration and its bundlers, and only settings modules read the environment.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Modules that perform I/O or read the host: allowed in activities, never in workflows. */
const ioModules = [
  'undici',
  'pg',
  'better-sqlite3',
  'yaml',
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
];

/** Workflow code belongs to the bundle; the shared vocabulary is in src/contract. */
const workflowBundleMessage =
  'src/workflows is the workflow bundle: import the shared vocabulary from src/contract (only the worker registration and the bundlers load the bundle).';

/** From src/: any path to the workflows folder (src has only the one). */
const workflowImportFromSrc = { regex: '(^|/)workflows(/.*)?$', message: workflowBundleMessage };

/** The determinism restrictions, shared by workflow code and the contract it imports. */
const deterministicImports = [
  ...[...nodeBuiltins, ...ioModules].map((name) => ({
    name,
    message: 'Workflow code must be deterministic: do I/O in an activity, not in a workflow.',
  })),
  {
    // The sandbox evaluates modules afresh for every run: schemas cost CPU and memory per run.
    name: 'zod',
    allowTypeImports: true,
    message: 'Validate in a local activity (src/activities/validate-input.ts), not in the workflow sandbox.',
  },
];

/**
 * The input schemas (src/contract/input) are zod values: workflow code and the rest of the contract
 * name their types only, so no schema enters the workflow bundle.
 */
const inputSchemasAsTypesOnly = {
  group: ['**/contract/input/*', './input/*'],
  allowTypeImports: true,
  message: 'The input schemas are zod values: import their types only (validation runs in a local activity).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test registers suites synchronously; their returned promises are the runner's.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Everything outside the bundle: no imports of it.
    files: ['src/**/*.ts'],
    ignores: ['src/workflows/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [workflowImportFromSrc] }] },
  },
  {
    // Tests, benchmarks, scripts and examples name the bundle by path only where they bundle it.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'examples/**/*.ts'],
    ignores: ['test/harness/bundle/index.ts', 'test/harness/bundle/next-build.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)src/workflows(/.*)?$', message: workflowBundleMessage }] },
      ],
    },
  },
  {
    // The unit tests of the pure decision modules, and the explorer that drives them, import those
    // modules (they import no workflow API value), and nothing else of the bundle.
    files: [
      'test/workflows/failover/**/*.test.ts',
      'test/workflows/cluster-ledger/**/*.test.ts',
      'test/workflows/maintenance/**/*.test.ts',
      'test/explorer/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '(^|/)src/workflows(?!/(failover/(send-protocol|verdict|preflight-reading|ledger-reading|shapes|four-eyes|activity-options)|cluster-ledger/rules|maintenance/mode-plan)$)(/.*)?$',
              message: 'Only the pure decision modules of src/workflows are unit-tested directly.',
            },
          ],
        },
      ],
    },
  },
  {
    // One settings module per process parses the environment once and passes a typed object down.
    files: ['src/**/*.ts'],
    ignores: ['src/**/settings.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            "Read the environment in the process's settings module (settings.ts) and pass the parsed settings down.",
        },
      ],
    },
  },
  {
    files: ['src/contract/**/*.ts'],
    ignores: ['src/contract/input/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: deterministicImports,
          patterns: [
            { group: ['node:*'], message: 'Workflow code must not use Node built-ins.' },
            workflowImportFromSrc,
            inputSchemasAsTypesOnly,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The contract is imported by workflow code: it must not read the host.' },
      ],
    },
  },
  {
    // The input schemas: zod is their point, but like the rest of the contract they do no I/O.
    files: ['src/contract/input/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: deterministicImports.filter((rule) => rule.name !== 'zod'),
          patterns: [
            { group: ['node:*'], message: 'The contract must not use Node built-ins.' },
            workflowImportFromSrc,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The contract is imported by workflow code: it must not read the host.' },
      ],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: deterministicImports,
          patterns: [
            { group: ['node:*'], message: 'Workflow code must not use Node built-ins.' },
            inputSchemasAsTypesOnly,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code must not read the host environment.' },
        { name: 'require', message: 'Workflow code must use static imports.' },
        { name: 'fetch', message: 'Workflow code must not do I/O: call an activity.' },
      ],
      'no-console': ['error'],
    },
  },
  {
    // The workflow bundle's modules are evaluated once and shared between runs (WORKFLOW_PRELOAD_MODULES
    // in src/worker/create-worker.ts): a variable at module scope would be one run's state seen by all.
    files: ['src/workflows/**/*.ts', 'src/contract/**/*.ts', 'src/domain/**/*.ts', 'src/vcenter/operations.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Program > VariableDeclaration[kind!="const"], Program > ExportNamedDeclaration > VariableDeclaration[kind!="const"]',
          message:
            "Workflow modules are shared between runs: keep state in a run's objects, not in a module-scope let or var.",
        },
      ],
    },
  },
  prettier,
);
