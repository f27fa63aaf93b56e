/**
 * Hostile endpoint forms against a real listener on loopback: every one is refused and no connection ever
 * reaches the listener; the same listener is reachable when loopback is explicitly allowed (so the test can
 * fail). Forms that point anywhere but loopback are only parsed, never relayed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relayAnswerWithin } from "./relay";
import { HTTPS_REQUIRED, isBlockedAddress, parseEndpoint, relay, type EndpointPolicy } from "./ssrf";
import { loopbackEndpoints, remoteEndpoints } from "./__fixtures__/ssrfEndpoints";

/** Production on the local chain: plain http allowed, so what refuses a form is the address guard alone. */
const LOCAL: EndpointPolicy = { allowLoopback: false, allowHttp: true, standardPortOnly: false };
const DEV: EndpointPolicy = { ...LOCAL, allowLoopback: true };

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

/** Whether the URL's host is an address literal (not a name, which is checked at lookup). */
const isLiteral = (form: string) => {
  try {
    return /^(\[.*\]|[\d.]+)$/.test(new URL(form).hostname);
  } catch {
    return false;
  }
};

describe("endpoint guard", () => {
  it("refuses every form that points elsewhere when parsing it, so nothing is ever sent there", () => {
    expect(remoteEndpoints.length).toBeGreaterThanOrEqual(25);
    for (const form of remoteEndpoints) expect(() => parseEndpoint(form, LOCAL), form).toThrow();
  });

  it("refuses every loopback form, address literals already when parsing, and never connects", async () => {
    const forms = loopbackEndpoints(port);
    expect(forms.length).toBeGreaterThanOrEqual(25);
    for (const form of forms) {
      if (isLiteral(form)) expect(() => parseEndpoint(form, LOCAL), form).toThrow();
      const attempt = (async () =>
        relayAnswerWithin(parseEndpoint(form, LOCAL), { method: "GET", path: "/health" }, LOCAL, 2000))();
      await expect(attempt, form).rejects.toThrow();
    }
    expect(connections).toBe(0);
  });

  it("blocks IPv4 carried in hex IPv6 (IPv4-compatible, -mapped and -translated) and site-local fec0::/10", () => {
    for (const address of [
      "::7f00:1",
      "0:0:0:0:0:0:7f00:1",
      "::127.0.0.1",
      "::a9fe:a9fe",
      "::169.254.169.254",
      "::a00:1",
      "::c0a8:101",
      "::ffff:0:7f00:1",
      "::ffff:0:a9fe:a9fe",
      "::ffff:0:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "::ffff:169.254.169.254",
      "::808:808",
      "::ffff:0:808:808", // even a public IPv4 in a deprecated or translated form is not how a host is reached
      "fec0::1",
      "fec0:0:0:ffff::1",
      "feff:ffff::1",
      "[::7f00:1]",
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
  });

  it("reaches the same listener when loopback is allowed (npm run dev)", async () => {
    const response = await relay(parseEndpoint(`http://127.0.0.1:${port}`, DEV), { method: "GET", path: "/" }, DEV);
    expect(response.statusCode).toBe(200);
    response.resume();
    expect(connections).toBe(1);
  });

  it("lets public addresses through", () => {
    for (const address of [
      "8.8.8.8",
      "1.1.1.1",
      "2606:4700:4700::1111",
      "172.32.0.1",
      "100.128.0.1",
      "::ffff:8.8.8.8",
      "::ffff:808:808",
      "2001:4860:4860::8888",
    ]) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
    expect(parseEndpoint("https://gpu.example.com:8443/base", LOCAL).host).toBe("gpu.example.com:8443");
  });

  it("off the local chain, refuses plain http, and for the host check any port but https's", () => {
    const publicChain: EndpointPolicy = { allowLoopback: false, allowHttp: false, standardPortOnly: false };
    expect(() => parseEndpoint("http://gpu.example.com/", publicChain)).toThrow(HTTPS_REQUIRED);
    expect(parseEndpoint("https://gpu.example.com:8443/", publicChain).port).toBe("8443");
    const hostCheck = { ...publicChain, standardPortOnly: true };
    for (const form of ["https://gpu.example.com:8443/", "http://gpu.example.com/", "https://gpu.example.com:22/"]) {
      expect(() => parseEndpoint(form, hostCheck), form).toThrow(/standard port/);
    }
    expect(parseEndpoint("https://gpu.example.com:443/", hostCheck).port).toBe("");
  });
});
