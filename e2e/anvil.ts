/** The e2e tests' own hand on the chain: a client for the anvil global setup started, and a trader. */
import type { Page } from "@playwright/test";
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

export const chain = () =>
  createTestClient({ chain: foundry, mode: "anvil", transport: http(rpcUrl()) }).extend(publicActions);

/**
 * Runs `trade` (another account's) after the wallet in `page` has signed its next transaction and before the
 * chain has it: the page's eth_sendRawTransaction waits until the trade is mined. `moved` says it happened.
 */
export async function tradeBeforeNextTransaction(page: Page, trade: () => Promise<void>) {
  const rpc = new URL(rpcUrl());
  const state = { moved: false };
  await page.route(
    (url) => url.origin === rpc.origin,
    async (route) => {
      const body = route.request().postDataJSON() as { method?: string } | { method?: string }[] | null;
      if (!state.moved && [body].flat().some((call) => call?.method === "eth_sendRawTransaction")) {
        state.moved = true;
        await trade();
      }
      await route.continue();
    },
  );
  return state;
}

/** Moves chain time forward (the next block carries it), as waiting would. */
export async function advanceTime(seconds: number) {
  const client = chain();
  await client.increaseTime({ seconds });
  await client.mine({ blocks: 1 });
}

/**
 * Another trader on the pool, from anvil account `index` (the seed leaves 7–9 alone: the demo accounts are
 * 1–3, the providers 4–6). Each takes its USDC from the faucet once (its cooldown is an hour), so each test
 * uses its own.
 */
export function trader(index: 7 | 8 | 9) {
  const { USDC, ComputeCredit, Router } = contracts();
  const signer = localSigner(rpcUrl(), anvilAccount(index));
  const swap = async (amountIn: bigint, path: `0x${string}`[]) => {
    await signer.send(path[0]!, usdcAbi, "approve", [Router!, amountIn]);
    const deadline = (await signer.client.getBlock()).timestamp + 600n;
    await signer.send(Router!, routerAbi, "swapExactTokensForTokens", [amountIn, 0n, path, signer.address, deadline]);
  };
  return {
    address: signer.address,
    /** Buys SCU with `usdc` USDC from the faucet, moving the price up. */
    async buyScu(usdc: string) {
      const amount = parseUnits(usdc, 6);
      await signer.send(USDC!, usdcAbi, "faucet", [amount]);
      await swap(amount, [USDC!, ComputeCredit!]);
    },
    /** Sells all the SCU it holds. */
    async sellAllScu() {
      const balance = await signer.client.readContract({
        address: ComputeCredit!,
        abi: usdcAbi,
        functionName: "balanceOf",
        args: [signer.address],
      });
      await swap(balance, [ComputeCredit!, USDC!]);
    },
  };
}
