// ESLint flat config: typescript-eslint strict type-checked everywhere, Lit rules for ui/,
// and the import boundaries of docs/architecture.md#import-boundaries as no-restricted-imports per folder.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import lit from "eslint-plugin-lit";
import litA11y from "eslint-plugin-lit-a11y";

/**
 * Boundary rule: files matching `files` must not import modules matching any of `regexes`.
 * Later entries override earlier ones, so narrower folders come after wider ones.
 */
const boundary = (files, regexes, message, extra = []) => ({
  files,
  rules: {
    "no-restricted-imports": ["error", { patterns: [...regexes.map((regex) => ({ regex, message })), ...extra] }],
  },
});

/**
 * Feature folders plug in: app.ts starts each through its `plugin.ts` (appliance/feature.ts), the
 * config loader composes its `config-schema.ts`, and nothing else outside the folder imports it.
 * `except` lists the folders a file may reach into (its own).
 */
const FEATURES = ["sync", "devices", "setup", "diagnostics", "payments", "cash", "attendance"];
const features = (except = []) =>
  FEATURES.filter((name) => !except.includes(name)).map((name) => ({
    regex: `(^|/)${name}/(?!(plugin|config-schema)\\.ts$).+`,
    message: `appliance/${name}/ is a feature: outside it, import only its plugin.ts (app.ts registers it) or its config-schema.ts`,
  }));

const NODE = "^node:";
const SQLITE = "^node:sqlite$";
const WS = "^ws$";
const HW = "^(serialport|usb|@serialport/.*)$";
const XML = "^saxes$";
const DRIVERS_DEEP = "(^|/)drivers/(?!index\\.ts$).+";
const DRIVERS_ANY = "(^|/)drivers/";
const JOURNAL = "(^|/)journal/";
const APPLIANCE = "(^|/)appliance/";
const PROTOCOL_NOT_CORE_ENTRY = "(^|/)protocol/(?!index\\.ts$).+";
const SCHEMAS = "(^|/)schemas/";
const TYPEBOX = "^typebox";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "var/**", "dist/**", "ui/dist/**", "artifacts/**", "images/build-out/**", "**/*.d.ts"],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  // main.ts and the technician CLI talk to people through the console.
  {
    files: ["appliance/main.ts", "appliance/cli/**", "tests/bench/**", "images/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
  // Tests may use non-null assertions on values they just asserted.
  {
    files: ["tests/**"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      // node:test's describe/it return promises the runner awaits itself.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            {
              from: "package",
              package: "node:test",
              name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"],
            },
          ],
        },
      ],
    },
  },
  boundary(
    ["appliance/**"],
    [WS, SQLITE, HW, DRIVERS_DEEP, XML],
    "ws only in push/, node:sqlite only in journal/, the XML parser only in pictures/, drivers only through drivers/index.ts",
    features(),
  ),
  ...FEATURES.map((name) =>
    boundary(
      [`appliance/${name}/**`],
      [WS, SQLITE, HW, DRIVERS_DEEP, XML],
      "ws only in push/, node:sqlite only in journal/, the XML parser only in pictures/, drivers only through drivers/index.ts",
      features([name]),
    ),
  ),
  // The technician's CLI is an entry point of its own, like app.ts: it runs the doctor and reads sync's state offline.
  boundary(
    ["appliance/cli/**"],
    [WS, SQLITE, HW, DRIVERS_DEEP, XML],
    "ws only in push/, node:sqlite only in journal/, the XML parser only in pictures/, drivers only through drivers/index.ts",
  ),
  boundary(
    ["appliance/push/**"],
    [SQLITE, HW, DRIVERS_DEEP, XML],
    "push/ may import ws and nothing of the hardware or node:sqlite",
    features(),
  ),
  boundary(
    ["appliance/journal/**"],
    [WS, HW, DRIVERS_DEEP, XML],
    "journal/ owns node:sqlite and nothing else of the outside",
    features(),
  ),
  boundary(
    ["appliance/pictures/**"],
    [WS, SQLITE, HW, DRIVERS_DEEP],
    "pictures/ owns the XML parser (SVG sanitising) and nothing else of the outside",
    features(),
  ),
  boundary(
    ["appliance/domain/**"],
    [NODE, JOURNAL, DRIVERS_ANY, WS, "^fastify", HW],
    "domain/ is pure: no I/O, no journal, no drivers",
    features(),
  ),
  boundary(
    ["drivers/**"],
    [HW, APPLIANCE, WS, SQLITE],
    "serialport/usb only in drivers/transport/; drivers know nothing of the appliance",
  ),
  boundary(["drivers/transport/**"], [APPLIANCE, WS, SQLITE], "drivers know nothing of the appliance"),
  boundary(
    ["protocol/**"],
    [NODE, APPLIANCE, DRIVERS_ANY, WS, HW, "^fastify"],
    "protocol/ is shared by galleyd and the screens: no Node, no appliance, no drivers",
  ),
  // The core entry (protocol/index.ts and core/) loads nothing: the schemas' types come along as types only.
  {
    files: ["protocol/index.ts", "protocol/core/**"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `${NODE}|${APPLIANCE}|${DRIVERS_ANY}|${WS}|${HW}|^fastify`,
              message: "protocol/ is shared by galleyd and the screens",
            },
            {
              regex: `${SCHEMAS}|${TYPEBOX}`,
              allowTypeImports: true,
              message: "the core entry loads no schema: import their types with `import type`",
            },
          ],
        },
      ],
    },
  },
  boundary(
    ["ui/**"],
    [NODE, DRIVERS_ANY, APPLIANCE, PROTOCOL_NOT_CORE_ENTRY, WS, HW],
    "ui/ imports protocol/index.ts (the core entry) and nothing of the server",
  ),
  {
    files: ["ui/**/*.ts"],
    ...lit.configs["flat/recommended"],
    plugins: { lit, "lit-a11y": litA11y },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...lit.configs["flat/recommended"].rules,
      ...litA11y.configs.recommended.rules,
      "@typescript-eslint/consistent-type-imports": ["error", { disallowTypeAnnotations: false }],
    },
  },
);
