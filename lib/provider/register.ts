/**
 * The register-a-host form, read: each field checked as the registry will check it (ProviderRegistry
 * .registerHost), the signer and its consent taken from the agent itself (through the host check, asked for
 * the connected wallet), and the host's parameters built, or the first reason it cannot be registered yet.
 */
import { stringToHex, type Address, type Hex } from "viem";
import { parseWhole, type Field } from "../forms";
import { GPU_CLASSES } from "../scu/ratings";
import { formatClock } from "../time";
import type { HostCheck, HostCheckRequest } from "./hostcheck";
import { HOST_LIMITS } from "../contracts/constants";

export interface RegistrationInput {
  endpoint: string;
  classId: string;
  gpus: string;
  region: string;
  days: string;
}

export interface HostParams {
  signer: Address;
  classId: Hex;
  gpuCount: number;
  listedUntil: bigint;
  endpoint: string;
  region: string;
}

const bytes = (s: string) => new TextEncoder().encode(s).length;

export function parseRegionInput(input: string): Field<string> {
  const region = input.trim();
  return bytes(region) > HOST_LIMITS.maxRegionBytes
    ? { error: `A region is at most ${HOST_LIMITS.maxRegionBytes} bytes.` }
    : { value: region };
}

/** Why off the local chain an endpoint is https on 443: the route relays buyers' specs, signatures and output
 * to it only over TLS, and the host check tries no other port (the routes' SSRF guard). */
export const PUBLIC_ENDPOINT_RULE =
  "Off the local chain the endpoint must be https:// on port 443 (run the agent behind a TLS proxy such as Caddy or nginx).";

/** The endpoint as typed, or why it cannot be one; `localChain`: http and any port are fine on anvil. */
export function parseEndpointInput(input: string, localChain: boolean): Field<string> {
  const endpoint = input.trim();
  if (endpoint === "") return { error: "Enter the URL the host agent listens on." };
  if (bytes(endpoint) > HOST_LIMITS.maxEndpointBytes)
    return { error: `An endpoint is at most ${HOST_LIMITS.maxEndpointBytes} bytes.` };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { error: "Enter the endpoint as a URL, like https://gpu1.example.com." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { error: "The endpoint must be an http(s) URL." };
  if (!localChain && (url.protocol !== "https:" || url.port !== "")) return { error: PUBLIC_ENDPOINT_RULE };
  return { value: endpoint };
}

/** A consent that expires within this many seconds of chain time is too late for a transaction to land. */
export const CONSENT_MARGIN_SECONDS = 60;

/** What the registration's transaction sends: `registerHost(params, consent.deadline, consent.signature)`. */
export interface Registration {
  params: HostParams;
  consent: { deadline: bigint; signature: Hex };
}

/**
 * The host's parameters and its signer's consent, or why not. `check` is the last host check and what it
 * asked; `account` the connected wallet; `signerHost` the host the checked signer already signs for on-chain
 * (0: none, undefined: not read yet); `now` is chain time; `hosts` how many the provider has; `localChain`
 * whether the app runs on anvil (elsewhere the endpoint must be https on 443).
 */
export function readRegistration(
  input: RegistrationInput,
  ctx: {
    check: (HostCheck & { asked: HostCheckRequest }) | undefined;
    account: Address;
    signerHost: number | undefined;
    now: number;
    hosts: number;
    localChain: boolean;
  },
): Registration | { reason: string } {
  const { check, account, signerHost, now, hosts, localChain } = ctx;
  const endpoint = parseEndpointInput(input.endpoint, localChain);
  if ("error" in endpoint) return { reason: endpoint.error };
  if (!check || check.asked.endpoint !== input.endpoint)
    return { reason: "Check the endpoint first: the host's signer and its consent come from its agent." };
  if (check.asked.provider?.toLowerCase() !== account.toLowerCase())
    return { reason: "Check the endpoint again: the last check was for another wallet." };
  if (check.hostId != null)
    return {
      reason: `This agent already serves host #${check.hostId}. Run a new agent (its own signer key) for another host.`,
    };
  if (signerHost === undefined) return { reason: "Reading whether the agent's signer already serves a host…" };
  if (signerHost !== 0)
    return {
      reason: `The agent's signer already signs for host #${signerHost}: one key serves one host. Run a new agent with its own signer key.`,
    };
  if (!check.consent) return { reason: check.consentRefused ?? "The agent gave no consent: check the endpoint again." };
  const deadline = BigInt(check.consent.deadline);
  if (deadline < BigInt(now + CONSENT_MARGIN_SECONDS)) {
    return {
      reason: `The agent's consent ${deadline <= BigInt(now) ? "expired" : "expires"} at ${formatClock(Number(deadline))}: check the endpoint again for a fresh one.`,
    };
  }
  if (!GPU_CLASSES.some((c) => c.id === input.classId)) return { reason: "Pick a GPU class." };
  const gpus = parseWhole(input.gpus, "GPU count", 1, HOST_LIMITS.maxGpus);
  if ("error" in gpus) return { reason: gpus.error };
  const days = parseWhole(input.days, "listing length in days", 1, HOST_LIMITS.maxListingDays);
  if ("error" in days) return { reason: days.error };
  const region = parseRegionInput(input.region);
  if ("error" in region) return { reason: region.error };
  if (hosts >= HOST_LIMITS.maxHosts)
    return { reason: `A provider can register at most ${HOST_LIMITS.maxHosts} hosts.` };
  return {
    params: {
      signer: check.signer,
      classId: stringToHex(input.classId, { size: 32 }),
      gpuCount: gpus.value,
      listedUntil: BigInt(now + days.value * 86_400),
      endpoint: endpoint.value,
      region: region.value,
    },
    consent: { deadline, signature: check.consent.signature },
  };
}
