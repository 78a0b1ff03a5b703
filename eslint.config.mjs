import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test/bench/results/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // The pure core: no framework, store client or HTTP code may leak into the domain or the read models.
    files: ['libs/domain/**/*.ts', 'libs/projections/src/**/*.ts'],
    ignores: ['libs/projections/src/**/*.module.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', '@eventstore/*', 'better-sqlite3', 'fastify', '@fastify/*'] }],
    },
  },
);
