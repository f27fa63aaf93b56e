/**
 * The host check against a stand-in agent on loopback: what it reads from /health, the consent it asks for
 * only when the agent is configured for the wallet that signed the check, and, as an attacker would use it,
 * an unsigned or replayed check, a port prober reading its refusals, and an agent that drips its answer.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { getAddress, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signConsent } from "../protocol/consent";
import { hostCheckTypedData } from "../provider/hostcheck";
import { checkHost, NOT_AN_AGENT } from "./hostcheck";

const signerKey = privateKeyToAccount(generatePrivateKey());
const SIGNER = signerKey.address;
/** The connected wallet that signs the checks. */
const wallet = privateKeyToAccount(generatePrivateKey());
const PROVIDER = wallet.address;
const OTHER = getAddress("0x00000000000000000000000000000000000000cc");
const CHAIN_ID = 31337;
const REGISTRY = getAddress("0x00000000000000000000000000000000000000dd");
const DEADLINE = 1_700_000_000n;
/** The signer key's consent for `provider` on `registry` (the agent's, when both are right). */
const consentBy = (provider = PROVIDER, registry = REGISTRY): Promise<Hex> =>
  signConsent(signerKey, CHAIN_ID, registry, { provider, deadline: DEADLINE });
let SIGNATURE: Hex;

/** What the stand-in agent answers, set per test, and what it received. */
let health: Record<string, unknown> | "drip" | 404 | "huge";
let healthDelayMs: number;
let consent: { status: number; body: unknown; delayMs?: number };
let consentRequests: unknown[];
let requests: number;
let connections: number;
let server: http.Server;
let port: number;
let endpoint: string;
const ctx = { chainId: CHAIN_ID, registry: REGISTRY, allowLoopback: true, timeoutMs: 500 };

/** A check as the provider page sends it: signed by `by` (the connected wallet) for `endpoint`. */
async function signed(
  url: string,
  {
    consent: ask = false,
    by = wallet,
    expiresIn = 120,
    chainId = CHAIN_ID,
    signedFor = url,
  }: { consent?: boolean; by?: LocalAccount; expiresIn?: number; chainId?: number; signedFor?: string } = {},
) {
  const expiry = BigInt(Math.floor(Date.now() / 1000) + expiresIn);
  const signature = await by.signTypedData(hostCheckTypedData(chainId, REGISTRY, { endpoint: signedFor, expiry }));
  return { endpoint: url, provider: PROVIDER, expiry: String(expiry), signature, ...(ask ? { consent: true } : {}) };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const answer = (status: number, value: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (req.method === "GET" && req.url === "/health") {
        if (health === "drip") {
          // One byte every 100 ms for 3 s: never idle long enough for a socket timeout to notice.
          res.writeHead(200, { "content-type": "application/json" });
          const drip = setInterval(() => res.write(" "), 100);
          setTimeout(() => (clearInterval(drip), res.end("{}")), 3_000);
          res.on("close", () => clearInterval(drip));
          return;
        }
        if (health === 404) return answer(404, { error: "no such route" });
        if (health === "huge") return answer(200, { padding: "x".repeat(100 * 1024) });
        const value = health;
        return setTimeout(() => answer(200, value), healthDelayMs);
      }
      if (req.method === "POST" && req.url === "/consent") {
        consentRequests.push(JSON.parse(body));
        return setTimeout(() => answer(consent.status, consent.body), consent.delayMs ?? 0);
      }
      answer(404, { error: "no such route" });
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${port}/`;
  SIGNATURE = await consentBy();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  health = {
    version: "1.0.0",
    signer: SIGNER,
    provider: PROVIDER,
    runtime: "process",
    gpus: [],
    hostId: null,
    slots: { max: 4, free: 4 },
  };
  healthDelayMs = 0;
  consent = {
    status: 200,
    body: { provider: PROVIDER, signer: SIGNER, deadline: String(DEADLINE), signature: SIGNATURE },
  };
  consentRequests = [];
  requests = 0;
  connections = 0;
});

describe("checkHost", () => {
  it("answers what the agent says about itself, and asks for no consent unless asked", async () => {
    const result = await checkHost(await signed(endpoint), ctx);
    expect(result).toEqual({ status: 200, body: { endpoint, ...(health as object) } });
    expect(consentRequests).toEqual([]);
  });

  it("passes on the agent's consent when it is configured for the wallet that signed", async () => {
    const result = await checkHost(await signed(endpoint, { consent: true }), ctx);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      signer: SIGNER,
      provider: PROVIDER,
      consent: { deadline: String(DEADLINE), signature: SIGNATURE },
    });
    expect(result.body.consentRefused).toBeUndefined();
    expect(consentRequests).toEqual([{ provider: PROVIDER }]);
  });

  it("never asks an agent configured for another wallet, and says why", async () => {
    health = { ...(health as object), provider: OTHER };
    const result = await checkHost(await signed(endpoint, { consent: true }), ctx);
    expect(result.body.consent).toBeUndefined();
    expect(result.body.consentRefused).toBe(
      `The agent is configured for ${OTHER}, not this wallet: connect that wallet, or set the agent's \`provider\` to ${PROVIDER} and restart it.`,
    );
    expect(consentRequests).toEqual([]);
  });

  it("passes on the agent's own refusal", async () => {
    consent = { status: 409, body: { error: "this signer already serves host #3" } };
    expect((await checkHost(await signed(endpoint, { consent: true }), ctx)).body.consentRefused).toBe(
      "The agent refused its consent: this signer already serves host #3",
    );
    consent = { status: 500, body: "oops" };
    expect((await checkHost(await signed(endpoint, { consent: true }), ctx)).body.consentRefused).toBe(
      "The agent's /consent answered 500.",
    );
  });

  it("passes on only a consent its signer signed for this wallet, registry and chain", async () => {
    const refused = "The agent's consent is not its signer's signature for this wallet on this registry and chain.";
    const answer = { provider: PROVIDER, signer: SIGNER, deadline: String(DEADLINE) };
    for (const wrong of [
      { ...answer, signer: OTHER, signature: SIGNATURE }, // says another signer than its /health
      { ...answer, signature: await consentBy(OTHER) }, // signed for another wallet
      { ...answer, signature: await consentBy(PROVIDER, OTHER) }, // signed for another registry
      { ...answer, deadline: String(DEADLINE + 1n), signature: SIGNATURE }, // signed for another deadline
      { ...answer, signature: await privateKeyToAccount(generatePrivateKey()).signMessage({ message: "hi" }) }, // another key
    ]) {
      consent = { status: 200, body: wrong };
      expect((await checkHost(await signed(endpoint, { consent: true }), ctx)).body).toMatchObject({
        consentRefused: refused,
      });
    }
    consent = { status: 200, body: { ...answer, deadline: "soon", signature: SIGNATURE } };
    expect((await checkHost(await signed(endpoint, { consent: true }), ctx)).body.consentRefused).toBe(
      "The agent's /consent answered, but not with a consent.",
    );
  });

  it("keeps the health it read when the consent does not come in time", async () => {
    consent = { ...consent, delayMs: 2_000 };
    const result = await checkHost(await signed(endpoint, { consent: true }), ctx);
    expect(result).toMatchObject({
      status: 200,
      body: { signer: SIGNER, consentRefused: "The agent did not answer the request for its consent in time." },
    });
  });

  it("gives /health and /consent one deadline together, not one each", async () => {
    healthDelayMs = 300;
    consent = { ...consent, delayMs: 300 }; // each alone within the 500 ms, both together not
    const started = Date.now();
    const result = await checkHost(await signed(endpoint, { consent: true }), ctx);
    expect(result.body.consentRefused).toBe("The agent did not answer the request for its consent in time.");
    expect(Date.now() - started).toBeLessThan(ctx.timeoutMs + 400);
  });

  it("refuses a body that is not a signed check of an endpoint", async () => {
    const good = await signed(endpoint);
    expect(await checkHost({ ...good, provider: "me" }, ctx)).toEqual({
      status: 400,
      body: { error: "provider: an address" },
    });
    expect((await checkHost({ ...good, extra: 1 }, ctx)).status).toBe(400);
    expect((await checkHost({ ...good, expiry: "soon" }, ctx)).status).toBe(400);
    expect(await checkHost(await signed("http://10.0.0.1/"), ctx)).toEqual({
      status: 400,
      body: { error: "The host's endpoint is a private or reserved address." },
    });
    expect(requests).toBe(0);
  });

  it("says when the endpoint is not an agent, or one that names no provider", async () => {
    for (const answer of [{ hello: "world" }, { ...(health as object), provider: undefined }]) {
      health = answer;
      expect(await checkHost(await signed(endpoint), ctx)).toEqual({ status: 502, body: { error: NOT_AN_AGENT } });
    }
  });
});

describe("checkHost, as an attacker uses it", () => {
  it("refuses a check no wallet signed, or signed for another endpoint, chain or time, before any connection", async () => {
    const good = await signed(endpoint);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const refusals = [
      await checkHost({ endpoint }, ctx), // unsigned, as the check took it before
      await checkHost({ endpoint, provider: PROVIDER }, ctx),
      await checkHost({ ...good, signature: (await signed(endpoint, { by: stranger })).signature }, ctx), // another wallet's
      await checkHost(await signed(endpoint, { signedFor: `http://127.0.0.1:${port + 1}/` }), ctx), // for another endpoint
      await checkHost(await signed(endpoint, { chainId: 1 }), ctx), // for another chain
      await checkHost(await signed(endpoint, { expiresIn: -1 }), ctx), // expired
      await checkHost(await signed(endpoint, { expiresIn: 3600 }), ctx), // good for longer than a check may be
    ];
    for (const refusal of refusals) {
      expect(refusal.status, JSON.stringify(refusal.body)).toBeGreaterThanOrEqual(400);
      expect(refusal.status, JSON.stringify(refusal.body)).toBeLessThan(500);
      expect(refusal.body.error).toEqual(expect.any(String));
    }
    expect(connections).toBe(0);
  });

  it("off the local chain, refuses a non-standard port or plain http before any connection", async () => {
    const publicChain = { ...ctx, chainId: 1 };
    const sign = (url: string) => signed(url, { chainId: 1 });
    expect(await checkHost(await sign(`https://127.0.0.1:${port}/`), publicChain)).toEqual({
      status: 400,
      body: { error: "Off the local chain a host's endpoint must be https on the standard port (443)." },
    });
    expect((await checkHost(await sign(endpoint), publicChain)).status).toBe(400);
    expect((await checkHost(await sign("http://gpu.example.com/"), publicChain)).body).toEqual({
      error: "Off the local chain a host's endpoint must be https on the standard port (443).",
    });
    expect(connections).toBe(0);
  });

  it("tells a port prober the same thing for a closed port, a web server, a slow answer and a large one", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const answers = [await checkHost(await signed(`http://127.0.0.1:${closedPort}/`), ctx)];
    for (const kind of [404, { hello: "world" }, "huge", "drip"] as const) {
      health = kind;
      answers.push(await checkHost(await signed(endpoint), ctx));
    }
    for (const answer of answers) expect(answer).toEqual({ status: 502, body: { error: NOT_AN_AGENT } });
  });

  it("cuts an agent that drips its /health at the deadline", async () => {
    health = "drip";
    const started = Date.now();
    expect((await checkHost(await signed(endpoint), ctx)).status).toBe(502);
    const elapsed = Date.now() - started;
    expect(elapsed, `answered after ${elapsed} ms`).toBeLessThan(ctx.timeoutMs + 700);
  });
});
