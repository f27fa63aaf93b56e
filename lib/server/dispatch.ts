/**
 * POST /api/jobs/[id]/dispatch, without Next: checks the body and the buyer's signature against the on-chain
 * job, reads the host's endpoint from the registry (never from the request), and relays the dispatch to it.
 * The host verifies everything again itself; this only keeps garbage and strangers off hosts.
 */
import { isHex, type Address, type Hex, type PublicClient } from "viem";
import { z } from "zod";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { recoverDispatchSigner } from "../jobs/dispatch";
import { specHash, jobSpecSchema } from "../jobs/spec";
import { jobStatus } from "../jobs/status";
import { EndpointRefused, parseEndpoint, relay } from "./ssrf";

export interface RouteResult {
  status: number;
  body: Record<string, unknown>;
}

export interface ChainContext {
  client: PublicClient;
  chainId: number;
  escrow: Address;
  registry: Address;
  /** Only `npm run dev` sets it: its host agents listen on loopback. */
  allowLoopback: boolean;
  timeoutMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

export const dispatchBodySchema = z
  .object({
    spec: jobSpecSchema,
    expiry: z.string().regex(/^\d{1,20}$/, "unix seconds as a decimal string"),
    signature: z.string().refine((v) => isHex(v) && v.length === 132, "a 65-byte hex signature"),
  })
  .strict();

const refuse = (status: number, error: string): RouteResult => ({ status, body: { error } });

export function parseJobId(raw: string): bigint | undefined {
  return /^[1-9]\d{0,30}$/.test(raw) ? BigInt(raw) : undefined;
}

export async function relayDispatch(rawId: string, body: unknown, ctx: ChainContext): Promise<RouteResult> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return refuse(400, "The job id must be a positive whole number.");
  const parsed = dispatchBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refuse(400, `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const { spec, expiry, signature } = parsed.data;
  if (BigInt(expiry) <= BigInt(Math.floor(Date.now() / 1000))) return refuse(401, "The signature has expired. Sign again.");

  const job = await ctx.client.readContract({ address: ctx.escrow, abi: jobEscrowAbi, functionName: "job", args: [jobId] });
  const status = jobStatus(job.status);
  if (status === "none") return refuse(404, `There is no job #${jobId}.`);
  if (status !== "created") return refuse(409, `Job #${jobId} is ${status}, not waiting to start.`);
  if (specHash(spec) !== job.specHash) return refuse(400, "The spec does not match the hash the job was funded with.");
  let signer: string;
  try {
    signer = await recoverDispatchSigner(ctx.chainId, ctx.escrow, { jobId, specHash: job.specHash, expiry: BigInt(expiry) }, signature as Hex);
  } catch {
    return refuse(401, "The signature is malformed.");
  }
  if (signer.toLowerCase() !== job.buyer.toLowerCase()) return refuse(401, `Only job #${jobId}'s buyer can dispatch it.`);

  const host = await ctx.client.readContract({ address: ctx.registry, abi: providerRegistryAbi, functionName: "host", args: [job.hostId] });
  try {
    const endpoint = parseEndpoint(host.endpoint, ctx.allowLoopback);
    const upstream = await relay(
      endpoint,
      {
        method: "POST",
        path: "jobs",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jobId: String(jobId), spec, expiry, signature }),
        timeoutMs: ctx.timeoutMs,
      },
      ctx.allowLoopback,
    );
    const text = await readCapped(upstream);
    let answer: Record<string, unknown>;
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return refuse(502, `Host #${job.hostId} answered with something that is not JSON.`);
    }
    const status = upstream.statusCode ?? 502;
    // The host's 2xx and 4xx are its answer to the buyer; its 5xx or a redirect is its failure: a bad gateway.
    const passOn = (status >= 200 && status < 300) || (status >= 400 && status < 500);
    return passOn ? { status, body: answer } : refuse(502, `Host #${job.hostId} failed: ${String(answer.error ?? status)}`);
  } catch (error) {
    if (error instanceof EndpointRefused) return refuse(502, `Host #${job.hostId} cannot be reached: ${error.message}`);
    if (error instanceof Error && error.message === "timeout") return refuse(504, `Host #${job.hostId} did not answer within ${ctx.timeoutMs / 1000} s.`);
    return refuse(502, `Host #${job.hostId} cannot be reached.`);
  }
}

function readCapped(response: import("node:http").IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy();
        reject(new Error("the host's answer is too large"));
      } else chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", reject);
  });
}
