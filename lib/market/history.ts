/**
 * The SCU price over time, from the pool's events: Mint, Burn, Swap and Sync each carry the reserves after
 * them. Read on the server for the market page's chart.
 */
import type { PublicClient } from "viem";
import { scuUsdcPoolAbi } from "../contracts/abis";
import { spotUsdcPerScu, type MarketAddresses } from "./read";

export interface PricePoint {
  /** Unix seconds of the block. */
  t: number;
  /** USDC per SCU, for display. */
  price: number;
}

export const PRICE_RANGES = { "1h": 3600, "24h": 86_400, "7d": 7 * 86_400, all: Infinity } as const;
export type PriceRange = keyof typeof PRICE_RANGES;
export const isPriceRange = (value: unknown): value is PriceRange => typeof value === "string" && value in PRICE_RANGES;

/** At most this many most recent reserve changes are read (each needs its block's time). */
const MAX_EVENTS = 500;

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
  const [token0, logs] = await Promise.all([
    client.readContract({ address: contracts.ScuUsdcPool, abi: scuUsdcPoolAbi, functionName: "token0" }),
    client.getContractEvents({ address: contracts.ScuUsdcPool, abi: scuUsdcPoolAbi, fromBlock, strict: true }),
  ]);
  const reserveChanges = logs.flatMap((log) =>
    log.eventName === "Mint" || log.eventName === "Burn" || log.eventName === "Swap" || log.eventName === "Sync"
      ? [{ blockNumber: log.blockNumber, reserve0: log.args.reserve0, reserve1: log.args.reserve1 }]
      : [],
  );
  const scuFirst = token0.toLowerCase() === contracts.ComputeCredit.toLowerCase();
  const recent = reserveChanges.slice(-MAX_EVENTS);
  const blocks = [...new Set(recent.map((l) => l.blockNumber))];
  const times = new Map(await Promise.all(blocks.map(async (n) => [n, Number((await client.getBlock({ blockNumber: n })).timestamp)] as const)));
  const all = recent.flatMap((log) => {
    const [scu, usdc] = scuFirst ? [log.reserve0, log.reserve1] : [log.reserve1, log.reserve0];
    const price = spotUsdcPerScu(scu, usdc);
    return price === undefined ? [] : [{ t: times.get(log.blockNumber)!, price: Number(price) / 1e6 }];
  });
  const start = now - PRICE_RANGES[range];
  const before = all.filter((p) => p.t < start).at(-1);
  const inside = all.filter((p) => p.t >= start);
  const points = [...(before ? [{ t: start, price: before.price }] : []), ...inside];
  const last = points.at(-1);
  return last && last.t < now ? [...points, { t: now, price: last.price }] : points;
}
