import { describe, expect, it } from "vitest";
import type { ReserveEvent } from "../pool/history";
import type { ServedJob } from "./dashboard";
import { earningsSeries, priceAt, utilizationSeries } from "./stats";

const job = (over: Partial<ServedJob>): ServedJob => ({
  id: 1n,
  hostId: 1,
  buyer: "0x0000000000000000000000000000000000000001",
  status: "settled",
  gpus: 2,
  locked: 0n,
  used: 0n,
  createdAt: 0,
  startedAt: 0,
  endedAt: 0,
  disputeEndsAt: 0,
  paid: 0n,
  settledAt: undefined,
  dispute: undefined,
  ...over,
});
const sync = (t: number, scu: bigint, usdc: bigint): ReserveEvent =>
  ({ kind: "sync", t, blockNumber: 1n, logIndex: 0, txHash: "0x", reserve0: scu, reserve1: usdc }) as ReserveEvent;
const SCU = 10n ** 18n;

describe("priceAt", () => {
  it("takes the price after the last reserve change at or before t, and 0 before any", () => {
    const price = priceAt([sync(100, 1000n * SCU, 1_400_000_000n), sync(200, 1000n * SCU, 2_000_000_000n)], true);
    expect(price(99)).toBe(0n);
    expect(price(100)).toBe(1_400_000n);
    expect(price(199)).toBe(1_400_000n);
    expect(price(500)).toBe(2_000_000n);
    // With SCU as token1 the reserves swap places.
    expect(priceAt([sync(0, 1_400_000_000n, 1000n * SCU)], false)(0)).toBe(1_400_000n);
  });
});

describe("earningsSeries", () => {
  it("books each payment in its settlement's bucket at the price then, and runs a total from before the range", () => {
    const price = (t: number) => (t < 150 ? 1_000_000n : 2_000_000n); // $1 then $2 per SCU
    const jobs = [
      job({ paid: 3n * SCU, settledAt: 50 }), // before the range: in the total only
      job({ paid: 1n * SCU, settledAt: 110 }),
      job({ paid: 2n * SCU, settledAt: 160 }),
      job({ paid: 0n, settledAt: 170 }), // refunded in full: no earning
      job({ paid: 0n }), // not settled
    ];
    expect(earningsSeries(jobs, price, 100, 300, 100)).toEqual([
      { t: 100, scu: 3, usd: 5, totalUsd: 8 },
      { t: 200, scu: 0, usd: 0, totalUsd: 8 },
    ]);
    expect(earningsSeries(jobs, price, 100, 200, 50)).toEqual([
      { t: 100, scu: 1, usd: 1, totalUsd: 4 },
      { t: 150, scu: 2, usd: 4, totalUsd: 8 },
    ]);
  });
});

describe("utilizationSeries", () => {
  it("counts GPU-hours run (to now while running) against GPU-hours listed, per bucket", () => {
    const listings = [{ gpuCount: 4, registeredAt: 0, listedUntil: 10_800 }];
    const jobs = [
      job({ gpus: 2, startedAt: 1800, endedAt: 5400 }), // 2 GPUs from 0:30 to 1:30
      job({ gpus: 1, startedAt: 9000, endedAt: 0 }), // running since 2:30
      job({ gpus: 4, startedAt: 0, endedAt: 0 }), // never started
    ];
    const points = utilizationSeries(listings, jobs, 0, 10_800, 3600);
    expect(points.map((p) => [p.busy, p.listed, p.utilization])).toEqual([
      [1, 4, 25],
      [1, 4, 25],
      [0.5, 4, 12.5],
    ]);
    // Past the listing's end nothing is listed, and utilization reads 0 rather than dividing by it.
    expect(utilizationSeries(listings, [], 10_800, 14_400, 3600)).toEqual([
      { t: 10_800, busy: 0, listed: 0, utilization: 0 },
    ]);
  });
});
