/** `npm run reset`: forget the local chain, so the next `npm run dev` starts from an empty one. */
import { rmSync } from "node:fs";
import path from "node:path";
import { LOCAL_CHAIN_ID } from "./lib/localchain.ts";
import { CONTRACTS_DIR, deploymentFile, STATE_DIR } from "./lib/paths.ts";
import { assertPortFree } from "./lib/proc.ts";

const rpcPort = Number(process.env.HOURGLASS_RPC_PORT ?? 8545);
try {
  await assertPortFree(rpcPort, "the chain's RPC", "set HOURGLASS_RPC_PORT to another port");
} catch {
  console.error(
    `Something still listens on port ${rpcPort}: stop \`npm run dev\` first, or anvil will write its state back.`,
  );
  process.exit(1);
}

for (const target of [
  STATE_DIR,
  deploymentFile(LOCAL_CHAIN_ID),
  path.join(CONTRACTS_DIR, "broadcast", "Deploy.s.sol", String(LOCAL_CHAIN_ID)),
]) {
  rmSync(target, { recursive: true, force: true });
}
console.log("Local chain state removed. `npm run dev` will deploy and seed a fresh chain.");
console.log("Browser wallets remember nonces per network: clear this network's activity in yours (see README).");
