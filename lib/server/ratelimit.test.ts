import { describe, expect, it } from "vitest";
import { addressKey, clientIdentity, parseClientIpRule, UNIDENTIFIED } from "./client";
import { MAX_KEY_CHARS, MemorySlots } from "../limits";
import {
  MAX_BUCKETS,
  MAX_OVERFLOW_BUCKETS,
  MemoryBuckets,
  RateLimiter,
  StreamLimiter,
  tooManyRequests,
} from "./ratelimit";

describe("rate limiter", () => {
  it("allows a burst, then refuses with the wait until the next token", async () => {
    let now = 0;
    const limiter = new RateLimiter(3, 0.5, new MemoryBuckets(100, () => now));
    expect(await Promise.all([1, 2, 3].map(async () => (await limiter.take("a")).ok))).toEqual([true, true, true]);
    expect(await limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect((await limiter.take("b")).ok).toBe(true); // per client
    now += 2000;
    expect((await limiter.take("a")).ok).toBe(true);
    expect((await limiter.take("a")).ok).toBe(false);
  });

  it("answers 429 with Retry-After and a reason", async () => {
    const response = tooManyRequests(7);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(((await response.json()) as { error: string }).error).toMatch(/7 s/);
  });

  it("keeps 27,000 unique 15 KB keys in a bounded map of short keys", async () => {
    const store = new MemoryBuckets();
    const limiter = new RateLimiter(10, 1 / 6, store);
    const padding = "k".repeat(15 * 1024);
    for (let i = 0; i < 27_000; i++) await limiter.take(`${i}:${padding}`);
    expect(store.size).toBeLessThanOrEqual(10_001); // the cap, and the last shared bucket (these keys name no network)
    type Internals = Record<"clients" | "overflow", { buckets: Map<string, unknown> }>;
    const { clients, overflow } = store as unknown as Internals;
    const keys = [...clients.buckets.keys(), ...overflow.buckets.keys()];
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(MAX_KEY_CHARS);
  });

  it("never evicts a draining bucket: flooding the store with new keys cannot reset a client", async () => {
    let now = 0;
    const store = new MemoryBuckets(100, () => now);
    const limiter = new RateLimiter(5, 1 / 60, store);
    for (let i = 0; i < 5; i++) await limiter.take("victim-or-attacker");
    expect((await limiter.take("victim-or-attacker")).ok).toBe(false);
    // A flood of fresh keys: each spends a token, so none of their buckets is full either.
    for (let i = 0; i < 1_000; i++) await limiter.take(`flood-${i}`);
    expect(store.size).toBeLessThanOrEqual(101);
    expect((await limiter.take("victim-or-attacker")).ok).toBe(false); // still drained
    // Newcomers past the cap whose keys name no address (so no wider prefix) share one last bucket: the flood used it up.
    expect((await limiter.take("a-newcomer")).ok).toBe(false);
    // Once buckets refill completely they are forgotten, and newcomers get their own again.
    now += 5 * 60_000;
    expect((await limiter.take("a-newcomer")).ok).toBe(true);
    expect((await limiter.take("victim-or-attacker")).ok).toBe(true);
  });
});

describe("rate limiter overflow: one prefix cannot lock out everyone else", () => {
  /** The IPv6 /64 number `i` inside one /48, as lib/server/client.ts keys it. */
  const attackerKey = (i: number) => addressKey(`2001:db8:a77a:${i.toString(16)}::1`)!;
  // The dispatch and stop routes' rule: ten at once, then one every six seconds (a full refill takes a minute).
  const BURST = 10;
  const PER_SECOND = 1 / 6;

  it("a flood from 10,001+ /64s of one /48 leaves newcomers from other prefixes their whole burst", async () => {
    let now = 0;
    const store = new MemoryBuckets(MAX_BUCKETS, () => now);
    const limiter = new RateLimiter(BURST, PER_SECOND, store);
    // The attacker spends a token from each of 10,100 /64s, and keeps doing so every 5 s (faster than a
    // bucket refills), for ten minutes: the store stays full of its draining buckets throughout.
    const attacker = Array.from({ length: MAX_BUCKETS + 100 }, (_, i) => attackerKey(i));
    const granted = { newcomers: 0, asked: 0, attackerOverflow: 0 };
    for (let round = 0; round < 120; round++, now += 5_000) {
      for (let i = 0; i < attacker.length; i++) {
        const ok = (await limiter.take(attacker[i]!)).ok;
        if (i >= MAX_BUCKETS && round > 0 && ok) granted.attackerOverflow++;
      }
      // A fresh client from another /48 and a fresh IPv4 client each spend their burst this round.
      for (const fresh of [
        addressKey(`2001:db8:${(0xb000 + round).toString(16)}::1`)!,
        addressKey(`198.51.${round}.7`)!,
      ]) {
        for (let n = 0; n < BURST; n++) {
          granted.asked++;
          if ((await limiter.take(fresh)).ok) granted.newcomers++;
        }
      }
    }
    expect(granted.newcomers, "requests granted to newcomers from other prefixes").toBe(granted.asked);
    // The attacker's own extra /64s share one bucket for its /48: a trickle, never a burst each.
    expect(granted.attackerOverflow).toBeLessThanOrEqual(BURST + 120 * 5 * PER_SECOND + 1);
    expect(store.size).toBeLessThanOrEqual(MAX_BUCKETS + MAX_OVERFLOW_BUCKETS + 1);
  }, 60_000);

  it("keeps the overflow buckets bounded: past them, prefixes never seen share one last bucket", async () => {
    let now = 0;
    const store = new MemoryBuckets(100, () => now, 10);
    const limiter = new RateLimiter(BURST, PER_SECOND, store);
    for (let i = 0; i < 100; i++) await limiter.take(attackerKey(i)); // the main store is full
    // 1,000 distinct /48s, each spending a token: only ten get a bucket of their own.
    for (let i = 0; i < 1_000; i++) await limiter.take(addressKey(`2001:db8:${(0x1000 + i).toString(16)}::1`)!);
    expect(store.size).toBeLessThanOrEqual(100 + 10 + 1);
    // The last shared bucket is drained by the flood; a prefix seen already keeps its own.
    expect((await limiter.take(addressKey("2001:db8:ffff::1")!)).ok).toBe(false);
    expect((await limiter.take(addressKey("2001:db8:1000::1")!)).ok).toBe(true);
    // Buckets that refill completely are forgotten: newcomers get their own again.
    now += 60_000;
    expect((await limiter.take(addressKey("2001:db8:ffff::1")!)).ok).toBe(true);
  });
});

describe("the client's identity", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("trusts no header unless configured, in production", () => {
    const rule = parseClientIpRule({ NODE_ENV: "production" });
    expect(rule).toEqual({ kind: "none" });
    expect(clientIdentity(headers({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" }), rule)).toBe(
      UNIDENTIFIED,
    );
    // `npm run dev` (not production): the one hop Next adds from the socket.
    expect(parseClientIpRule({ NODE_ENV: "development" })).toEqual({ kind: "hops", hops: 1 });
  });

  it("takes the Nth hop from the right of X-Forwarded-For, and nothing from a request that skipped the proxies", () => {
    const rule = parseClientIpRule({ NODE_ENV: "production", HOURGLASS_TRUSTED_PROXY_HOPS: "2" });
    expect(clientIdentity(headers({ "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.0.0.2" }), rule)).toBe(
      "ip:203.0.113.9",
    );
    expect(clientIdentity(headers({ "x-forwarded-for": "203.0.113.9" }), rule)).toBe(UNIDENTIFIED);
    expect(clientIdentity(headers({ "x-forwarded-for": `${"x".repeat(15_000)}, 10.0.0.2` }), rule)).toBe(UNIDENTIFIED);
  });

  it("takes a platform's header, only when it holds one address", () => {
    const rule = parseClientIpRule({ NODE_ENV: "production", HOURGLASS_CLIENT_IP_HEADER: "X-Real-IP" });
    expect(clientIdentity(headers({ "x-real-ip": "203.0.113.9", "x-forwarded-for": "1.1.1.1" }), rule)).toBe(
      "ip:203.0.113.9",
    );
    expect(clientIdentity(headers({ "x-real-ip": "203.0.113.9, 1.1.1.1" }), rule)).toBe(UNIDENTIFIED);
    expect(clientIdentity(headers({}), rule)).toBe(UNIDENTIFIED);
  });

  it("refuses a configuration that cannot be meant", () => {
    expect(() =>
      parseClientIpRule({ HOURGLASS_TRUSTED_PROXY_HOPS: "1", HOURGLASS_CLIENT_IP_HEADER: "x-real-ip" }),
    ).toThrow(/not both/);
    expect(() => parseClientIpRule({ HOURGLASS_TRUSTED_PROXY_HOPS: "-1" })).toThrow(/whole number/);
    expect(() => parseClientIpRule({ HOURGLASS_TRUSTED_PROXY_HOPS: "99" })).toThrow(/whole number/);
    expect(() => parseClientIpRule({ HOURGLASS_CLIENT_IP_HEADER: "x real ip" })).toThrow(/header name/);
    expect(parseClientIpRule({ HOURGLASS_TRUSTED_PROXY_HOPS: "0" })).toEqual({ kind: "none" });
  });

  it("keys IPv4 by address and IPv6 by /64, in a few dozen characters whatever was sent", () => {
    expect(addressKey("203.0.113.9:4431")).toBe("ip:203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("ip:203.0.113.9");
    expect(addressKey("[2001:db8:1:2:3:4:5:6]:443")).toBe("ip6:2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::ffff")).toBe(addressKey("2001:db8:1:2:aaaa::1"));
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
    for (const junk of [
      "",
      "unknown",
      "1.2.3",
      "1.2.3.4.5",
      "x".repeat(100),
      "fe80::1%eth0",
      "203.0.113.9 , 1.1.1.1",
    ]) {
      expect(addressKey(junk), junk).toBeUndefined();
    }
  });
});

describe("stream slots", () => {
  it("one host, or one buyer, cannot take the instance's every slot: a stranger elsewhere still gets one", async () => {
    const slots = new MemorySlots();
    const streams = new StreamLimiter({ total: 512, perClient: 8, perJob: 4, perHost: 64, perBuyer: 32 }, slots);
    // The attacker is a provider acting as its own buyers: 64 client keys, 128 jobs of its host 7, four buyers.
    let held = 0;
    let refusal: unknown;
    for (let job = 1; job <= 128; job++) {
      for (let n = 0; n < 4; n++) {
        const client = `ip6:2001:db8:0:${(job * 4 + n) % 64}::/64`;
        const slot = await streams.acquire(client, BigInt(job), 7n, `0xbuyer${job % 4}`);
        if (slot.ok) held++;
        else refusal ??= slot;
      }
    }
    expect(held).toBe(64);
    expect(refusal).toMatchObject({ status: 429, refusal: expect.stringMatching(/Host #7 has 64/) });
    expect(slots.count("total")).toBe(64);
    // One buyer across many hosts is capped as well.
    let buyerHeld = 0;
    for (let host = 100; host < 140; host++) {
      const slot = await streams.acquire(`ip:203.0.113.${host}`, BigInt(1000 + host), BigInt(host), "0xBIG");
      if (slot.ok) buyerHeld++;
      else
        expect(slot).toMatchObject({
          status: 429,
          refusal: expect.stringMatching(/32 event streams open for your jobs/),
        });
    }
    expect(buyerHeld).toBe(32);
    const stranger = await streams.acquire("ip:192.0.2.1", 9999n, 8n, "0xstranger");
    expect(stranger.ok).toBe(true);
  });

  it("refuses the N+1-th stream per client, per job and in all, and frees a slot when one closes", async () => {
    const streams = new StreamLimiter(
      { total: 5, perClient: 3, perJob: 2, perHost: 5, perBuyer: 5 },
      new MemorySlots(),
    );
    const acquire = (client: string, job: bigint) => streams.acquire(client, job, 1n, "0xb");
    const a1 = await acquire("a", 1n);
    const a2 = await acquire("a", 1n);
    expect(await acquire("b", 1n)).toMatchObject({
      ok: false,
      status: 429,
      refusal: expect.stringMatching(/Job #1 has 2/),
    });
    const a3 = await acquire("a", 2n);
    expect(await acquire("a", 3n)).toMatchObject({
      ok: false,
      status: 429,
      refusal: expect.stringMatching(/You have 3/),
    });
    const b1 = await acquire("b", 3n);
    const b2 = await acquire("b", 4n);
    expect(await acquire("c", 5n)).toMatchObject({ ok: false, status: 503 });
    for (const held of [a1, a2, a3, b1, b2]) expect(held.ok).toBe(true);
    if (a1.ok) {
      a1.release();
      a1.release(); // a second release gives back nothing more
    }
    expect((await acquire("c", 1n)).ok).toBe(true);
    expect((await acquire("c", 1n)).ok).toBe(false); // job 1 full again: a2 and c's
  });
});
