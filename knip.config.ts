/**
 * knip's map of the repository, for finding unused files, exports and dependencies. Its Next, Vitest and
 * Playwright plugins find the app's routes and layouts, the unit and chain tests, and the e2e specs; the
 * package.json scripts name host/main.ts and the scripts. What it cannot see used from TypeScript is listed here.
 */
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  entry: ["scripts/*.ts", "scripts/bench/*.ts", "scripts/check/*.ts"],
  project: [
    "app/**/*.{ts,tsx,css}",
    "components/**/*.{ts,tsx}",
    "lib/**/*.{ts,tsx}",
    "host/**/*.ts",
    "scripts/**/*.ts",
    "e2e/**/*.ts",
    "*.{ts,mjs}",
  ],
  ignoreDependencies: [
    // Solidity libraries forge reads through contracts/foundry.toml's remappings, and the compiler it runs.
    "solady",
    "@openzeppelin/contracts",
    "@layerzerolabs/toolbox-foundry",
    "solc",
    // forge, anvil and cast: scripts/bin/foundry.sh runs the binaries these install.
    "@foundry-rs/anvil",
    "@foundry-rs/cast",
    "@foundry-rs/forge",
    // Uniswap v2's build artifacts, which the AMM gas bench deploys by path as its baseline.
    "@uniswap/v2-core",
    "@uniswap/v2-periphery",
  ],
  // An export its own module also uses is not dead, only visible: knip reports exports nothing uses at all.
  ignoreExportsUsedInFile: true,
  // System tools the host's runtime tests and the node image check run.
  ignoreBinaries: ["iptables", "ip6tables", "mount", "umount", "ldd"],
};

export default config;
