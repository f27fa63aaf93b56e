/**
 * The check every buyer-only route makes before relaying: a well-formed job id, expiry and signature, an
 * expiry no further ahead than a host accepts, an Access signature for `action` that recovers to the job's
 * buyer on-chain, and the job's host endpoint from the registry. Returns the endpoint, or the refusal to
 * answer with. The signature travels in headers (ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER), browser →
 * route → host, never in a URL, where access logs and proxies keep it.
 */
import { isHex, type Address, type Hex } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER, MAX_SIGNATURE_LIFETIME, recoverAccessSigner, type AccessAction } from "../jobs/dispatch";
import { jobStatus } from "../jobs/status";
import { parseJobId, refuse, type ChainContext, type RouteResult } from "./route";

export interface AccessGranted {
  jobId: bigint;
  hostId: bigint;
  /** The job's buyer on-chain (the signer): what the events route caps streams per. */
  buyer: Address;
  endpoint: string;
  expiry: string;
  signature: Hex;
}

const WHAT: Record<AccessAction, string> = { events: "read its events", stop: "stop it" };

/** An Access signature as a request carries it (each part null when absent). */
export interface SignedAccess {
  expiry: string | null;
  signature: string | null;
}

/** The Access signature in a request's headers. */
export function accessFromHeaders(headers: Headers): SignedAccess {
  return { expiry: headers.get(ACCESS_EXPIRY_HEADER), signature: headers.get(ACCESS_SIGNATURE_HEADER) };
}

/** The headers that carry `access` on to the host. */
export const accessHeaders = (access: { expiry: string; signature: string }): Record<string, string> => ({
  [ACCESS_EXPIRY_HEADER]: access.expiry,
  [ACCESS_SIGNATURE_HEADER]: access.signature,
});

/**
 * Why a signature's `expiry` (decimal unix seconds) cannot be used now, or undefined: expired, or further
 * ahead than a host accepts (a long-lived signature is a bearer token for as long: the host refuses it, so
 * the route does not relay it). Shared by the Access and Dispatch routes.
 */
export function expiryRefusal(expiry: string, now = Math.floor(Date.now() / 1000)): RouteResult | undefined {
  const at = BigInt(expiry);
  if (at <= BigInt(now)) return refuse(401, "The signature has expired. Sign again.");
  if (at > BigInt(now + MAX_SIGNATURE_LIFETIME)) {
    return refuse(401, `A signature may be valid for at most ${MAX_SIGNATURE_LIFETIME / 3600} hours. Sign again.`);
  }
  return undefined;
}

export async function checkAccess(
  rawId: string,
  expiry: string | null | undefined,
  signature: string | null | undefined,
  action: AccessAction,
  ctx: ChainContext,
): Promise<AccessGranted | RouteResult> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return refuse(400, "The job id must be a positive whole number.");
  if (!expiry || !/^\d{1,20}$/.test(expiry)) return refuse(400, `expiry (${ACCESS_EXPIRY_HEADER}): unix seconds as a decimal string.`);
  if (!signature || !isHex(signature) || signature.length !== 132) return refuse(400, `signature (${ACCESS_SIGNATURE_HEADER}): a 65-byte hex signature.`);
  const late = expiryRefusal(expiry);
  if (late) return late;

  // Started together: recovering the signature (CPU) need not wait for the job's read (a round trip to the RPC).
  const [job, signer] = await Promise.all([
    ctx.client.readContract({ address: ctx.escrow, abi: jobEscrowAbi, functionName: "job", args: [jobId] }),
    recoverAccessSigner(ctx.chainId, ctx.escrow, { jobId, action, expiry: BigInt(expiry) }, signature).catch(() => undefined),
  ]);
  if (jobStatus(job.status) === "none") return refuse(404, `There is no job #${jobId}.`);
  if (signer === undefined) return refuse(401, "The signature is malformed.");
  if (signer.toLowerCase() !== job.buyer.toLowerCase()) return refuse(401, `Only job #${jobId}'s buyer can ${WHAT[action]}.`);
  const host = await ctx.client.readContract({ address: ctx.registry, abi: providerRegistryAbi, functionName: "host", args: [job.hostId] });
  return { jobId, hostId: job.hostId, buyer: job.buyer, endpoint: host.endpoint, expiry, signature };
}
