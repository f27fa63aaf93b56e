import { describe, expect, it } from "vitest";
import { clientKey, RateLimiter, tooManyRequests } from "./ratelimit";

describe("rate limiter", () => {
  it("allows a burst, then refuses with the wait until the next token", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 0.5, () => now);
    expect([1, 2, 3].map(() => limiter.take("a").ok)).toEqual([true, true, true]);
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(limiter.take("b").ok).toBe(true); // per client
    now += 2000;
    expect(limiter.take("a").ok).toBe(true);
    expect(limiter.take("a").ok).toBe(false);
  });

  it("answers 429 with Retry-After and a reason", async () => {
    const response = tooManyRequests(7);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(((await response.json()) as { error: string }).error).toMatch(/7 s/);
  });

  it("keys clients by the first forwarded hop", () => {
    expect(clientKey(new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }))).toBe("203.0.113.9");
    expect(clientKey(new Headers())).toBe("unknown");
  });
});
