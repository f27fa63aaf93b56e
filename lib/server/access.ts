/**
 * The check every buyer-only route makes before relaying: a well-formed job id, expiry and signature, an
 * Access signature for `action` that recovers to the job's buyer on-chain, and the job's host endpoint from
 * the registry. Returns the endpoint, or the refusal to answer with.
 */
import { isHex, type Hex } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { recoverAccessSigner, type AccessAction } from "../jobs/dispatch";
import { jobStatus } from "../jobs/status";
import { parseJobId, refuse, type ChainContext, type RouteResult } from "./route";

export interface AccessGranted {
  jobId: bigint;
  hostId: bigint;
  endpoint: string;
  expiry: string;
  signature: Hex;
}

const WHAT: Record<AccessAction, string> = { events: "read its events", stop: "stop it" };

export async function checkAccess(
  rawId: string,
  expiry: string | null | undefined,
  signature: string | null | undefined,
  action: AccessAction,
  ctx: ChainContext,
): Promise<AccessGranted | RouteResult> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return refuse(400, "The job id must be a positive whole number.");
  if (!expiry || !/^\d{1,20}$/.test(expiry)) return refuse(400, "expiry: unix seconds as a decimal string.");
  if (!signature || !isHex(signature) || signature.length !== 132) return refuse(400, "signature: a 65-byte hex signature.");
  if (BigInt(expiry) <= BigInt(Math.floor(Date.now() / 1000))) return refuse(401, "The signature has expired. Sign again.");

  // Started together: recovering the signature (CPU) need not wait for the job's read (a round trip to the RPC).
  const [job, signer] = await Promise.all([
    ctx.client.readContract({ address: ctx.escrow, abi: jobEscrowAbi, functionName: "job", args: [jobId] }),
    recoverAccessSigner(ctx.chainId, ctx.escrow, { jobId, action, expiry: BigInt(expiry) }, signature).catch(() => undefined),
  ]);
  if (jobStatus(job.status) === "none") return refuse(404, `There is no job #${jobId}.`);
  if (signer === undefined) return refuse(401, "The signature is malformed.");
  if (signer.toLowerCase() !== job.buyer.toLowerCase()) return refuse(401, `Only job #${jobId}'s buyer can ${WHAT[action]}.`);
  const host = await ctx.client.readContract({ address: ctx.registry, abi: providerRegistryAbi, functionName: "host", args: [job.hostId] });
  return { jobId, hostId: job.hostId, endpoint: host.endpoint, expiry, signature };
}
