/**
 * The SCU price over time, from the pool's events (read through lib/pool/history.ts): Mint, Burn, Swap and
 * Sync each carry the reserves after them. Read on the server for the market page's chart.
 */
import type { PublicClient } from "viem";
import { isScuToken0, reservesByToken } from "../amm/pool";
import { spotUsdcPerScu } from "../amm/price";
import { poolPriceCalls } from "../pool/calls";
import { readPoolEvents } from "../pool/history";
import type { MarketAddresses } from "./overview";

export interface PricePoint {
  /** Unix seconds of the block. */
  t: number;
  /** USDC per SCU, for display. */
  price: number;
}

export const PRICE_RANGES = { "1h": 3600, "24h": 86_400, "7d": 7 * 86_400, all: Infinity } as const;
export type PriceRange = keyof typeof PRICE_RANGES;
export const isPriceRange = (value: unknown): value is PriceRange => typeof value === "string" && value in PRICE_RANGES;

/** At most this many most recent reserve changes are drawn. */
const MAX_POINTS = 500;

/**
 * The price after each reserve change in `range` up to `now`, starting with the price in force at the range's
 * start (so a quiet hour still draws a line) and ending with the price now.
 */
export async function readPriceHistory(
  client: PublicClient,
  contracts: Pick<MarketAddresses, "ScuUsdcPool" | "ComputeCredit">,
  fromBlock: bigint,
  range: PriceRange,
  now: number,
): Promise<PricePoint[]> {
  const [[token0], events] = await Promise.all([
    client.multicall({ contracts: poolPriceCalls(contracts), allowFailure: false }),
    readPoolEvents(client, contracts.ScuUsdcPool, fromBlock),
  ]);
  const scuIsToken0 = isScuToken0(token0, contracts.ComputeCredit);
  const all = events.slice(-MAX_POINTS).flatMap((e) => {
    if (e.kind === "transfer") return [];
    const { scu, usdc } = reservesByToken(scuIsToken0, e.reserve0, e.reserve1);
    const price = spotUsdcPerScu(scu, usdc);
    return price === undefined || e.t > now ? [] : [{ t: e.t, price: Number(price) / 1e6 }];
  });
  const start = now - PRICE_RANGES[range];
  const before = all.filter((p) => p.t < start).at(-1);
  const inside = all.filter((p) => p.t >= start);
  const points = [...(before ? [{ t: start, price: before.price }] : []), ...inside];
  const last = points.at(-1);
  return last && last.t < now ? [...points, { t: now, price: last.price }] : points;
}
