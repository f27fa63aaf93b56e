import { describe, expect, it } from "vitest";
import { getAmountIn, maximumSent } from "../amm/quote";
import { jobCost } from "./cost";
import { quoteJob, refundIfEndedAfter } from "./quote";

const H100 = 2_283_000_000_000_000_000n;
const pool = { scu: 100_000n * 10n ** 18n, usdc: 140_000n * 10n ** 6n, fee: 30n };

describe("quoteJob", () => {
  it("buys exactly the SCU the escrow locks, at the router's price, with the slippage ceiling", () => {
    const q = quoteJob({ gpus: 2, ratingWad: H100, seconds: 3 * 3600, pool, slippageBps: 50n });
    expect(q.scu).toBe(jobCost(2, H100, 3 * 3600));
    if ("error" in q.purchase) throw new Error(q.purchase.error);
    expect(q.purchase.usdcIn).toBe(getAmountIn(q.scu, pool.usdc, pool.scu, pool.fee));
    expect(q.purchase.maxUsdcIn).toBe(maximumSent(q.purchase.usdcIn, 50n));
    expect(q.purchase.feeUsdc).toBe((q.purchase.usdcIn * 30n) / 10_000n);
    // 13.698 SCU of 100,000: the impact is that share of the pool, about 0.0137%.
    expect(Number(q.purchase.priceImpactWad) / 1e18).toBeCloseTo(13.698 / 100_000, 6);
  });

  it("says why a job cannot be bought: no pool, or one too shallow", () => {
    expect(quoteJob({ gpus: 1, ratingWad: H100, seconds: 3600, pool: undefined, slippageBps: 50n }).purchase).toEqual({
      error: "The SCU/USDC pool has no liquidity yet.",
    });
    const huge = quoteJob({
      gpus: 8,
      ratingWad: H100,
      seconds: 7 * 24 * 3600,
      pool: { ...pool, scu: 1_000n * 10n ** 18n },
      slippageBps: 50n,
    });
    expect(huge.purchase).toEqual({
      error: "The pool is too shallow for a job this size: ask for fewer GPUs or hours.",
    });
  });
});

describe("refundIfEndedAfter", () => {
  it("returns what the host does not bill: the unused seconds, all but the first minute at zero, nothing at the end", () => {
    const locked = jobCost(1, H100, 3600);
    expect(refundIfEndedAfter(locked, 0, 3600)).toBe(locked - (locked * 60n + 3599n) / 3600n);
    expect(refundIfEndedAfter(locked, 30 * 60, 3600)).toBe(locked / 2n);
    expect(refundIfEndedAfter(locked, 61, 3600)).toBe(locked - (locked * 61n + 3599n) / 3600n);
    expect(refundIfEndedAfter(locked, 3600, 3600)).toBe(0n);
    expect(refundIfEndedAfter(locked, 7200, 3600)).toBe(0n);
  });
});
