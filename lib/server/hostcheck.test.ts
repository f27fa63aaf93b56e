/**
 * The host check against a stand-in agent on loopback: what it reads from /health, and the consent it asks
 * for only when the agent is configured for the wallet that asks.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { getAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signConsent } from "../consent";
import { checkHost } from "./hostcheck";

const signerKey = privateKeyToAccount(generatePrivateKey());
const SIGNER = signerKey.address;
const PROVIDER = getAddress("0x00000000000000000000000000000000000000bb");
const OTHER = getAddress("0x00000000000000000000000000000000000000cc");
const CHAIN_ID = 31337;
const REGISTRY = getAddress("0x00000000000000000000000000000000000000dd");
const DEADLINE = 1_700_000_000n;
/** The signer key's consent for `provider` on `registry` (the agent's, when both are right). */
const consentBy = (provider = PROVIDER, registry = REGISTRY): Promise<Hex> => signConsent(signerKey, CHAIN_ID, registry, { provider, deadline: DEADLINE });
let SIGNATURE: Hex;

/** What the stand-in agent answers, set per test, and the consent requests it received. */
let health: Record<string, unknown>;
let consent: { status: number; body: unknown; delayMs?: number };
let consentRequests: unknown[];
let server: http.Server;
let endpoint: string;
const ctx = { chainId: CHAIN_ID, registry: REGISTRY, allowLoopback: true, timeoutMs: 500 };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const answer = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (req.method === "GET" && req.url === "/health") return answer(200, health);
      if (req.method === "POST" && req.url === "/consent") {
        consentRequests.push(JSON.parse(body));
        return setTimeout(() => answer(consent.status, consent.body), consent.delayMs ?? 0);
      }
      answer(404, { error: "no such route" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  SIGNATURE = await consentBy();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  health = { version: "1.0.0", signer: SIGNER, provider: PROVIDER, runtime: "process", gpus: [], hostId: null, slots: { max: 4, free: 4 } };
  consent = { status: 200, body: { provider: PROVIDER, signer: SIGNER, deadline: String(DEADLINE), signature: SIGNATURE } };
  consentRequests = [];
});

describe("checkHost", () => {
  it("answers what the agent says about itself, and asks for no consent when no wallet is named", async () => {
    const result = await checkHost({ endpoint }, ctx);
    expect(result).toEqual({ status: 200, body: { endpoint, ...health } });
    expect(consentRequests).toEqual([]);
  });

  it("passes on the agent's consent when it is configured for the asking wallet, whatever its case", async () => {
    const result = await checkHost({ endpoint, provider: PROVIDER.toLowerCase() }, ctx);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ signer: SIGNER, provider: PROVIDER, consent: { deadline: String(DEADLINE), signature: SIGNATURE } });
    expect(result.body.consentRefused).toBeUndefined();
    expect(consentRequests).toEqual([{ provider: PROVIDER }]);
  });

  it("never asks an agent configured for another wallet, and says why", async () => {
    const result = await checkHost({ endpoint, provider: OTHER.toLowerCase() }, ctx);
    expect(result.body.consent).toBeUndefined();
    expect(result.body.consentRefused).toBe(
      `The agent is configured for ${PROVIDER}, not this wallet: connect that wallet, or set the agent's \`provider\` to ${OTHER} and restart it.`,
    );
    expect(consentRequests).toEqual([]);
  });

  it("passes on the agent's own refusal", async () => {
    consent = { status: 409, body: { error: "this signer already serves host #3" } };
    expect((await checkHost({ endpoint, provider: PROVIDER }, ctx)).body.consentRefused).toBe("The agent refused its consent: this signer already serves host #3");
    consent = { status: 500, body: "oops" };
    expect((await checkHost({ endpoint, provider: PROVIDER }, ctx)).body.consentRefused).toBe("The agent's /consent answered 500.");
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
      expect((await checkHost({ endpoint, provider: PROVIDER }, ctx)).body).toMatchObject({ consentRefused: refused });
    }
    consent = { status: 200, body: { ...answer, deadline: "soon", signature: SIGNATURE } };
    expect((await checkHost({ endpoint, provider: PROVIDER }, ctx)).body.consentRefused).toBe("The agent's /consent answered, but not with a consent.");
  });

  it("keeps the health it read when the consent does not come in time", async () => {
    consent = { ...consent, delayMs: 2_000 };
    const result = await checkHost({ endpoint, provider: PROVIDER }, ctx);
    expect(result).toMatchObject({ status: 200, body: { signer: SIGNER, consentRefused: "The agent did not answer the request for its consent in time." } });
  });

  it("refuses a body that is not an endpoint and an optional address", async () => {
    expect(await checkHost({ endpoint, provider: "me" }, ctx)).toEqual({ status: 400, body: { error: "provider: an address" } });
    expect((await checkHost({ endpoint, extra: 1 }, ctx)).status).toBe(400);
    expect(await checkHost({ endpoint: "http://10.0.0.1/" }, ctx)).toEqual({ status: 400, body: { error: "The host's endpoint is a private or reserved address." } });
  });

  it("says when the endpoint is not an agent, or one that names no provider", async () => {
    for (const answer of [{ hello: "world" }, { ...health, provider: undefined }]) {
      health = answer;
      expect(await checkHost({ endpoint }, ctx)).toEqual({ status: 502, body: { error: "The endpoint answered, but not as an Hourglass host agent's /health does." } });
    }
  });

  it("reads no more than 64 KiB of an agent's /health", async () => {
    health = { ...health, benchmark: { padding: "x".repeat(64 * 1024) } };
    expect(await checkHost({ endpoint }, ctx)).toEqual({ status: 502, body: { error: "The endpoint's /health answered more than 64 KiB: that is not an Hourglass host agent." } });
  });
});
