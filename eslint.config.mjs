// ESLint with typescript-eslint's type-checked rules; Prettier owns the layout (eslint-config-prettier).
// The direction of imports and the purity of the core are checked by test/architecture.test.ts.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      'test-artifacts/',
      'report/',
      '.crawlguard/',
      'bench/.bundle-*/',
      'bench/.profile/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bin/*.js', 'test/aws/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Small files and functions (STYLE.md): the limits the codebase keeps.
      'max-lines': ['error', { max: 300 }],
      'max-lines-per-function': ['error', { max: 60 }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // A test file is a list of test blocks; its helpers keep to 60 lines like any function, its blocks do not.
    files: ['test/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
  },
  prettier,
);
