// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { layering } from './build/layering.js';

/**
 * The layering of shared/docs/architecture.md, machine-checked: each room gets a no-restricted-imports
 * rule built from build/layering.js. test/unit/layering.test.ts proves a forbidden import is caught.
 */
const roomRules = layering.map((room) => ({
  files: room.files,
  rules: {
    'no-restricted-imports': ['error', { patterns: room.forbidden }],
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
