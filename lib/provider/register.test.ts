import { hexToString } from "viem";
import { describe, expect, it } from "vitest";
import { parseEndpointInput, PUBLIC_ENDPOINT_RULE, readRegistration } from "./register";

const signer = "0x00000000000000000000000000000000000000aA" as const;
const account = "0x00000000000000000000000000000000000000bB" as const;
const signature = `0x${"11".repeat(65)}` as const;
const input = { endpoint: "https://gpu1.example.com", classId: "h100-sxm", gpus: "8", region: "eu-west", days: "30" };
const check = {
  asked: { endpoint: input.endpoint, provider: account },
  endpoint: input.endpoint,
  version: "1.0.0",
  signer,
  provider: account,
  runtime: "docker",
  gpus: [],
  hostId: null,
  slots: { max: 4, free: 4 },
  consent: { deadline: "4600", signature },
};
const ctx = { check, account, signerHost: 0, now: 1_000, hosts: 0, localChain: false };

describe("readRegistration", () => {
  it("builds the host's parameters, its signer and consent from the agent", () => {
    const read = readRegistration(input, ctx);
    expect("params" in read && read.params).toMatchObject({
      signer,
      gpuCount: 8,
      listedUntil: 1_000n + 30n * 86_400n,
      endpoint: input.endpoint,
      region: "eu-west",
    });
    expect("params" in read && hexToString(read.params.classId, { size: 32 })).toBe("h100-sxm");
    expect("consent" in read && read.consent).toEqual({ deadline: 4_600n, signature });
  });

  it("asks for a check of this very endpoint from this very wallet, and refuses an agent that already serves a host", () => {
    expect(readRegistration(input, { ...ctx, check: undefined })).toEqual({
      reason: "Check the endpoint first: the host's signer and its consent come from its agent.",
    });
    expect(readRegistration({ ...input, endpoint: "https://gpu2.example.com" }, ctx)).toMatchObject({
      reason: /^Check the endpoint first/,
    });
    // The wallet changed since the check (the address's case does not matter).
    expect(readRegistration(input, { ...ctx, account: account.toLowerCase() as `0x${string}` })).toHaveProperty(
      "params",
    );
    expect(readRegistration(input, { ...ctx, account: signer })).toEqual({
      reason: "Check the endpoint again: the last check was for another wallet.",
    });
    expect(readRegistration(input, { ...ctx, check: { ...check, hostId: 3 } })).toMatchObject({
      reason: /^This agent already serves host #3/,
    });
  });

  it("refuses a signer that already signs for a host, and waits until that is known", () => {
    expect(readRegistration(input, { ...ctx, signerHost: 5 })).toEqual({
      reason:
        "The agent's signer already signs for host #5: one key serves one host. Run a new agent with its own signer key.",
    });
    expect(readRegistration(input, { ...ctx, signerHost: undefined })).toMatchObject({ reason: /^Reading whether/ });
  });

  it("says why there is no consent, and asks for a fresh one before it runs out", () => {
    const refused = "The agent is configured for 0x0000…00cc, not this wallet: connect that wallet.";
    expect(
      readRegistration(input, { ...ctx, check: { ...check, consent: undefined, consentRefused: refused } }),
    ).toEqual({ reason: refused });
    // Valid until 4,600: fine at 4,540 (a minute to land), not at 4,541, expired after 4,600.
    expect(readRegistration(input, { ...ctx, now: 4_540 })).toHaveProperty("params");
    expect(readRegistration(input, { ...ctx, now: 4_541 })).toEqual({
      reason: "The agent's consent expires at 1970-01-01 01:16 UTC: check the endpoint again for a fresh one.",
    });
    expect(readRegistration(input, { ...ctx, now: 4_601 })).toEqual({
      reason: "The agent's consent expired at 1970-01-01 01:16 UTC: check the endpoint again for a fresh one.",
    });
  });

  it("says what is wrong with a field, in the registry's bounds", () => {
    expect(readRegistration({ ...input, endpoint: " " }, ctx)).toEqual({
      reason: "Enter the URL the host agent listens on.",
    });
    expect(readRegistration({ ...input, endpoint: "gpu1.example.com" }, ctx)).toEqual({
      reason: "Enter the endpoint as a URL, like https://gpu1.example.com.",
    });
    expect(readRegistration({ ...input, classId: "" }, ctx)).toEqual({ reason: "Pick a GPU class." });
    expect(readRegistration({ ...input, gpus: "0" }, ctx)).toEqual({ reason: "The GPU count must be from 1 to 1024." });
    expect(readRegistration({ ...input, gpus: "2.5" }, ctx)).toEqual({
      reason: "Enter the GPU count as a whole number.",
    });
    expect(readRegistration({ ...input, days: "731" }, ctx)).toEqual({
      reason: "The listing length in days must be from 1 to 730.",
    });
    expect(readRegistration({ ...input, region: "é".repeat(33) }, ctx)).toEqual({
      reason: "A region is at most 64 bytes.",
    });
    expect(readRegistration(input, { ...ctx, hosts: 32 })).toEqual({
      reason: "A provider can register at most 32 hosts.",
    });
  });
});

describe("parseEndpointInput", () => {
  it("off the local chain takes only https on port 443, as the routes relay and the host check calls", () => {
    for (const endpoint of [
      "http://gpu1.example.com",
      "https://gpu1.example.com:8443",
      "http://gpu1.example.com:443",
    ]) {
      expect(parseEndpointInput(endpoint, false), endpoint).toEqual({ error: PUBLIC_ENDPOINT_RULE });
    }
    expect(parseEndpointInput(" https://gpu1.example.com:443/agent ", false)).toEqual({
      value: "https://gpu1.example.com:443/agent",
    });
    expect(parseEndpointInput("http://127.0.0.1:8787", true)).toEqual({ value: "http://127.0.0.1:8787" });
    expect(parseEndpointInput("ftp://gpu1.example.com", true)).toEqual({
      error: "The endpoint must be an http(s) URL.",
    });
  });
});
