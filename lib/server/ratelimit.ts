/**
 * Rate limits and concurrency caps per client (lib/server/client.ts says who a client is). The limiter talks
 * to a store through an async interface, so a deployment with many instances can share one (a Redis token
 * bucket and counters with leases, a later issue); this file implements the buckets in memory, per instance,
 * and the routes' stream caps over lib/limits.ts's counters (which the host agent counts its streams with too).
 *
 * Memory is bounded whatever clients send: keys are short (an address key, or a digest of anything longer),
 * and a store holds at most `maxKeys` buckets, plus `maxOverflow` overflow buckets and one last shared bucket.
 * Eviction cannot be used to reset anyone's bucket: only buckets that have refilled completely are ever dropped
 * (forgetting them changes no answer). When every bucket held is still draining, a client the store has never
 * seen does not push anyone out: it takes from an overflow bucket of its wider network (IPv6 /48, IPv4 /24,
 * lib/server/client.ts `widerPrefix`). A single shared overflow bucket would let one attacker lock out every new
 * client: ~10,001 IPv6 /64s (one /48 holds 65,536) keep the store full and that one bucket empty. Keyed by
 * prefix, the flood drains only its own network's bucket, and a newcomer from any other network starts with
 * its whole burst. Only past `maxOverflow` draining prefixes (an attacker holding over a thousand /48s, or
 * /24s) do the newcomers left share one last bucket.
 */
import "server-only";
import { boundedKey, MemorySlots, type SlotDecision, type SlotStore } from "../limits";
import { widerPrefix } from "./client";

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface BucketRule {
  /** Requests a client may make at once. */
  burst: number;
  /** Requests a client regains per second. */
  perSecond: number;
}

/** Where token buckets live: takes one token from `key`'s bucket under `rule`, atomically. */
export interface BucketStore {
  take(key: string, rule: BucketRule): Promise<RateDecision>;
}

/** Buckets one in-memory store holds at most (about 150 bytes each). */
export const MAX_BUCKETS = 10_000;
/** Overflow buckets (one per wider prefix of newcomers) one in-memory store holds at most. */
export const MAX_OVERFLOW_BUCKETS = 1_000;
/** Entries examined for eviction per new key when the store is full: the work a request can cause is bounded. */
const EVICTION_SCAN = 32;
/** The last bucket: shared by newcomers with no wider prefix, or while the overflow buckets are all draining. */
export const OVERFLOW_KEY = "\u0000overflow";

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets under one bound: full buckets are the only ones ever dropped to make room. */
class BoundedBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys: number) {}

  get size(): number {
    return this.buckets.size;
  }

  /** Whether `key` has a bucket here or one can be made for it (dropping full buckets to make room). */
  admits(key: string, rule: BucketRule, now: number): boolean {
    return this.buckets.has(key) || this.buckets.size < this.maxKeys || this.evictFull(rule, now);
  }

  take(key: string, rule: BucketRule, now: number): RateDecision {
    const held = this.buckets.get(key);
    const bucket = held
      ? { tokens: Math.min(rule.burst, held.tokens + ((now - held.at) / 1000) * rule.perSecond), at: now }
      : { tokens: rule.burst, at: now };
    // Re-inserted so the map's order is least recently used first: where eviction looks.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / rule.perSecond) };
  }

  /** Drops buckets that are full again among the least recently used few; whether room was made. */
  private evictFull(rule: BucketRule, now: number): boolean {
    let freed = false;
    let scanned = 0;
    for (const [key, b] of this.buckets) {
      if (scanned++ >= EVICTION_SCAN) break;
      if (key !== OVERFLOW_KEY && b.tokens + ((now - b.at) / 1000) * rule.perSecond >= rule.burst) {
        this.buckets.delete(key);
        freed = true;
      }
    }
    return freed || this.buckets.size < this.maxKeys;
  }
}

export class MemoryBuckets implements BucketStore {
  private readonly clients: BoundedBuckets;
  /** Buckets per wider prefix of newcomers, and the last shared one (OVERFLOW_KEY, always admitted). */
  private readonly overflow: BoundedBuckets;

  constructor(
    maxKeys = MAX_BUCKETS,
    private readonly now: () => number = Date.now,
    maxOverflow = MAX_OVERFLOW_BUCKETS,
  ) {
    this.clients = new BoundedBuckets(maxKeys);
    this.overflow = new BoundedBuckets(maxOverflow);
  }

  /** Buckets held, overflow ones included. */
  get size(): number {
    return this.clients.size + this.overflow.size;
  }

  async take(rawKey: string, rule: BucketRule): Promise<RateDecision> {
    const now = this.now();
    const key = boundedKey(rawKey);
    if (this.clients.admits(key, rule, now)) return this.clients.take(key, rule, now);
    const prefix = widerPrefix(rawKey);
    const wide = prefix === undefined ? undefined : `wide:${boundedKey(prefix)}`;
    return this.overflow.take(
      wide !== undefined && this.overflow.admits(wide, rule, now) ? wide : OVERFLOW_KEY,
      rule,
      now,
    );
  }
}

/** A token bucket per client for one route. */
export class RateLimiter {
  private readonly rule: BucketRule;

  constructor(
    burst: number,
    perSecond: number,
    private readonly store: BucketStore = new MemoryBuckets(),
  ) {
    this.rule = { burst, perSecond };
  }

  take(key: string): Promise<RateDecision> {
    return this.store.take(key, this.rule);
  }
}

/** The 429 answer for a refused decision. */
export function tooManyRequests(retryAfterSeconds: number): Response {
  return Response.json(
    { error: `Too many requests. Try again in ${retryAfterSeconds} s.` },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds) } },
  );
}

export interface StreamCaps {
  /** Streams relayed at once by this instance. */
  total: number;
  /** Streams one client holds at once. */
  perClient: number;
  /** Streams of one job at once (only its buyer can open them: it is checked first). */
  perJob: number;
  /**
   * Streams to one host at once. A host's endpoint is whatever its provider registered: one that never ends a
   * stream, acting as its own buyer from many client keys, would otherwise hold every slot of `total`.
   */
  perHost: number;
  /** Streams of one on-chain buyer's jobs at once, whatever hosts and client keys they come through. */
  perBuyer: number;
}

/** Open event streams: each holds a socket to the browser and one to the host for as long as it lasts. */
export class StreamLimiter {
  constructor(
    readonly caps: StreamCaps,
    private readonly store: SlotStore = new MemorySlots(),
    /** What is counted, in the refusals: open event streams, or requests relayed to jobs' services. */
    private readonly what = "event streams",
  ) {}

  /** A slot for `client`'s stream of job `jobId`, run by host `hostId` for `buyer` (as the chain says). */
  acquire(client: string, jobId: bigint, hostId: bigint, buyer: string): Promise<SlotDecision> {
    const { total, perClient, perJob, perHost, perBuyer } = this.caps;
    const what = this.what;
    // The host's cap comes before the buyer's: when one attacker is both, the answer names the host.
    return this.store.acquire([
      {
        key: "total",
        max: total,
        status: 503,
        refusal: `The app is relaying as many ${what} as it can. Try again in a minute.`,
      },
      {
        key: `host:${hostId}`,
        max: perHost,
        status: 429,
        refusal: `Host #${hostId} has ${perHost} ${what} open already. Try again later.`,
      },
      {
        key: `buyer:${buyer.toLowerCase()}`,
        max: perBuyer,
        status: 429,
        refusal: `There are ${perBuyer} ${what} open for your jobs already. Close one and try again.`,
      },
      {
        key: `client:${client}`,
        max: perClient,
        status: 429,
        refusal: `You have ${perClient} ${what} open already. Close one and try again.`,
      },
      {
        key: `job:${jobId}`,
        max: perJob,
        status: 429,
        refusal: `Job #${jobId} has ${perJob} ${what} open already. Close one and try again.`,
      },
    ]);
  }
}
