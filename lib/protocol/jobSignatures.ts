/**
 * The buyer's signatures a host checks before it does anything for a job (PROTOCOL.md, "Signatures"):
 * Dispatch (run this spec for this job) and Access (read its events). The route and the host both check each
 * against the on-chain job (lib/protocol/signedRequest.ts): signed by its buyer, for a job on this host,
 * funded, the spec hash matching, not expired. The domain is bound to the chain and the escrow.
 */
import { recoverTypedDataAddress, type Address, type Hex } from "viem";

const DISPATCH_DOMAIN_NAME = "Hourglass Dispatch";
const DISPATCH_DOMAIN_VERSION = "1";
/** How long a signature stays usable at most: the route and the host refuse expiries further ahead. */
export const MAX_SIGNATURE_LIFETIME = 24 * 3600;

/**
 * The headers an Access signature travels in: browser → route → host. Headers, not the query
 * string, so the signature stays out of access logs, proxies' logs and the browser's history.
 */
export const ACCESS_EXPIRY_HEADER = "x-hourglass-expiry";
export const ACCESS_SIGNATURE_HEADER = "x-hourglass-signature";

const DISPATCH_TYPES = {
  Dispatch: [
    { name: "jobId", type: "uint256" },
    { name: "specHash", type: "bytes32" },
    { name: "expiry", type: "uint64" },
  ],
  Access: [
    { name: "jobId", type: "uint256" },
    { name: "action", type: "string" },
    { name: "expiry", type: "uint64" },
  ],
} as const;

/** An Access signature as it travels (in ACCESS_EXPIRY_HEADER and ACCESS_SIGNATURE_HEADER): unix seconds and
 * the hex signature, as strings. */
export interface SignedAccess {
  expiry: string;
  signature: string;
}

/**
 * What an Access signature allows, each a scope of its own, so that a token handed to one client opens nothing
 * else: "events" reads the job's event stream, "service" calls the ports its spec declares
 * (`/api/jobs/[id]/http/[port]/…`), "files" uploads its inputs and lists and downloads its files, "download"
 * only lists and downloads them (what a link carries). A buyer stops a job on-chain (JobEscrow.stop): no
 * signature here stops anything.
 */
export const ACCESS_ACTIONS = ["events", "service", "files", "download"] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface Dispatch {
  jobId: bigint;
  specHash: Hex;
  /** Unix seconds after which the host refuses it. */
  expiry: bigint;
}

export interface Access {
  jobId: bigint;
  action: AccessAction;
  expiry: bigint;
}

const dispatchDomain = (chainId: number, escrow: Address) =>
  ({ name: DISPATCH_DOMAIN_NAME, version: DISPATCH_DOMAIN_VERSION, chainId, verifyingContract: escrow }) as const;

export const dispatchTypedData = (chainId: number, escrow: Address, message: Dispatch) =>
  ({ domain: dispatchDomain(chainId, escrow), types: DISPATCH_TYPES, primaryType: "Dispatch", message }) as const;

export const accessTypedData = (chainId: number, escrow: Address, message: Access) =>
  ({ domain: dispatchDomain(chainId, escrow), types: DISPATCH_TYPES, primaryType: "Access", message }) as const;

/** Who signed a dispatch (viem rejects malformed signatures by throwing). */
export const recoverDispatchSigner = (chainId: number, escrow: Address, message: Dispatch, signature: Hex) =>
  recoverTypedDataAddress({ ...dispatchTypedData(chainId, escrow, message), signature });

export const recoverAccessSigner = (chainId: number, escrow: Address, message: Access, signature: Hex) =>
  recoverTypedDataAddress({ ...accessTypedData(chainId, escrow, message), signature });
