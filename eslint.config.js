import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import layers from "./tools/eslint-plugin-layers.js";

export default [
  { ignores: ["dist/**", "release/**", "node_modules/**", "test-results/**", "playwright-report/**", "e2e/artifacts/**", "bench/tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { layers },
    rules: {
      "layers/imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["error", "warn"] }],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    files: ["**/*.{js,mjs,cjs}", "scripts/**", "tools/**", "bin/**"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["test/**", "e2e/**", "bench/**"],
    rules: { "no-console": "off" },
  },
];
