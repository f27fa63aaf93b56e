/**
 * The check every route makes before relaying a buyer's signed request: well-formed, then the same check the
 * job's host makes (lib/protocol/signedRequest.ts) against the job in the escrow and its host in the registry,
 * whose endpoint is where the route relays it (never one from the request). The Access signature travels in
 * headers (ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER), browser → route → host, never in a URL, where
 * access logs and proxies keep it.
 */
import "server-only";
import type { Address, Hex } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { jobStatus } from "../jobs/status";
import { ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER, type SignedAccess } from "../protocol/jobSignatures";
import { accessSchema } from "../protocol/requests";
import { checkSignedRequest, lifetimeRefusal, requestSigner, type BuyerRequest } from "../protocol/signedRequest";
import { parseJobId, refuse, type ChainContext, type RouteResult } from "./route";

/** A request the chain says its signer may make: where it goes. */
export interface CheckedRequest {
  hostId: bigint;
  /** The job's buyer on-chain (the signer): what the events route caps streams per. */
  buyer: Address;
  endpoint: string;
}

/**
 * Checks `request`, signed with `signature`, as the job's host will: its lifetime first (no chain read for an
 * expired one), then the job and the signer, recovered while the job is read, then the job's host.
 */
export async function checkOnChain(
  request: BuyerRequest,
  signature: Hex,
  ctx: ChainContext,
  now = Math.floor(Date.now() / 1000),
): Promise<CheckedRequest | RouteResult> {
  const late = lifetimeRefusal(request.message.expiry, now);
  if (late) return refuse(late.status, late.error);
  // Started together: recovering the signature (CPU) need not wait for the job's read (a round trip to the RPC).
  const [read, signer] = await Promise.all([
    ctx.client.readContract({
      address: ctx.escrow,
      abi: jobEscrowAbi,
      functionName: "job",
      args: [request.message.jobId],
    }),
    requestSigner(ctx.chainId, ctx.escrow, request, signature),
  ]);
  const job = { ...read, status: jobStatus(read.status) };
  // A job that does not exist has no host to read (the registry reverts): the check refuses it first.
  const host =
    job.status === "none"
      ? undefined
      : await ctx.client.readContract({
          address: ctx.registry,
          abi: providerRegistryAbi,
          functionName: "host",
          args: [job.hostId],
        });
  const refusal = checkSignedRequest(request, signer, job, host && { id: job.hostId, signer: host.signer }, now);
  if (refusal) return refuse(refusal.status, refusal.error);
  return { hostId: job.hostId, buyer: job.buyer, endpoint: host!.endpoint };
}

/** An Access signature (lib/protocol's SignedAccess) as a request carries it: each part null when absent. */
export type AccessInRequest = { [K in keyof SignedAccess]: string | null };

/** The Access signature in a request's headers. */
export function accessFromHeaders(headers: Headers): AccessInRequest {
  return { expiry: headers.get(ACCESS_EXPIRY_HEADER), signature: headers.get(ACCESS_SIGNATURE_HEADER) };
}

/** An Access "events" signature for job `rawId` checked on-chain: the job, where to relay, and the headers that
 * carry the signature on to the host. */
export type AccessGranted = CheckedRequest & { jobId: bigint; headers: Record<string, string> };

const HEADERS = { expiry: ACCESS_EXPIRY_HEADER, signature: ACCESS_SIGNATURE_HEADER } as const;

export async function checkAccess(
  rawId: string,
  signed: AccessInRequest,
  ctx: ChainContext,
): Promise<AccessGranted | RouteResult> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return refuse(400, "The job id must be a positive whole number.");
  const parsed = accessSchema.safeParse({ expiry: signed.expiry ?? "", signature: signed.signature ?? "" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] as keyof typeof HEADERS;
    return refuse(400, `${field} (${HEADERS[field]}): ${issue.message}.`);
  }
  const { expiry, signature } = parsed.data;
  const checked = await checkOnChain({ kind: "access", message: { jobId, action: "events", expiry } }, signature, ctx);
  if ("status" in checked) return checked;
  return {
    ...checked,
    jobId,
    headers: { [ACCESS_EXPIRY_HEADER]: String(expiry), [ACCESS_SIGNATURE_HEADER]: signature },
  };
}
