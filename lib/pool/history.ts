/**
 * A pool's history, as the app reads it: every Mint, Burn, Swap, Sync and LP-share Transfer, in order, with
 * its block's time. This module is the one place that reads pool events. Here it reads them from the node with
 * viem, in bounded block ranges (lib/logs.ts), and keeps what it has read (per pool, in this process) so the next call only
 * asks for new blocks. An indexer (docs/indexing.md) replaces `readPoolEvents` and nothing else.
 */
import type { Address, PublicClient } from "viem";
import { scuUsdcPoolAbi } from "../contracts/abis";
import { inBlockRanges } from "../logs";

interface Base {
  blockNumber: bigint;
  logIndex: number;
  /** Unix seconds of the block. */
  t: number;
  txHash: `0x${string}`;
}

/** A change of the reserves, with the reserves after it. */
export type ReserveEvent = Base & { reserve0: bigint; reserve1: bigint } & (
    | { kind: "mint"; sender: Address; to: Address; amount0: bigint; amount1: bigint; liquidity: bigint }
    | { kind: "burn"; sender: Address; to: Address; amount0: bigint; amount1: bigint; liquidity: bigint }
    | {
        kind: "swap";
        sender: Address;
        to: Address;
        zeroForOne: boolean;
        amountIn: bigint;
        amountOut: bigint;
        fee: bigint;
      }
    | { kind: "sync" }
  );

/** LP shares moving: minted (from the zero address), burned (to it) or transferred. */
export type ShareEvent = Base & { kind: "transfer"; from: Address; to: Address; value: bigint };

export type PoolEvent = ReserveEvent | ShareEvent;

interface Cached {
  /** Blocks up to this one are in `events`. */
  through: bigint;
  events: PoolEvent[];
}

const cache = new Map<string, Cached>();
const blockTimes = new Map<bigint, number>();

/** The pool's events from `fromBlock` (its deployment) to the latest block, oldest first. */
export async function readPoolEvents(client: PublicClient, pool: Address, fromBlock: bigint): Promise<PoolEvent[]> {
  const key = `${client.chain?.id}:${pool.toLowerCase()}:${fromBlock}`;
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  const cached = cache.get(key) ?? { through: fromBlock - 1n, events: [] };
  if (latest < cached.through) cache.delete(key); // the chain was reset under us: read again
  const known = latest < cached.through ? { through: fromBlock - 1n, events: [] } : cached;

  const logs = await inBlockRanges(known.through + 1n, latest, (range) =>
    client.getContractEvents({ address: pool, abi: scuUsdcPoolAbi, ...range, strict: true }),
  );
  const fresh: PoolEvent[] = [];
  for (const log of logs) {
    const base = { blockNumber: log.blockNumber, logIndex: log.logIndex, t: 0, txHash: log.transactionHash };
    switch (log.eventName) {
      case "Mint":
      case "Burn":
        fresh.push({ ...base, kind: log.eventName === "Mint" ? "mint" : "burn", ...log.args });
        break;
      case "Swap":
        fresh.push({ ...base, kind: "swap", ...log.args });
        break;
      case "Sync":
        fresh.push({ ...base, kind: "sync", ...log.args });
        break;
      case "Transfer":
        fresh.push({ ...base, kind: "transfer", from: log.args.from, to: log.args.to, value: log.args.value });
        break;
    }
  }
  await stampTimes(client, fresh);
  const events = [...known.events, ...fresh];
  cache.set(key, { through: latest, events });
  return events;
}

async function stampTimes(client: PublicClient, events: PoolEvent[]) {
  const missing = [...new Set(events.map((e) => e.blockNumber))].filter((n) => !blockTimes.has(n));
  const blocks = await Promise.all(missing.map((blockNumber) => client.getBlock({ blockNumber })));
  for (const block of blocks) blockTimes.set(block.number, Number(block.timestamp));
  for (const event of events) event.t = blockTimes.get(event.blockNumber)!;
}
