/**
 * A pool's figures from its events (lib/pool/history.ts): price, TVL, volume and fees over a window, an APR
 * estimate, and the same as a time series for charts. Everything in USDC base units (6 decimals); SCU amounts
 * are valued at the price after the event that moved them.
 */
import { reservesByToken } from "../amm/pool";
import { scuInUsdc, spotUsdcPerScu } from "../amm/price";
import { WAD } from "../math";
import type { PoolEvent, ReserveEvent } from "./history";

export interface PoolFigures {
  /** USDC base units per whole SCU. */
  price: bigint;
  /** Both reserves in USDC: the USDC reserve plus the SCU reserve at the price. */
  tvl: bigint;
  /** Swaps in the window, by their USDC side. */
  volume: bigint;
  /** Fees left with LPs in the window, in USDC. */
  fees: bigint;
  swaps: number;
  /** Fees over the window ÷ TVL, scaled to a year; undefined with no TVL. WAD (1e18 = 100%). */
  aprWad: bigint | undefined;
}

export interface SeriesPoint {
  /** Bucket start, unix seconds. */
  t: number;
  /** At the bucket's end, for display. */
  price: number;
  tvl: number;
  /** Within the bucket, in dollars. */
  volume: number;
  fees: number;
}

const YEAR = 365 * 86_400;

/** Reserves named, from a reserve event. */
const reservesOf = (e: ReserveEvent, scuIsToken0: boolean) => reservesByToken(scuIsToken0, e.reserve0, e.reserve1);

/** The spot price, 0 while the pool holds no SCU. */
const priceOf = ({ scu, usdc }: { scu: bigint; usdc: bigint }) => spotUsdcPerScu(scu, usdc) ?? 0n;

/** A swap's USDC side and its fee in USDC (an SCU fee valued at the price after the swap). */
function swapInUsdc(e: Extract<ReserveEvent, { kind: "swap" }>, scuIsToken0: boolean) {
  const scuIn = e.zeroForOne === scuIsToken0;
  const price = priceOf(reservesOf(e, scuIsToken0));
  return { volume: scuIn ? e.amountOut : e.amountIn, fee: scuIn ? scuInUsdc(e.fee, price) : e.fee };
}

const reserveEvents = (events: PoolEvent[]) => events.filter((e): e is ReserveEvent => e.kind !== "transfer");

/** The pool now (`reserves`) and over the `window` seconds before `now`. */
export function poolFigures(
  events: PoolEvent[],
  reserves: { scu: bigint; usdc: bigint },
  scuIsToken0: boolean,
  now: number,
  window: number,
): PoolFigures {
  const price = priceOf(reserves);
  const tvl = reserves.usdc + scuInUsdc(reserves.scu, price);
  let volume = 0n;
  let fees = 0n;
  let swaps = 0;
  for (const e of reserveEvents(events)) {
    if (e.kind !== "swap" || e.t < now - window) continue;
    const s = swapInUsdc(e, scuIsToken0);
    volume += s.volume;
    fees += s.fee;
    swaps++;
  }
  return {
    price,
    tvl,
    volume,
    fees,
    swaps,
    aprWad: tvl === 0n ? undefined : (fees * WAD * BigInt(YEAR)) / (tvl * BigInt(window)),
  };
}

/** Price and TVL at each bucket's end, volume and fees within it, from `start` to `now` in `bucket`-second steps. */
export function poolSeries(
  events: PoolEvent[],
  scuIsToken0: boolean,
  start: number,
  now: number,
  bucket: number,
): SeriesPoint[] {
  const list = reserveEvents(events);
  const points: SeriesPoint[] = [];
  let i = 0;
  let last: { scu: bigint; usdc: bigint } | undefined;
  for (let t = start; t < now; t += bucket) {
    let volume = 0n;
    let fees = 0n;
    for (; i < list.length && list[i]!.t < t + bucket; i++) {
      const e = list[i]!;
      last = reservesOf(e, scuIsToken0);
      if (e.kind === "swap" && e.t >= t) {
        const s = swapInUsdc(e, scuIsToken0);
        volume += s.volume;
        fees += s.fee;
      }
    }
    if (!last) continue; // before the pool had liquidity
    const price = priceOf(last);
    points.push({
      t,
      price: Number(price) / 1e6,
      tvl: Number(last.usdc + scuInUsdc(last.scu, price)) / 1e6,
      volume: Number(volume) / 1e6,
      fees: Number(fees) / 1e6,
    });
  }
  return points;
}
