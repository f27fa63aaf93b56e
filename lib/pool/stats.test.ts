import { expect, it } from "vitest";
import type { PoolEvent } from "./history";
import { poolFigures, poolSeries } from "./stats";

const R = "0x00000000000000000000000000000000000000f0" as const;
// token0 = USDC. Reserves after: 140,000 USDC / 100,000 SCU ($1.40).
const swap = (t: number, usdcIn: boolean, amountIn: bigint, amountOut: bigint, fee: bigint): PoolEvent => ({
  blockNumber: BigInt(t),
  logIndex: 0,
  t,
  txHash: "0x01",
  kind: "swap",
  sender: R,
  to: R,
  zeroForOne: usdcIn,
  amountIn,
  amountOut,
  fee,
  reserve0: 140_000_000_000n,
  reserve1: 100_000n * 10n ** 18n,
});
const reserves = { usdc: 140_000_000_000n, scu: 100_000n * 10n ** 18n };

it("counts swaps in the window by their USDC side, fees in USDC, and annualises fees over TVL", () => {
  const events = [
    swap(1_000, true, 1_000_000_000n, 700n * 10n ** 18n, 3_000_000n), // before the window
    swap(90_000, true, 1_000_000_000n, 700n * 10n ** 18n, 3_000_000n), // $1,000 in, $3 fee
    swap(95_000, false, 700n * 10n ** 18n, 990_000_000n, 21n * 10n ** 17n), // $990 out, 2.1 SCU fee = $2.94
  ];
  const f = poolFigures(events, reserves, false, 100_000, 86_400);
  expect(f.price).toBe(1_400_000n);
  expect(f.tvl).toBe(280_000_000_000n);
  expect(f.volume).toBe(1_990_000_000n);
  expect(f.fees).toBe(5_940_000n);
  expect(f.swaps).toBe(2);
  // $5.94 a day on $280,000 is 0.774% a year.
  expect(Number(f.aprWad) / 1e16).toBeCloseTo((5.94 * 365 * 100) / 280_000, 6);
});

it("buckets volume and fees, carrying price and TVL forward through quiet buckets", () => {
  const events = [swap(1_000, true, 1_000_000_000n, 1n, 3_000_000n), swap(4_000, true, 2_000_000_000n, 1n, 6_000_000n)];
  const series = poolSeries(events, false, 0, 5_400, 1_800);
  // Nothing before the first event; then one point per bucket.
  expect(series.map((p) => [p.t, p.volume, p.fees])).toEqual([
    [0, 1_000, 3],
    [1_800, 0, 0],
    [3_600, 2_000, 6],
  ]);
  expect(series.every((p) => p.price === 1.4 && p.tvl === 280_000)).toBe(true);
});
