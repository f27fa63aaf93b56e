/**
 * Hostile endpoint forms against a real listener on loopback: every one is refused and no connection ever
 * reaches the listener; the same listener is reachable when loopback is explicitly allowed (so the test can fail).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBlockedAddress, parseEndpoint, relay } from "./ssrf";
import { hostileEndpoints } from "./ssrf.fixtures";

let server: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  server = createServer((_, res) => res.end("ok"));
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("endpoint guard", () => {
  it(`refuses every hostile form and never connects`, async () => {
    const forms = hostileEndpoints(port);
    expect(forms.length).toBeGreaterThanOrEqual(30);
    for (const form of forms) {
      const attempt = (async () => relay(parseEndpoint(form), { method: "GET", path: "/health", timeoutMs: 2000 }))();
      await expect(attempt, form).rejects.toThrow();
    }
    expect(connections).toBe(0);
  });

  it("reaches the same listener when loopback is allowed (npm run dev)", async () => {
    const response = await relay(parseEndpoint(`http://127.0.0.1:${port}`, true), { method: "GET", path: "/", timeoutMs: 2000 }, true);
    expect(response.statusCode).toBe(200);
    response.resume();
    expect(connections).toBe(1);
  });

  it("lets public addresses through", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1", "100.128.0.1"]) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
    expect(parseEndpoint("https://gpu.example.com:8443/base").host).toBe("gpu.example.com:8443");
  });
});
