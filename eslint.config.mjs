import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'simulator/dist/', 'node_modules/', '.demo/', '.ci/cache/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.ts', 'simulator/src/**/*.ts'],
    extends: [tseslint.configs.strict],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.mocha } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  {
    // Editor scripts: run in the browser, next to Node-RED's editor (RED, jQuery).
    files: ['resources/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, RED: 'readonly', $: 'readonly' },
    },
  },
  {
    files: ['src/dsm/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node-red', '@node-red/*', '*/nodes/*'] }],
    },
  },
  {
    // The simulator is written from the DSM documents, never from our client.
    files: ['simulator/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node-red',
            '@node-red/*',
            '@synoflow/node-red-synology',
            '**/src/dsm/*',
            '**/src/nodes/*',
          ],
        },
      ],
    },
  },
  prettier,
);
