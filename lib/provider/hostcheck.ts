/**
 * What the host check answers (POST /api/hosts/check): the agent's /health (lib/protocol/health.ts) with where
 * it was reached and the agent's consent, as the host check route answers it and the browser
 * reads it (the register form, useHostCheck). No server code: the browser imports the types from here. The
 * agent's consent itself is lib/protocol/consent.ts's.
 */
import type { Address, Hex } from "viem";
import type { HostHealth } from "../protocol/health";

/** A consent as the check passes it on: what `registerHost(params, deadline, signature)` takes. */
export interface SignerConsent {
  /** Unix seconds, as a decimal string (JSON has no bigint). */
  deadline: string;
  signature: Hex;
}

/** The check's answer: the agent's health, where it was reached, and, when a provider was named, the agent's
 * consent for it or the sentence that says why there is none. */
export type HostCheck = HostHealth & {
  endpoint: string;
  consent?: SignerConsent;
  consentRefused?: string;
};

/** What the browser asked the check: an edit of either makes the answer stale. */
export interface HostCheckRequest {
  endpoint: string;
  /** The connected wallet, which signs the check. */
  provider: Address;
  /** Ask the agent for its signer's consent to serve `provider` (registering needs it; moving an endpoint not). */
  consent?: boolean;
}

/**
 * The check is asked for by a wallet: `HostCheck(string endpoint, uint64 expiry)`, EIP-712, signed by the
 * connected wallet for this chain's registry, good for at most HOST_CHECK_LIFETIME_SECONDS. It keeps the check
 * from being an anonymous prober of other people's servers: each one is a wallet's signed request for one
 * endpoint, refused once expired, and an agent's consent is only ever asked for the wallet that signed.
 */
export const HOST_CHECK_LIFETIME_SECONDS = 300;
export const HOST_CHECK_DOMAIN_NAME = "Hourglass Host Check";

export const HOST_CHECK_TYPES = {
  HostCheck: [
    { name: "endpoint", type: "string" },
    { name: "expiry", type: "uint64" },
  ],
} as const;

export const hostCheckTypedData = (chainId: number, registry: Address, message: { endpoint: string; expiry: bigint }) =>
  ({
    domain: { name: HOST_CHECK_DOMAIN_NAME, version: "1", chainId, verifyingContract: registry },
    types: HOST_CHECK_TYPES,
    primaryType: "HostCheck",
    message,
  }) as const;

/** What the browser posts to the check: the request, its expiry (unix seconds, decimal) and the signature. */
export type SignedHostCheck = HostCheckRequest & { expiry: string; signature: Hex };
