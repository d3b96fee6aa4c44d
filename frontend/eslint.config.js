// ESLint (flat config): TypeScript with type information, React's hook rules, and the
// import boundaries between the SPA's folders (see README.md, "Organização").
import { readdirSync } from "node:fs";
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** Every folder under src/features is one feature: it may not reach into another. */
const features = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((entrada) => entrada.isDirectory())
  .map((entrada) => entrada.name);

const fronteiras = [
  // lib is the bottom: API client, session, formatting. It knows no screen.
  {
    target: "./src/lib",
    from: ["./src/components", "./src/features", "./src/app"],
    message: "src/lib não importa componentes, features nem o app.",
  },
  // Shared components serve every feature and know none.
  {
    target: "./src/components",
    from: ["./src/features", "./src/app"],
    message: "src/components não importa features nem o app.",
  },
  // A feature uses lib and components, never another feature nor the app shell.
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: "./src/features",
    except: [`./${feature}`],
    message:
      "Uma feature não importa outra: o que duas features usam vai para src/lib ou src/components.",
  })),
  {
    target: "./src/features",
    from: "./src/app",
    message: "Features não importam o app (rotas, guardas): o app é quem importa as features.",
  },
];

export default defineConfig([
  globalIgnores(["dist/", "node_modules/", "src/lib/api-types.ts"]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: fronteiras }],
      // `onClick={() => consulta.refetch()}`: React ignores what a handler returns, and
      // TanStack Query's refetch never rejects. Promises elsewhere are still checked.
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      // `_` marks a parameter or a removed property as deliberately unused.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The API layer answers what the spec says, never what a cast claims: the typed
    // client (src/lib/api/cliente.ts) gives each answer its type. `as const` stays.
    files: ["src/lib/api/**/*.ts", "src/lib/http.ts", "src/features/*/api.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/consistent-type-assertions": ["error", { assertionStyle: "never" }],
    },
  },
  {
    // Requests go through the typed client; only tests stub fetch.
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/**/*.test.{ts,tsx}", "src/test/**"],
    rules: {
      "no-restricted-globals": [
        "error",
        {
          name: "fetch",
          message: "Chame a API pelo cliente tipado (src/lib/api/cliente.ts).",
        },
      ],
    },
  },
  {
    // Tests: `await act(async () => …)` flushes React's pending work even with no await
    // inside, and fixtures read request bodies with JSON.parse (any) on purpose.
    files: ["src/**/*.test.{ts,tsx}", "src/test/**"],
    rules: {
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
    },
  },
  {
    // Plain JavaScript (this file, scripts/): Node, no type information.
    files: ["**/*.{js,mjs}"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
]);
