/**
 * The app's route handlers as an attacker meets them, without Next and without a chain: every request here is
 * refused before a route would read the chain. A chunked giant body, a rotating or forged X-Forwarded-For, and
 * tens of thousands of unique 15 KB client keys.
 */
import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as checkPost } from "../../app/api/hosts/check/route";
import { POST as dispatchPost } from "../../app/api/jobs/[id]/dispatch/route";
import { GET as providerGet } from "../../app/api/providers/[account]/route";
import { MAX_REQUEST_BYTES } from "../protocol/cappedBody";

const PROXY_ENV = ["HOURGLASS_TRUSTED_PROXY_HOPS", "HOURGLASS_CLIENT_IP_HEADER"] as const;
afterEach(() => {
  for (const name of PROXY_ENV) delete process.env[name];
});

/** A chunked body of `total` bytes in `chunk`-byte pieces that counts what the server pulled from it. */
function countingBody(total: number, chunk: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) return controller.close();
        const piece = new Uint8Array(Math.min(chunk, total - pulled)).fill(0x20);
        pulled += piece.byteLength;
        controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 }, // nothing is produced before it is asked for
  );
  return { stream, pulled: () => pulled };
}

const params = <T>(value: T) => ({ params: Promise.resolve(value) });

describe("request bodies", () => {
  const CHUNK = 64 * 1024;
  const TOTAL = 32 * 1024 * 1024;
  const routes: [string, (request: Request) => Promise<Response>][] = [
    ["dispatch", (r) => dispatchPost(r, params({ id: "1" }))],
    ["host check", (r) => checkPost(r)],
  ];

  for (const [name, post] of routes) {
    it(`${name}: a chunked giant body is refused after reading at most the limit and one chunk`, async () => {
      // Each attempt from its own client, so the rate limit is not what answers.
      process.env.HOURGLASS_TRUSTED_PROXY_HOPS = "1";
      const body = countingBody(TOTAL, CHUNK);
      const request = new Request(`http://app.test/api/${name}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-forwarded-for": `198.51.100.${routes.findIndex(([n]) => n === name) + 1}`,
        },
        body: body.stream,
        duplex: "half",
      } as RequestInit);
      const response = await post(request);
      expect(body.pulled(), "bytes pulled from the client").toBeLessThanOrEqual(MAX_REQUEST_BYTES + CHUNK);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: string }).error).toBe("The request body is over 64 KiB.");
    });
  }

  it("a declared Content-Length over the limit is refused without reading", async () => {
    process.env.HOURGLASS_TRUSTED_PROXY_HOPS = "1";
    const body = countingBody(TOTAL, CHUNK);
    const request = new Request("http://app.test/api/jobs/1/dispatch", {
      method: "POST",
      headers: { "content-length": String(TOTAL), "x-forwarded-for": "198.51.100.9" },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    expect((await dispatchPost(request, params({ id: "1" }))).status).toBe(413);
    expect(body.pulled()).toBe(0);
  });
});

/** The provider route with a bad account: the limiter answers first, then a 400 that reads no chain. */
const providerAs = (headers: Record<string, string>) =>
  providerGet(new Request("http://app.test/api/providers/nobody", { headers }), params({ account: "nobody" }));

async function statuses(count: number, headers: (i: number) => Record<string, string>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await providerAs(headers(i))).status);
  return seen;
}

describe("rate limits and the client's identity", () => {
  // The provider route allows sixty at once, then two a second.
  const BURST = 60;

  it("with no trusted proxy, a rotating X-Forwarded-For never escapes the bucket", async () => {
    process.env.HOURGLASS_TRUSTED_PROXY_HOPS = "0";
    const seen = await statuses(BURST + 5, (i) => ({
      "x-forwarded-for": `203.0.113.${i % 250}`,
      "x-real-ip": `192.0.2.${i % 250}`,
    }));
    expect(seen.slice(BURST)).toContain(429);
  });

  it("behind one proxy, the hop it appended is the client: rotating the rest never escapes the bucket", async () => {
    process.env.HOURGLASS_TRUSTED_PROXY_HOPS = "1";
    const seen = await statuses(BURST + 5, (i) => ({ "x-forwarded-for": `10.9.${i >> 8}.${i & 255}, 203.0.113.77` }));
    expect(seen.slice(BURST)).toContain(429);
  });

  it("behind one proxy, an attacker who sends a victim's address drains only its own bucket", async () => {
    process.env.HOURGLASS_TRUSTED_PROXY_HOPS = "1";
    const attacker = await statuses(BURST + 5, () => ({ "x-forwarded-for": "198.51.100.200, 203.0.113.66" }));
    expect(attacker.at(-1)).toBe(429);
    expect((await providerAs({ "x-forwarded-for": "198.51.100.200" })).status).toBe(400); // the victim, through the proxy
  });

  it("a platform header names the client when configured, and X-Forwarded-For is then ignored", async () => {
    process.env.HOURGLASS_CLIENT_IP_HEADER = "cf-connecting-ip";
    const seen = await statuses(BURST + 5, (i) => ({
      "cf-connecting-ip": "2001:db8:5::1",
      "x-forwarded-for": `203.0.113.${i % 250}`,
    }));
    expect(seen.slice(BURST)).toContain(429);
    // Another address in the same IPv6 /64 is the same client; another /64 is not.
    expect((await providerAs({ "cf-connecting-ip": "2001:db8:5::ffff:1" })).status).toBe(429);
    expect((await providerAs({ "cf-connecting-ip": "2001:db8:6::1" })).status).toBe(400);
  });

  it("27,000 unique 15 KB client keys leave the server's memory where it was", async () => {
    process.env.HOURGLASS_TRUSTED_PROXY_HOPS = "1";
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // Each key its own 15 KB of memory (a repeated padding would be one string shared by all of them).
    // At the dispatch route, whose bucket refills a token in six seconds: a key once used stays unfull that long.
    // (Without a deployed chain in unit tests, a request the limiter lets through throws after it: caught here.)
    for (let i = 0; i < 27_000; i++) {
      const request = new Request("http://app.test/api/jobs/abc/dispatch", {
        method: "POST",
        headers: { "x-forwarded-for": randomBytes(7680).toString("hex") },
        body: "{}",
      });
      await dispatchPost(request, params({ id: "abc" })).catch(() => undefined);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 27,000 keys of 15 KB are 400 MB when kept: allow a few MB for the limiter's bounded map.
    expect(grown, `heap grew ${Math.round(grown / 2 ** 20)} MiB`).toBeLessThan(32 * 2 ** 20);
  }, 120_000);
});

beforeAll(() => {
  for (const name of PROXY_ENV) delete process.env[name];
});
