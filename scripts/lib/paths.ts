/** Where things live in the repository, for every script and test harness. */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CONTRACTS_DIR = path.join(ROOT, "contracts");
export const ARTIFACTS_DIR = path.join(CONTRACTS_DIR, "out");
export const GENERATED_DIR = path.join(ROOT, "lib/contracts");
export const DEPLOYMENTS_DIR = path.join(GENERATED_DIR, "deployments");
/** Local, per-machine state: the anvil chain state and run logs. Deleted by `npm run reset`. */
export const STATE_DIR = path.join(ROOT, ".hourglass");
export const BIN = path.join(ROOT, "node_modules/.bin");
/** forge, anvil and cast: scripts/bin/foundry.sh says why not node_modules/.bin's launchers. */
export const FOUNDRY_BIN = path.join(ROOT, "scripts/bin");

/** The deploy script's GPU classes, generated from lib/scu/gpus.json. */
export const GPU_CLASSES_FILE = path.join(CONTRACTS_DIR, "script", "gpu-classes.json");

export const deploymentFile = (chainId: number) => path.join(DEPLOYMENTS_DIR, `${chainId}.json`);
