// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'fastify',
  'bullmq',
  'ioredis',
  'jsforce',
  '@hubspot/api-client',
  'pino',
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:http',
  'node:https',
  'node:net',
  'node:child_process',
  'undici',
];

export default tseslint.config(
  { ignores: ['.tmp-*/**', 'node_modules/**', 'coverage/**', 'dist/**', 'integrations/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The scoring core is pure: no I/O, no framework.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'src/domain is pure: no I/O imports.' })),
          patterns: [
            { group: ['**/connectors/**', '**/pipeline/**', '**/http/**', '**/cli/**', '**/config/**'], message: 'src/domain must not depend on outer layers.' },
          ],
        },
      ],
    },
  },
);
