// Lint rules for the project. The workflow block enforces Temporal's determinism rules:
// workflow code runs in a replay sandbox and must not do I/O or read the host.
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
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
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
          ],
          patterns: [{ group: ['node:*'], message: 'Workflow code must not use Node built-ins.' }],
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
  prettier,
);
