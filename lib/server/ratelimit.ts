/**
 * Rate limits and concurrency caps per client (lib/server/client.ts says who a client is). The limiter talks
 * to a store through an async interface, so a deployment with many instances can share one (a Redis token
 * bucket and counters with leases, a later issue); this file implements both in memory, per instance.
 *
 * Memory is bounded whatever clients send: keys are short (an address key, or a digest of anything longer),
 * and a store holds at most `maxKeys` buckets. Eviction cannot be used to reset anyone's bucket: only buckets
 * that have refilled completely are ever dropped (forgetting them changes no answer), and when every bucket
 * held is still draining, a client the store has never seen shares one overflow bucket instead of pushing
 * someone out. Filling the store therefore takes `maxKeys` clients each spending requests within one refill
 * time, and buys only a slower start for newcomers.
 */
import { createHash } from "node:crypto";

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

/** Longest key a store keeps as it is; longer ones are kept as their SHA-256. */
export const MAX_KEY_CHARS = 64;
/** Buckets one in-memory store holds at most (about 150 bytes each). */
export const MAX_BUCKETS = 10_000;
/** Entries examined for eviction per new key when the store is full: the work a request can cause is bounded. */
const EVICTION_SCAN = 32;
/** The bucket newcomers share while the store is full of draining buckets. */
export const OVERFLOW_KEY = "\u0000overflow";

export const boundedKey = (key: string): string =>
  key.length <= MAX_KEY_CHARS ? key : `sha256:${createHash("sha256").update(key).digest("base64url")}`;

export class MemoryBuckets implements BucketStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly maxKeys = MAX_BUCKETS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  async take(rawKey: string, rule: BucketRule): Promise<RateDecision> {
    const now = this.now();
    let key = boundedKey(rawKey);
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys && !this.evictFull(rule, now)) key = OVERFLOW_KEY;
    const held = this.buckets.get(key);
    const bucket = held ? { tokens: Math.min(rule.burst, held.tokens + ((now - held.at) / 1000) * rule.perSecond), at: now } : { tokens: rule.burst, at: now };
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

/** One cap a concurrent thing counts against: at most `max` held under `key` at once. */
export interface SlotClaim {
  key: string;
  max: number;
  /** The answer when the cap is reached. */
  status: number;
  refusal: string;
}

export type SlotDecision = { ok: true; release: () => void } | { ok: false; status: number; refusal: string };

/**
 * Where concurrency counters live: takes a slot under every claim or none. A shared store would hold each
 * slot as a lease renewed while the stream is open, so an instance that dies gives its slots back.
 */
export interface SlotStore {
  acquire(claims: readonly SlotClaim[]): Promise<SlotDecision>;
}

/** Counters in memory: an entry exists only while one of its slots is held, so its size is bounded by theirs. */
export class MemorySlots implements SlotStore {
  private readonly held = new Map<string, number>();

  async acquire(claims: readonly SlotClaim[]): Promise<SlotDecision> {
    const full = claims.find((c) => (this.held.get(boundedKey(c.key)) ?? 0) >= c.max);
    if (full) return { ok: false, status: full.status, refusal: full.refusal };
    const keys = claims.map((c) => boundedKey(c.key));
    for (const key of keys) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys) {
          const left = this.held.get(key)! - 1;
          if (left === 0) this.held.delete(key);
          else this.held.set(key, left);
        }
      },
    };
  }

  /** Slots held under `key` now. */
  count(key: string): number {
    return this.held.get(boundedKey(key)) ?? 0;
  }
}

export interface StreamCaps {
  /** Streams relayed at once by this instance. */
  total: number;
  /** Streams one client holds at once. */
  perClient: number;
  /** Streams of one job at once (only its buyer can open them: it is checked first). */
  perJob: number;
}

/** Open event streams: each holds a socket to the browser and one to the host for as long as it lasts. */
export class StreamLimiter {
  constructor(
    readonly caps: StreamCaps,
    private readonly store: SlotStore = new MemorySlots(),
  ) {}

  acquire(client: string, jobId: bigint): Promise<SlotDecision> {
    const { total, perClient, perJob } = this.caps;
    return this.store.acquire([
      { key: "total", max: total, status: 503, refusal: "The app is relaying as many event streams as it can. Try again in a minute." },
      { key: `client:${client}`, max: perClient, status: 429, refusal: `You have ${perClient} event streams open already. Close one and try again.` },
      { key: `job:${jobId}`, max: perJob, status: 429, refusal: `Job #${jobId} has ${perJob} event streams open already. Close one and try again.` },
    ]);
  }
}
