import type { Page } from "@playwright/test";
import { createPublicClient, http, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { computeCreditAbi, scuUsdcPoolAbi, usdcAbi } from "../lib/contracts/abis";
import { contracts, rpcUrl, trader, tradeBeforeNextTransaction } from "./anvil";
import { expect, test } from "./fixtures";

// The LP tests run after every other test (their own Playwright project), one after the other: other tests'
// trades would otherwise move the price between a preview and its transaction.
test.describe.configure({ mode: "serial" });

const client = () => createPublicClient({ transport: http(rpcUrl()) });

/** The burner's address, from the key it keeps in this browser. */
async function burnerAddress(page: Page): Promise<Address> {
  const key = await page.evaluate(() => localStorage.getItem("hourglass.burner.key"));
  return privateKeyToAccount(key as `0x${string}`).address;
}

async function balances(account: Address) {
  const { USDC, ComputeCredit } = contracts();
  const [usdc, scu] = await Promise.all([
    client().readContract({ address: USDC!, abi: usdcAbi, functionName: "balanceOf", args: [account] }),
    client().readContract({
      address: ComputeCredit!,
      abi: computeCreditAbi,
      functionName: "balanceOf",
      args: [account],
    }),
  ]);
  return { usdc, scu };
}

/** A fresh LP with test USDC, some of it swapped for SCU, and 1,000 USDC of liquidity in the pool. */
async function becomeLp(page: Page, connectBurner: () => Promise<void>, takeTestUsdc: (a: string) => Promise<void>) {
  await connectBurner();
  await takeTestUsdc("5,000");
  await page.goto("/swap");
  await page.getByTestId("swap-amount").fill("2000");
  await page.getByRole("button", { name: "Swap USDC for SCU" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Swap 2,000 USDC for SCU" })).toContainText(/Confirmed/);

  await page.goto("/pool");
  await expect(page.getByTestId("position-none")).toBeVisible();
  await page.getByTestId("add-usdc").fill("1000");
  await expect(page.getByTestId("add-preview-shares")).not.toHaveText("—");
  await page.locator("form").getByRole("button", { name: "Add liquidity" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Add 1,000 USDC/ })).toContainText(/Confirmed/);
  await expect(page.getByTestId("position-shares")).not.toHaveAttribute("data-value", "0");
  return BigInt((await page.getByTestId("position-shares").getAttribute("data-value"))!);
}

test("an LP earns its part of another account's swap fees, then removes exactly what the preview promised", async ({
  page,
  connectBurner,
  takeTestUsdc,
}) => {
  test.setTimeout(120_000);
  const shares = await becomeLp(page, connectBurner, takeTestUsdc);
  const lp = await burnerAddress(page);

  // Account B swaps both ways.
  const b = trader(8);
  await b.buyScu("2000");
  await b.sellAllScu();

  // What A should have earned, from the chain alone: for each of B's swaps, its fee × A's shares ÷ the supply then.
  const { ScuUsdcPool, ComputeCredit } = contracts();
  const pool = { address: ScuUsdcPool!, abi: scuUsdcPoolAbi } as const;
  const scuIsToken0 =
    (await client().readContract({ ...pool, functionName: "token0" })).toLowerCase() === ComputeCredit!.toLowerCase();
  const swaps = await client().getContractEvents({
    ...pool,
    eventName: "Swap",
    args: { to: b.address },
    fromBlock: 0n,
  });
  expect(swaps).toHaveLength(2);
  const expected = { usdc: 0n, scu: 0n };
  for (const swap of swaps) {
    const supply = await client().readContract({ ...pool, functionName: "totalSupply", blockNumber: swap.blockNumber });
    const earned = (swap.args.fee! * shares) / supply;
    if (swap.args.zeroForOne === scuIsToken0) expected.scu += earned;
    else expected.usdc += earned;
  }
  expect(expected.usdc).toBeGreaterThan(0n);
  expect(expected.scu).toBeGreaterThan(0n);

  const fees = page.getByTestId("position-fees");
  // Within rounding: the page sums exact parts and rounds once; this rounds each swap's part down.
  const gap = async () => ({
    usdc: BigInt((await fees.getAttribute("data-usdc")) ?? "0") - expected.usdc,
    scu: BigInt((await fees.getAttribute("data-scu")) ?? "0") - expected.scu,
  });
  await expect.poll(async () => Object.values(await gap()).every((d) => d >= 0n && d <= 1n)).toBe(true);

  // A removes everything: its balances move by exactly the preview.
  await page.getByRole("tab", { name: "Remove liquidity" }).click();
  const preview = page.getByTestId("remove-preview");
  await expect(preview).not.toHaveText("—");
  const promised = {
    usdc: BigInt((await preview.getAttribute("data-usdc"))!),
    scu: BigInt((await preview.getAttribute("data-scu"))!),
  };
  const before = await balances(lp);
  await page.locator("form").getByRole("button", { name: "Remove liquidity" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Remove .* LP shares/ })).toContainText(/Confirmed/);
  const after = await balances(lp);
  expect({ usdc: after.usdc - before.usdc, scu: after.scu - before.scu }).toEqual(promised);
  await expect(page.getByTestId("position-shares")).toHaveAttribute("data-value", "0");
});

test("a removal with minimums too tight for a concurrent price move shows the decoded error and changes nothing", async ({
  page,
  connectBurner,
  takeTestUsdc,
}) => {
  test.setTimeout(120_000);
  const shares = await becomeLp(page, connectBurner, takeTestUsdc);
  const lp = await burnerAddress(page);
  await page.getByRole("tab", { name: "Remove liquidity" }).click();
  await page.getByTestId("lp-slippage").fill("0.01");
  await expect(page.getByTestId("remove-preview")).not.toHaveText("—");
  const before = await balances(lp);

  // After the wallet signed and before the chain has the removal, another trader buys SCU.
  const move = await tradeBeforeNextTransaction(page, () => trader(7).buyScu("5000"));
  await page.locator("form").getByRole("button", { name: "Remove liquidity" }).click();
  await expect(page.getByTestId("remove-error")).toHaveText(
    /^The price moved: this would move [\d.,]+ SCU, below your minimum of [\d.,]+ SCU\./,
  );
  expect(move.moved).toBe(true);
  expect(await balances(lp)).toEqual(before);
  await expect(page.getByTestId("position-shares")).toHaveAttribute("data-value", String(shares));
});
