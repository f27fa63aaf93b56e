/**
 * Hostile endpoint forms against a real listener on loopback: every one is refused and no connection ever
 * reaches the listener; the same listener is reachable when loopback is explicitly allowed (so the test can fail).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBlockedAddress, parseEndpoint, relay } from "./ssrf";

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

const hostile = () => [
  `http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://LOCALHOST:${port}`, `http://sub.localhost:${port}`,
  `http://2130706433:${port}`, `http://0x7f000001:${port}`, `http://0177.0.0.1:${port}`, `http://127.1:${port}`,
  `http://0x7f.1:${port}`, `http://0x7f.0x0.0x0.0x1:${port}`, `http://017700000001:${port}`, `http://127.000.000.001:${port}`,
  `http://[::1]:${port}`, `http://[::ffff:127.0.0.1]:${port}`, `http://[::ffff:7f00:1]:${port}`,
  `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}`, `http://[::127.0.0.1]:${port}`, `http://0.0.0.0:${port}`, `http://0:${port}`,
  `http://vm:${port}`, `http://runsc:${port}`, // names that resolve to loopback here: refused at lookup
  "http://10.0.0.1", "http://172.16.0.1", "http://172.31.255.254", "http://192.168.1.1", "http://100.64.0.1",
  "http://169.254.169.254/latest/meta-data/", "http://[::ffff:a9fe:a9fe]/", "http://[fe80::1]", "http://[fc00::1]",
  "http://[fd12:3456::1]", "http://224.0.0.1", "http://255.255.255.255", "http://[::]", "http://[64:ff9b::7f00:1]",
  "http://[2002:7f00:1::]", "http://192.0.2.2", "ftp://example.com", "file:///etc/passwd", `gopher://127.0.0.1:${port}`,
  "http://user:pass@example.com", "javascript:alert(1)", "not a url",
];

describe("endpoint guard", () => {
  it(`refuses every hostile form and never connects`, async () => {
    const forms = hostile();
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
