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
import { BoundedCache } from "../limits";
import {
  checkSignedRequest,
  lifetimeRefusal,
  requestSigner,
  type BuyerRequest,
  type JobOnChain,
} from "../protocol/signedRequest";
import { parseJobId, refuse, type ChainContext, type RouteResult } from "./route";

/** A request the chain says its signer may make: where it goes. */
export interface CheckedRequest {
  hostId: bigint;
  /** The job's buyer on-chain (the signer): what the events route caps streams per. */
  buyer: Address;
  endpoint: string;
}

/** What one app instance remembers so that a stream's reconnects and a service's requests do not each recover a
 * signature and read the chain: at most this many of each. */
const MAX_REMEMBERED = 10_000;
/** A host's endpoint is what its provider last set (`setEndpoint`): read again after this long. */
export const ENDPOINT_TTL_MS = 15_000;

/** Who signed a request: a fact about its bytes, remembered until the request expires. */
const signers = new BoundedCache<string, Address | undefined>(MAX_REMEMBERED);
/** A job's buyer, host and signer never change once it exists: remembered for good (its status is read anew
 * wherever it matters: a dispatch). */
const jobs = new BoundedCache<string, JobOnChain>(MAX_REMEMBERED);
/** A host's signer is bound for good; its endpoint may change, so the pair is read again after ENDPOINT_TTL_MS. */
const hosts = new BoundedCache<string, { signer: Address; endpoint: string }>(MAX_REMEMBERED);

/** The caches, per client (its chain and node), chain and escrow: tests run many chains in one process. */
const scope = (ctx: ChainContext) => `${ctx.client.uid}:${ctx.chainId}:${ctx.escrow}:`;

async function signerOf(request: BuyerRequest, signature: Hex, ctx: ChainContext): Promise<Address | undefined> {
  const m = request.message;
  const key = `${scope(ctx)}${request.kind}:${m.jobId}:${"action" in m ? m.action : m.specHash}:${m.expiry}:${signature}`;
  const known = signers.get(key);
  if (known) return known.value;
  const signer = await requestSigner(ctx.chainId, ctx.escrow, request, signature);
  signers.set(key, signer, Number(m.expiry) * 1000);
  return signer;
}

async function jobOf(jobId: bigint, fresh: boolean, ctx: ChainContext): Promise<JobOnChain> {
  const key = `${scope(ctx)}${jobId}`;
  const known = fresh ? undefined : jobs.get(key);
  if (known) return known.value;
  const read = await ctx.client.readContract({
    address: ctx.escrow,
    abi: jobEscrowAbi,
    functionName: "job",
    args: [jobId],
  });
  const job = { ...read, status: jobStatus(read.status) };
  if (job.status !== "none") jobs.set(key, job, Infinity);
  return job;
}

async function hostOf(hostId: bigint, ctx: ChainContext) {
  const key = `${scope(ctx)}${hostId}`;
  const known = hosts.get(key);
  if (known) return known.value;
  const host = await ctx.client.readContract({
    address: ctx.registry,
    abi: providerRegistryAbi,
    functionName: "host",
    args: [hostId],
  });
  const value = { signer: host.signer, endpoint: host.endpoint };
  hosts.set(key, value, Date.now() + (ctx.endpointTtlMs ?? ENDPOINT_TTL_MS));
  return value;
}

/**
 * Checks `request`, signed with `signature`, as the job's host will: its lifetime first (no chain read for an
 * expired one), then the job and the signer, recovered while the job is read, then the job's host. What cannot
 * change is remembered (a signature's signer, a job's parties); a dispatch reads its job anew (it must be
 * waiting to start), and a host's endpoint is read again after ENDPOINT_TTL_MS. The host checks every request
 * itself anyway.
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
  const [job, signer] = await Promise.all([
    jobOf(request.message.jobId, request.kind === "dispatch", ctx),
    signerOf(request, signature, ctx),
  ]);
  // A job that does not exist has no host to read (the registry reverts): the check refuses it first.
  const host = job.status === "none" ? undefined : await hostOf(job.hostId, ctx);
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
