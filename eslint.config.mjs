import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

/**
 * The module map (docs/modules.md) as lint: who may import whom. Paths are matched after resolution, so a
 * relative import and an `@/` import of the same file are the same import.
 */
const BROWSER = ["./components", "./lib/hooks", "./lib/wagmi"];
const SHARED_DOMAIN = [
  "./lib/amm",
  "./lib/scu",
  "./lib/jobs",
  "./lib/pool",
  "./lib/market",
  "./lib/provider",
  "./lib/protocol",
  "./lib/verification",
];
const boundaries = [
  {
    target: ["./components", "./app"],
    from: "./lib/contracts",
    except: ["./constants.ts"],
    message:
      "Components and pages render and call hooks or server reads: ABIs live with the calls in lib/ (writes in lib/hooks); only the contracts' constants are theirs to show (docs/modules.md).",
  },
  {
    target: ["./components", "./app"],
    from: "./lib/pool/calls.ts",
    message:
      "Components and pages do not build contract calls: the pool is read by lib/hooks/usePool and the server reads (docs/modules.md).",
  },
  {
    target: [...BROWSER, ...SHARED_DOMAIN, "./lib/*.ts"],
    from: "./lib/server",
    message:
      "lib/server is server-only: browser and shared modules import the shapes from lib/protocol (docs/modules.md).",
  },
  {
    target: [...SHARED_DOMAIN, "./lib/*.ts", "./lib/server"],
    from: ["./lib/hooks", "./lib/wagmi", "./components"],
    message:
      "Shared and server modules run in the host agent and the routes too: they never import browser code (docs/modules.md).",
  },
  {
    target: "./host",
    from: ["./app", "./components"],
    message: "The host agent is its own program: no web code (docs/modules.md).",
  },
  {
    target: "./host",
    from: "./lib",
    except: [
      "./protocol",
      "./jobs",
      "./scu",
      "./verification",
      "./contracts",
      "./chain.ts",
      "./errors.ts",
      "./gas.ts",
      "./limits.ts",
      "./logs.ts",
      "./oracle.ts",
      "./math.ts",
      "./json.ts",
      "./time.ts",
    ],
    message:
      "The host agent imports only the protocol, jobs, SCU, verification, bindings, chain and small shared modules of lib/ (docs/modules.md).",
  },
  {
    target: ["./app", "./components", "./lib", "./host", "./scripts"],
    from: "./e2e",
    message: "Nothing imports the browser tests (e2e/); shared test tooling lives in scripts/lib (docs/modules.md).",
  },
];

/** Zones for shipped code only (tests are exempt). */
const shippedOnly = [
  {
    target: "./lib",
    from: ["./app", "./components", "./host", "./scripts"],
    message:
      "lib/ is the bottom layer: it never imports the app, components, the host agent or scripts (docs/modules.md).",
  },
  { target: "./host", from: "./scripts", message: "The host agent never imports dev scripts (docs/modules.md)." },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: { "import/no-restricted-paths": ["error", { zones: boundaries }] },
  },
  {
    // Shipped code stands on its own; tests may drive it with the local-chain harness in scripts/lib and call routes.
    files: ["lib/**/*.{ts,tsx}", "host/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "import/no-restricted-paths": ["error", { zones: [...boundaries, ...shippedOnly] }] },
  },
  {
    // Playwright fixtures hand values on through a callback named `use`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  prettier,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "contracts/out/**",
      "contracts/cache/**",
      "contracts/lib/**",
      "lib/contracts/abis.ts",
      "lib/contracts/deployments.ts",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
];

export default config;
