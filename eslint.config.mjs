// Lint rules that keep the house in order. The core/ block is the dependency rule from
// ARCHITECTURE.md: the policy core is pure, so importing anything of the platform fails the lint.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const platformImports = {
  patterns: [
    { group: ["botbuilder", "botbuilder-*", "botframework-*"], message: "core/ is pure: no Bot Framework imports." },
    { group: ["@azure/*", "@microsoft/*"], message: "core/ is pure: no Azure or Microsoft SDK imports." },
    { group: ["node:*", "fs", "fs/*", "http", "https", "net", "child_process", "os", "path", "crypto", "worker_threads"],
      message: "core/ is pure: no Node platform modules (I/O, clock and randomness come in as arguments)." },
    { group: ["react", "react-dom", "office-js", "jose", "undici", "axios", "node-fetch"], message: "core/ is pure: no UI, HTTP or token libraries." },
    { group: ["**/bot/**", "**/tab/**", "**/addin/**"], message: "Dependencies point inwards: core/ imports nothing outside core/." },
  ],
};

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "**/dist/**", "test-output/**", "bin/**", "coverage/**", ".data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
      // Handlers implement async interfaces; some have nothing to await.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", platformImports],
      "no-restricted-globals": ["error",
        { name: "fetch", message: "core/ is pure: no network." },
        { name: "process", message: "core/ is pure: configuration comes in as arguments." },
        { name: "setTimeout", message: "core/ is pure: no timers." },
        { name: "setInterval", message: "core/ is pure: no timers." }],
      "no-restricted-properties": ["error",
        { object: "Date", property: "now", message: "core/ is pure: `now` comes in as an argument." },
        { object: "Math", property: "random", message: "core/ is pure: ids and randomness come in as arguments." }],
      "no-restricted-syntax": ["error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "core/ is pure: `now` comes in as an argument." }],
    },
  },
  {
    files: ["bot/src/services/**/*.ts", "bot/src/ports/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["botbuilder", "botbuilder-*", "@azure/*", "@microsoft/*"], message: "Services and ports depend on core and ports only; SDKs live in adapters/." },
        { group: ["**/adapters/**"], message: "Dependencies point inwards: services do not import adapters." },
      ] }],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
