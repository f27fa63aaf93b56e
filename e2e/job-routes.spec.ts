import { expect, test } from "./fixtures";

const validShape = { spec: { version: 1, image: "node:22-slim", command: ["node", "-e", "1"], env: {} }, expiry: "9999999999", signature: `0x${"ab".repeat(65)}` };

test("the job routes answer bad requests with a status and a reason a person can read", async ({ request }) => {
  const junk = await request.post("/api/jobs/1/dispatch", { data: { spec: "rm -rf /" } });
  expect(junk.status()).toBe(400);
  expect((await junk.json()).error).toMatch(/spec/);

  const notJson = await request.post("/api/jobs/1/dispatch", { data: "{", headers: { "content-type": "application/json" } });
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
});

test("a client that floods the dispatch route is told when to come back", async ({ request }) => {
  const headers = { "x-forwarded-for": "198.51.100.7" };
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await request.post("/api/jobs/abc/dispatch", { data: validShape, headers })).status());
  expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
  const limited = await request.post("/api/jobs/abc/dispatch", { data: validShape, headers });
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
});
