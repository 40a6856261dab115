// ESLint flat config: typescript-eslint's recommended rules (syntactic: the type-aware set is left out, see below),
// one import order, no unexplained non-null assertion, and nothing that fights Prettier (eslint-config-prettier
// last). `npm run lint` runs it beside `prettier --check`; `npm run format` applies both.
//
// Not type-aware: `recommendedTypeChecked` builds the TypeScript program for all ~565 files: measured on this 2-core
// machine, 58 s of CPU against 16 s, and 4,259 findings (4,050 no-unsafe-* on the tests' `any` JSON; 0 floating or
// misused promises). `npm run typecheck` runs tsc already.
import js from '@eslint/js';
import eslintComments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Tests and their fakes: a wrong `x!` there throws and fails the test, which is the check a guard would make. */
const TESTS = ['test/**', '**/*.spec.ts', '**/*.fakes.ts', 'examples/*/test/**'];

export default tseslint.config(
  {
    // Build output, installs and every data directory a run leaves (as .gitignore).
    ignores: ['**/dist/', '**/node_modules/', 'coverage/', 'data/', '.data/', '.test-data*/', '.bench-data*/', '.bench-baseline/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  eslintComments.recommended,
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // One import order, applied by `eslint --fix`: side-effect imports ('reflect-metadata') first and in their
      // own order, then packages (node: builtins among them), then relative paths.
      'simple-import-sort/imports': 'error',
      // A non-null assertion is a claim the compiler cannot check: replace it with a check, or say why it holds,
      // `// eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- <why>`.
      '@typescript-eslint/no-non-null-assertion': 'error',
      // Every disable comment says why, after ` -- `; a disable that no longer disables
      // anything is an error too (linterOptions above).
      '@eslint-community/eslint-comments/require-description': 'error',
      // On a line of its own: Prettier moves or wraps what a trailing `eslint-disable-line` sat beside.
      '@eslint-community/eslint-comments/no-use': ['error', { allow: ['eslint-disable-next-line', 'eslint-disable', 'eslint-enable'] }],
      // `import x = require('…')` is TypeScript's typed form for a CommonJS package; a bare require() still needs a reason.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      // `_name` marks a parameter or binding kept on purpose (a callback's shape, a destructured-away field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read untyped JSON answers field by field (`body: any`), and a wrong `x!` fails the test.
    files: TESTS,
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The database boundary: a repository maps the rows its own SQL selects (`r: any` in its row mappers), and an
    // entity's jsonb column holds the JSON it was given. The types start at the mapper's return.
    files: ['**/*.repository.ts', '**/*.entity.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // class-validator's metadata and the OpenAPI generator take DTO classes as `Function` (its own type).
    files: ['src/openapi/**'],
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off' },
  },
  {
    // CommonJS: scripts run by plain node, the Jest configs, a test's child process.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
