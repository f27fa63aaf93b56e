import fc from "fast-check";
import { ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER } from "../lib/protocol/jobSignatures";
import { expect, test } from "./fixtures";

/** Well-formed: its expiry an hour ahead (the routes refuse one over 24 hours ahead before reading the chain). */
const validShape = {
  spec: { version: 1, image: "node:22-slim", command: ["node", "-e", "1"], env: {} },
  expiry: String(Math.floor(Date.now() / 1000) + 3600),
  signature: `0x${"ab".repeat(65)}`,
};

test("the job routes answer bad requests with a status and a reason a person can read", async ({ request }) => {
  const junk = await request.post("/api/jobs/1/dispatch", { data: { spec: "rm -rf /" } });
  expect(junk.status()).toBe(400);
  expect((await junk.json()).error).toMatch(/spec/);

  const notJson = await request.post("/api/jobs/1/dispatch", {
    data: "{",
    headers: { "content-type": "application/json" },
  });
  expect(notJson.status()).toBe(400);

  const huge = await request.post("/api/jobs/1/dispatch", { data: { ...validShape, pad: "x".repeat(70_000) } });
  expect(huge.status()).toBe(413);

  const badId = await request.post("/api/jobs/abc/dispatch", { data: validShape });
  expect(badId.status()).toBe(400);

  const missing = await request.post("/api/jobs/424242/dispatch", { data: validShape });
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error).toBe("There is no job #424242.");

  const events = await request.get("/api/jobs/1/events?expiry=1&signature=0x12");
  expect(events.status()).toBe(400);
  const inHeaders = await request.get("/api/jobs/1/events", {
    headers: { [ACCESS_EXPIRY_HEADER]: "1", [ACCESS_SIGNATURE_HEADER]: "0x12" },
  });
  expect(inHeaders.status()).toBe(400);
  expect((await inHeaders.json()).error).toMatch(/x-hourglass-signature/);

  // A signature good for ten years is refused by the route, as the host would refuse it.
  const tenYears = await request.get("/api/jobs/1/events", {
    headers: {
      [ACCESS_EXPIRY_HEADER]: String(Math.floor(Date.now() / 1000) + 10 * 365 * 86_400),
      [ACCESS_SIGNATURE_HEADER]: validShape.signature,
    },
  });
  expect(tenYears.status()).toBe(401);
  expect((await tenYears.json()).error).toBe("A signature may be valid for at most 24 hours. Sign again.");
});

test("a client that floods the dispatch route is told when to come back", async ({ request }) => {
  const headers = { "x-forwarded-for": "198.51.100.7" };
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++)
    statuses.push((await request.post("/api/jobs/abc/dispatch", { data: validShape, headers })).status());
  expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
  const limited = await request.post("/api/jobs/abc/dispatch", { data: validShape, headers });
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
});

test("1,000 generated malformed requests over HTTP each get a 4xx and a JSON reason, never a 5xx", async ({
  request,
}) => {
  // Any id Next routes to these handlers: no path separators or dot segments, which would route elsewhere.
  // Weighted towards well-formed parts, so most cases get past the first check to a deeper one.
  const id = fc
    .oneof(
      { arbitrary: fc.nat().map(String), weight: 3 },
      fc.constantFrom("0", "-1", "1e3", "0x1", " 1", "9".repeat(40)),
      fc.string({ minLength: 1 }),
    )
    .filter((s) => !/[/\\%?#]/.test(s) && s !== "." && s !== "..");
  const headerSafe = fc.string().filter((s) => /^[\x20-\x7e]*$/.test(s));
  const field = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.string(),
    fc.constantFrom("9999999999", `0x${"ab".repeat(65)}`, `0x${"00".repeat(65)}`),
  );
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string(),
    fc.constantFrom("", "{", "[]", "null", "\u0000", '{"__proto__":{"x":1}}'),
    {
      arbitrary: fc
        .tuple(fc.constantFrom("spec", "expiry", "signature", "extra"), field)
        .map(([key, value]) => JSON.stringify({ ...validShape, [key]: value })),
      weight: 4,
    },
    fc.constant(JSON.stringify(validShape)),
  );
  const cases = fc.record({
    route: fc.constantFrom("dispatch", "events"),
    id,
    body,
    contentType: fc.constantFrom("application/json", "text/plain", undefined),
    expiry: fc.oneof(fc.constantFrom("9999999999", "1"), headerSafe),
    signature: fc.oneof(headerSafe, fc.constant(validShape.signature)),
    lastEventId: fc.option(headerSafe),
    inQuery: fc.boolean(), // events: the EventSource fallback, or the headers
    client: fc.ipV4(), // each case from its own client, so the rate limiter answers few of them
  });
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const path = `/api/jobs/${encodeURIComponent(c.id)}/${c.route}`;
      const headers: Record<string, string> = {
        "x-forwarded-for": c.client,
        ...(c.contentType ? { "content-type": c.contentType } : {}),
      };
      const access = { [ACCESS_EXPIRY_HEADER]: c.expiry, [ACCESS_SIGNATURE_HEADER]: c.signature };
      const response =
        c.route === "events"
          ? await request.get(
              c.inQuery ? `${path}?${new URLSearchParams({ expiry: c.expiry, signature: c.signature })}` : path,
              {
                headers: {
                  ...headers,
                  ...(c.inQuery ? {} : access),
                  ...(c.lastEventId !== null ? { "last-event-id": c.lastEventId } : {}),
                },
              },
            )
          : await request.post(path, { data: c.body, headers });
      const status = response.status();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const what = `${c.route} ${path} → ${status}`;
      expect(status, what).toBeGreaterThanOrEqual(400);
      expect(status, what).toBeLessThan(500);
      expect(typeof ((await response.json()) as { error?: unknown }).error, what).toBe("string");
    }),
    { numRuns: 1000, seed: 20261126 },
  );
  console.log(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
});
