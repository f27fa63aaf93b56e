import { describe, expect, it } from "vitest";
import { addressKey, clientIdentity, parseClientIpRule, UNIDENTIFIED } from "./client";
import { MAX_KEY_CHARS, MemoryBuckets, MemorySlots, RateLimiter, StreamLimiter, tooManyRequests } from "./ratelimit";

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
    expect(store.size).toBeLessThanOrEqual(10_001); // the cap, and the newcomers' shared bucket
    const keys = [...(store as unknown as { buckets: Map<string, unknown> }).buckets.keys()];
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
    // Newcomers past the cap share one bucket: the flood used it up.
    expect((await limiter.take("a-newcomer")).ok).toBe(false);
    // Once buckets refill completely they are forgotten, and newcomers get their own again.
    now += 5 * 60_000;
    expect((await limiter.take("a-newcomer")).ok).toBe(true);
    expect((await limiter.take("victim-or-attacker")).ok).toBe(true);
  });
});

describe("the client's identity", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("trusts no header unless configured, in production", () => {
    const rule = parseClientIpRule({ NODE_ENV: "production" });
    expect(rule).toEqual({ kind: "none" });
    expect(clientIdentity(headers({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" }), rule)).toBe(UNIDENTIFIED);
    // `npm run dev` (not production): the one hop Next adds from the socket.
    expect(parseClientIpRule({ NODE_ENV: "development" })).toEqual({ kind: "hops", hops: 1 });
  });

  it("takes the Nth hop from the right of X-Forwarded-For, and nothing from a request that skipped the proxies", () => {
    const rule = parseClientIpRule({ NODE_ENV: "production", HOURGLASS_TRUSTED_PROXY_HOPS: "2" });
    expect(clientIdentity(headers({ "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.0.0.2" }), rule)).toBe("ip:203.0.113.9");
    expect(clientIdentity(headers({ "x-forwarded-for": "203.0.113.9" }), rule)).toBe(UNIDENTIFIED);
    expect(clientIdentity(headers({ "x-forwarded-for": `${"x".repeat(15_000)}, 10.0.0.2` }), rule)).toBe(UNIDENTIFIED);
  });

  it("takes a platform's header, only when it holds one address", () => {
    const rule = parseClientIpRule({ NODE_ENV: "production", HOURGLASS_CLIENT_IP_HEADER: "X-Real-IP" });
    expect(clientIdentity(headers({ "x-real-ip": "203.0.113.9", "x-forwarded-for": "1.1.1.1" }), rule)).toBe("ip:203.0.113.9");
    expect(clientIdentity(headers({ "x-real-ip": "203.0.113.9, 1.1.1.1" }), rule)).toBe(UNIDENTIFIED);
    expect(clientIdentity(headers({}), rule)).toBe(UNIDENTIFIED);
  });

  it("refuses a configuration that cannot be meant", () => {
    expect(() => parseClientIpRule({ HOURGLASS_TRUSTED_PROXY_HOPS: "1", HOURGLASS_CLIENT_IP_HEADER: "x-real-ip" })).toThrow(/not both/);
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
    for (const junk of ["", "unknown", "1.2.3", "1.2.3.4.5", "x".repeat(100), "fe80::1%eth0", "203.0.113.9 , 1.1.1.1"]) {
      expect(addressKey(junk), junk).toBeUndefined();
    }
  });
});

describe("stream slots", () => {
  it("refuses the N+1-th stream per client, per job and in all, and frees a slot when one closes", async () => {
    const streams = new StreamLimiter({ total: 5, perClient: 3, perJob: 2 }, new MemorySlots());
    const a1 = await streams.acquire("a", 1n);
    const a2 = await streams.acquire("a", 1n);
    expect(await streams.acquire("b", 1n)).toMatchObject({ ok: false, status: 429, refusal: expect.stringMatching(/Job #1 has 2/) });
    const a3 = await streams.acquire("a", 2n);
    expect(await streams.acquire("a", 3n)).toMatchObject({ ok: false, status: 429, refusal: expect.stringMatching(/You have 3/) });
    const b1 = await streams.acquire("b", 3n);
    const b2 = await streams.acquire("b", 4n);
    expect(await streams.acquire("c", 5n)).toMatchObject({ ok: false, status: 503 });
    for (const held of [a1, a2, a3, b1, b2]) expect(held.ok).toBe(true);
    if (a1.ok) {
      a1.release();
      a1.release(); // a second release gives back nothing more
    }
    expect((await streams.acquire("c", 1n)).ok).toBe(true);
    expect((await streams.acquire("c", 1n)).ok).toBe(false); // job 1 full again: a2 and c's
  });
});
