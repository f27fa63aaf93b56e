/**
 * The host signer's consent to serve a provider: the EIP-712 `HostSigner(address provider,uint256 deadline)`
 * that ProviderRegistry.registerHost requires, signed by the host's own key, so nobody can register a machine
 * whose key they do not hold (issue 15, signer squatting). The host agent signs it (`POST /consent`) only for
 * the provider named in its config; the provider page passes it to `registerHost`. The domain binds it to the
 * registry and the chain.
 */
import {
  getAddress,
  hashTypedData,
  isAddress,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type LocalAccount,
} from "viem";
import { z } from "zod";
import { signatureField, unixSecondsField } from "./fields";

const CONSENT_DOMAIN_NAME = "Hourglass ProviderRegistry";
const CONSENT_DOMAIN_VERSION = "1";
/** How long an agent's consent stays usable: time to send the registration, not a standing permission. */
export const CONSENT_LIFETIME_SECONDS = 3600;

const CONSENT_TYPES = {
  HostSigner: [
    { name: "provider", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface HostSignerConsent {
  /** The provider the signer agrees to serve: the account that calls registerHost. */
  provider: Address;
  /** Unix seconds (chain time) after which registerHost refuses it. */
  deadline: bigint;
}

const consentTypedData = (chainId: number, registry: Address, consent: HostSignerConsent) =>
  ({
    domain: { name: CONSENT_DOMAIN_NAME, version: CONSENT_DOMAIN_VERSION, chainId, verifyingContract: registry },
    types: CONSENT_TYPES,
    primaryType: "HostSigner",
    message: consent,
  }) as const;

/** The digest ProviderRegistry.signerConsentDigest returns. */
export const signerConsentDigest = (chainId: number, registry: Address, consent: HostSignerConsent): Hex =>
  hashTypedData(consentTypedData(chainId, registry, consent));

/** The host signer key's consent (65 bytes, low s, as the registry requires). */
export const signConsent = (signer: LocalAccount, chainId: number, registry: Address, consent: HostSignerConsent) =>
  signer.signTypedData(consentTypedData(chainId, registry, consent));

/** Who signed a consent (viem rejects malformed signatures by throwing). */
export const recoverConsentSigner = (chainId: number, registry: Address, consent: HostSignerConsent, signature: Hex) =>
  recoverTypedDataAddress({ ...consentTypedData(chainId, registry, consent), signature });

// The agent's `POST /consent` on the wire: the host agent parses the request and writes the answer with these,
// the app's host check reads the answer with them.
const address = z
  .string()
  .refine((v) => isAddress(v), "an address")
  .transform((v) => getAddress(v));

/** `POST /consent`'s body: the provider the caller wants the signer's consent for. */
export const consentRequestSchema = z.object({ provider: address }).strict();

/** `POST /consent`'s answer: the consent, ready for `registerHost(params, deadline, signature)`. */
export const consentAnswerSchema = z
  .object({
    provider: address,
    signer: address,
    deadline: unixSecondsField,
    signature: signatureField,
  })
  .strict();

export type ConsentAnswer = z.input<typeof consentAnswerSchema>;
