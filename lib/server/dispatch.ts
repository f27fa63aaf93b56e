/**
 * POST /api/jobs/[id]/dispatch, without Next: checks the body and the buyer's signature against the on-chain
 * job, reads the host's endpoint from the registry (never from the request), and relays the dispatch to it.
 * The host verifies everything again itself; this only keeps garbage and strangers off hosts.
 */
import { isHex, type Hex } from "viem";
import { z } from "zod";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { recoverDispatchSigner } from "../jobs/dispatch";
import { specHash, jobSpecSchema } from "../jobs/spec";
import { jobStatus } from "../jobs/status";
import { expiryRefusal } from "./access";
import { relayAnswerWithin } from "./relay";
import { hostAnswer, parseJobId, refuse, unreachable, type ChainContext, type RouteResult } from "./route";
import { endpointPolicy, parseEndpoint } from "./ssrf";

export const dispatchBodySchema = z
  .object({
    spec: jobSpecSchema,
    expiry: z.string().regex(/^\d{1,20}$/, "unix seconds as a decimal string"),
    signature: z.string().refine((v) => isHex(v) && v.length === 132, "a 65-byte hex signature"),
  })
  .strict();

export async function relayDispatch(rawId: string, body: unknown, ctx: ChainContext): Promise<RouteResult> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return refuse(400, "The job id must be a positive whole number.");
  const parsed = dispatchBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refuse(400, `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const { spec, expiry, signature } = parsed.data;
  const late = expiryRefusal(expiry);
  if (late) return late;

  // Started together: recovering the signature (CPU) need not wait for the job's read (a round trip to the RPC).
  const hash = specHash(spec);
  const [job, signer] = await Promise.all([
    ctx.client.readContract({ address: ctx.escrow, abi: jobEscrowAbi, functionName: "job", args: [jobId] }),
    recoverDispatchSigner(ctx.chainId, ctx.escrow, { jobId, specHash: hash, expiry: BigInt(expiry) }, signature as Hex).catch(() => undefined),
  ]);
  const status = jobStatus(job.status);
  if (status === "none") return refuse(404, `There is no job #${jobId}.`);
  if (status !== "created") return refuse(409, `Job #${jobId} is ${status}, not waiting to start.`);
  if (hash !== job.specHash) return refuse(400, "The spec does not match the hash the job was funded with.");
  if (signer === undefined) return refuse(401, "The signature is malformed.");
  if (signer.toLowerCase() !== job.buyer.toLowerCase()) return refuse(401, `Only job #${jobId}'s buyer can dispatch it.`);

  const host = await ctx.client.readContract({ address: ctx.registry, abi: providerRegistryAbi, functionName: "host", args: [job.hostId] });
  try {
    const policy = endpointPolicy(ctx);
    const upstream = await relayAnswerWithin(
      parseEndpoint(host.endpoint, policy),
      {
        method: "POST",
        path: "jobs",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jobId: String(jobId), spec, expiry, signature }),
      },
      policy,
      ctx.timeoutMs,
    );
    return hostAnswer(job.hostId, upstream);
  } catch (error) {
    return unreachable(job.hostId, error);
  }
}
