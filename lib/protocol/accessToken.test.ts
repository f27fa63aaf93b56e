import { describe, expect, it } from "vitest";
import { bearerToken, formatAccessToken, MAX_ACCESS_TOKEN_CHARS, parseAccessToken, tokenFor } from "./accessToken";

const signature = `0x${"ab".repeat(65)}` as const;
const token = formatAccessToken({ action: "service", jobId: 42n, expiry: 1_900_000_000n, signature });

describe("access tokens", () => {
  it("round-trip: what a buyer is given is what the route and the host read", () => {
    expect(token).toBe(`hg1.service.42.1900000000.${"ab".repeat(65)}`);
    expect(token.length).toBeLessThanOrEqual(MAX_ACCESS_TOKEN_CHARS);
    expect(parseAccessToken(token)).toEqual({ action: "service", jobId: 42n, expiry: 1_900_000_000n, signature });
  });

  it("refuse anything else, with a reason", () => {
    for (const bad of [
      "",
      "hg2.service.42.1.x",
      `hg1.service.042.1.${"ab".repeat(65)}`,
      `hg1.service.42.1.${"ab".repeat(64)}`,
      `hg1.service.42.1.${"AB".repeat(65)}`,
      `hg1.service.42.-1.${"ab".repeat(65)}`,
      `hg1.service.42.1.${"ab".repeat(65)}.extra`,
      "x".repeat(MAX_ACCESS_TOKEN_CHARS + 1),
    ])
      expect(parseAccessToken(bad), bad).toHaveProperty("error");
    expect(parseAccessToken(token.replace("service", "admin"))).toEqual({
      error: 'The access token\'s scope "admin" is not one there is.',
    });
  });

  it("are read from a Bearer header only in its one form", () => {
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer ${token}`)).toBe(token);
    expect(bearerToken(`Basic ${token}`)).toBeUndefined();
    expect(bearerToken(`Bearer ${token} x`)).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });

  it("open one job and one scope: another job's or scope's is refused before any signature is recovered", () => {
    expect(tokenFor(42n, "service", `Bearer ${token}`)).toMatchObject({ jobId: 42n });
    expect(tokenFor(43n, "service", `Bearer ${token}`)).toEqual({
      status: 403,
      error: "The access token is for job #42, not #43.",
    });
    expect(tokenFor(42n, "files", `Bearer ${token}`)).toMatchObject({ status: 403 });
    expect(tokenFor(42n, "service", undefined)).toMatchObject({ status: 401 });
    // The query string is a fallback (links), never a second chance after a bad header.
    expect(tokenFor(42n, "service", undefined, token)).toMatchObject({ jobId: 42n });
    expect(tokenFor(42n, "service", "Bearer nope", token)).toMatchObject({ status: 401 });
  });
});
