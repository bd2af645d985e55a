// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { layeringPlugin } from './build/eslint-layering.js';
import { layering } from './build/layering.js';

/**
 * The layering of shared/docs/architecture.md, machine-checked: each room gets the layering/imports rule
 * (build/eslint-layering.js) built from build/layering.js. It sees every import form (static, import(),
 * require, export-from, import = require, import() types), which no-restricted-imports does not.
 * test/unit/layering.test.ts proves each forbidden form is caught.
 */
const roomRules = layering.map((room) => ({
  files: room.files,
  plugins: { layering: layeringPlugin },
  rules: {
    'layering/imports': ['error', { forbidden: room.forbidden }],
  },
}));

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'build/out/**', 'build/release/**', 'build/tmp/**', 'coverage/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        document: 'readonly',
        window: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true } }],
    },
  },
  {
    files: ['test/support/closing-line-reporter.ts', '*.config.ts', '*.config.js', 'renderer/vite.config.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  ...roomRules,
);
