/**
 * Concurrency counters in memory: a slot taken under several caps at once, or under none, given back when the
 * thing it counts ends. Generic and pure, so the app's routes (lib/server/ratelimit.ts, its event streams) and
 * the host agent (host/server.ts, its own) count with the same store.
 */
import { createHash } from "node:crypto";

/** Longest key a store keeps as it is; longer ones are kept as their SHA-256. */
export const MAX_KEY_CHARS = 64;
export const boundedKey = (key: string): string =>
  key.length <= MAX_KEY_CHARS ? key : `sha256:${createHash("sha256").update(key).digest("base64url")}`;

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

/**
 * A map of at most `max` entries, each valid until its own time (unix ms; Infinity for a fact that never
 * changes, such as who signed a signature): an expired entry reads as absent, and a full map forgets its oldest
 * entry first. What the routes and the agent remember of the chain and of signatures, bounded however many
 * distinct keys strangers send.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(private readonly max: number) {}

  get(key: K, now = Date.now()): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value };
  }

  set(key: K, value: V, until: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
