/** The e2e tests' own hand on the chain: a client for the anvil global setup started, and a trader. */
import { createTestClient, http, parseUnits, publicActions } from "viem";
import { foundry } from "viem/chains";
import { routerAbi, usdcAbi } from "../lib/contracts/abis";
import { anvilAccount, localSigner, readDeployment } from "../scripts/lib/localchain";

/** The GPU class the buyer tests rent; global setup starts the agents of its hosts. */
export const E2E_GPU_CLASS = "rtx-4090";

export const rpcUrl = () => {
  const url = process.env.HOURGLASS_E2E_RPC;
  if (!url) throw new Error("HOURGLASS_E2E_RPC is unset: run through `npm run test:e2e`.");
  return url;
};

export const contracts = () => readDeployment()!;

export const chain = () => createTestClient({ chain: foundry, mode: "anvil", transport: http(rpcUrl()) }).extend(publicActions);

/** Moves chain time forward (the next block carries it), as waiting would. */
export async function advanceTime(seconds: number) {
  const client = chain();
  await client.increaseTime({ seconds });
  await client.mine({ blocks: 1 });
}

/**
 * Another trader buys SCU with `usdc` USDC, moving the price up: anvil account 9, which the seed leaves
 * alone (the demo accounts are 1–3, the providers 4–6).
 */
export async function traderBuysScu(usdc: string) {
  const { USDC, ComputeCredit, Router } = contracts();
  const trader = localSigner(rpcUrl(), anvilAccount(9));
  const amount = parseUnits(usdc, 6);
  await trader.send(USDC!, usdcAbi, "faucet", [amount]);
  await trader.send(USDC!, usdcAbi, "approve", [Router!, amount]);
  const deadline = (await trader.client.getBlock()).timestamp + 600n;
  await trader.send(Router!, routerAbi, "swapExactTokensForTokens", [amount, 0n, [USDC!, ComputeCredit!], trader.address, deadline]);
}
