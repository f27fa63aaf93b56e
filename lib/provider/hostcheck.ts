/**
 * What a host agent says about itself and what the host check answers (POST /api/hosts/check): the shapes
 * the server checks an agent's /health against (lib/server/hostcheck.ts) and the browser reads (the register
 * form, useHostCheck). No server code: the browser imports the types from here. The agent's consent itself is
 * lib/consent.ts's.
 */
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { z } from "zod";

/** An address in any case, passed on checksummed. */
const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "an address")
  .transform((v) => getAddress(v));

/** What a host agent's `GET /health` answers (host/server.ts); unknown fields are dropped. */
export const hostHealthSchema = z.object({
  version: z.string().max(64),
  /** The key that signs the host's receipts: the address a registration names. */
  signer: address,
  /** The wallet the agent is configured to serve: it consents to be registered by that wallet alone. */
  provider: address,
  runtime: z.string().max(64),
  gpus: z.array(z.object({ name: z.string().max(256), memoryMiB: z.number().optional() })).max(1024),
  benchmark: z.record(z.string(), z.unknown()).optional(),
  hostId: z.number().int().positive().nullable().optional(),
  slots: z.object({ max: z.number(), free: z.number() }),
});

export type HostHealth = z.infer<typeof hostHealthSchema>;

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
  provider?: Address;
}
