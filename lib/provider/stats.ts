/**
 * A provider's dashboard series, from what lib/provider/dashboard.ts read: what it earned per bucket (in SCU, and
 * in USD at the pool's price when each job settled) and how busy its GPUs were against what it listed.
 */
import { reservesByToken } from "../amm/pool";
import { scuInUsdc, spotUsdcPerScu } from "../amm/price";
import type { ReserveEvent } from "../pool/history";
import type { ServedJob } from "./dashboard";

export interface EarningsPoint {
  /** Bucket start, unix seconds. */
  t: number;
  /** Paid within the bucket. */
  scu: number;
  usd: number;
  /** Paid up to the bucket's end, in USD. */
  totalUsd: number;
}

export interface UtilizationPoint {
  t: number;
  /** GPU-hours jobs ran within the bucket. */
  busy: number;
  /** GPU-hours listed within the bucket. */
  listed: number;
  /** busy ÷ listed, as a percentage (0 with nothing listed). */
  utilization: number;
}

/** A host's listing as utilization counts it: from registration to the listing's end. */
export interface Listing {
  gpuCount: number;
  registeredAt: number;
  listedUntil: number;
}

/** The pool's price (USDC base units per SCU) in force at time t: after the last reserve change at or before
 * it, 0 before the pool had any. `events` oldest first, as lib/pool/history.ts reads them. */
export function priceAt(events: ReserveEvent[], scuIsToken0: boolean): (t: number) => bigint {
  return (t) => {
    let price = 0n;
    for (const e of events) {
      if (e.t > t) break;
      const { scu, usdc } = reservesByToken(scuIsToken0, e.reserve0, e.reserve1);
      price = spotUsdcPerScu(scu, usdc) ?? price;
    }
    return price;
  };
}

export function earningsSeries(
  jobs: ServedJob[],
  price: (t: number) => bigint,
  start: number,
  now: number,
  bucket: number,
): EarningsPoint[] {
  const paid = jobs
    .filter((j): j is ServedJob & { settledAt: number } => j.settledAt !== undefined && j.paid > 0n)
    .map((j) => ({ t: j.settledAt, scu: j.paid, usdc: scuInUsdc(j.paid, price(j.settledAt)) }))
    .sort((a, b) => a.t - b.t);
  const points: EarningsPoint[] = [];
  let total = 0n;
  let i = 0;
  // Payments before the range still count in the running total.
  for (; i < paid.length && paid[i]!.t < start; i++) total += paid[i]!.usdc;
  for (let t = start; t < now; t += bucket) {
    let scu = 0n;
    let usdc = 0n;
    for (; i < paid.length && paid[i]!.t < t + bucket; i++) {
      scu += paid[i]!.scu;
      usdc += paid[i]!.usdc;
    }
    total += usdc;
    points.push({ t, scu: Number(scu) / 1e18, usd: Number(usdc) / 1e6, totalUsd: Number(total) / 1e6 });
  }
  return points;
}

/** Seconds two spans share. */
const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/**
 * GPU-hours run and listed per bucket. A job runs from its start to its end (to `now` while running); a job that
 * never started ran nothing. A host counts from its registration to its listing's end, paused or not: a pause
 * shows as idle time.
 */
export function utilizationSeries(
  listings: Listing[],
  jobs: ServedJob[],
  start: number,
  now: number,
  bucket: number,
): UtilizationPoint[] {
  const runs = jobs
    .filter((j) => j.startedAt > 0)
    .map((j) => ({ gpus: j.gpus, from: j.startedAt, to: j.endedAt > 0 ? j.endedAt : now }));
  const points: UtilizationPoint[] = [];
  for (let t = start; t < now; t += bucket) {
    const end = Math.min(t + bucket, now);
    const busy = runs.reduce((sum, r) => sum + r.gpus * overlap(r.from, r.to, t, end), 0) / 3600;
    const listed =
      listings.reduce((sum, l) => sum + l.gpuCount * overlap(l.registeredAt, l.listedUntil, t, end), 0) / 3600;
    points.push({ t, busy, listed, utilization: listed === 0 ? 0 : (100 * busy) / listed });
  }
  return points;
}
