// ESLint (typescript-eslint, type-aware): run by `npm run lint` and `npm run typecheck`.
// The Svelte components are checked by svelte-check instead.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'wallboard/dist/',
      'wallboard/bench/',
      'data/',
      '.tmp/',
      'test-artifacts/',
      '**/*.svelte',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits or catches loses its error and its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      // Contract checks match control characters on purpose, to reject them.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests read JSON replies loosely; the assertions check their shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
