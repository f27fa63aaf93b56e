/**
 * GET /api/jobs/[id]/events, without Next: checks the buyer's Access signature against the on-chain job and
 * relays the host's server-sent events, resuming from Last-Event-ID. The stream is pulled (the host is read
 * only as fast as the browser reads), and the upstream request is aborted when the browser leaves.
 */
import { Readable } from "node:stream";
import { isHex, type Hex } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { recoverAccessSigner } from "../jobs/dispatch";
import { jobStatus } from "../jobs/status";
import { parseJobId, type ChainContext, type RouteResult } from "./dispatch";
import { EndpointRefused, parseEndpoint, relay } from "./ssrf";

/** Longest silence tolerated from a host's stream (the agent sends a comment every 15 s). */
const STREAM_IDLE_MS = 45_000;

const refuse = (status: number, error: string): RouteResult => ({ status, body: { error } });

export interface EventsQuery {
  expiry: string | null;
  signature: string | null;
  lastEventId: string | null;
}

export async function relayEvents(
  rawId: string,
  query: EventsQuery,
  ctx: ChainContext,
  signal: AbortSignal,
): Promise<RouteResult | { stream: ReadableStream<Uint8Array> }> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return refuse(400, "The job id must be a positive whole number.");
  if (!query.expiry || !/^\d{1,20}$/.test(query.expiry)) return refuse(400, "expiry: unix seconds as a decimal string.");
  if (!query.signature || !isHex(query.signature) || query.signature.length !== 132) return refuse(400, "signature: a 65-byte hex signature.");
  const lastEventId = query.lastEventId ?? "0";
  if (!/^\d{1,15}$/.test(lastEventId)) return refuse(400, "Last-Event-ID must be an event number.");
  if (BigInt(query.expiry) <= BigInt(Math.floor(Date.now() / 1000))) return refuse(401, "The signature has expired. Sign again.");

  const job = await ctx.client.readContract({ address: ctx.escrow, abi: jobEscrowAbi, functionName: "job", args: [jobId] });
  if (jobStatus(job.status) === "none") return refuse(404, `There is no job #${jobId}.`);
  let signer: string;
  try {
    signer = await recoverAccessSigner(ctx.chainId, ctx.escrow, { jobId, action: "events", expiry: BigInt(query.expiry) }, query.signature as Hex);
  } catch {
    return refuse(401, "The signature is malformed.");
  }
  if (signer.toLowerCase() !== job.buyer.toLowerCase()) return refuse(401, `Only job #${jobId}'s buyer can read its events.`);

  const host = await ctx.client.readContract({ address: ctx.registry, abi: providerRegistryAbi, functionName: "host", args: [job.hostId] });
  try {
    const upstream = await relay(
      parseEndpoint(host.endpoint, ctx.allowLoopback),
      {
        method: "GET",
        path: `jobs/${jobId}/events?expiry=${query.expiry}&signature=${query.signature}`,
        headers: { accept: "text/event-stream", "last-event-id": lastEventId },
        timeoutMs: STREAM_IDLE_MS,
        signal,
      },
      ctx.allowLoopback,
    );
    if (upstream.statusCode !== 200) {
      upstream.resume();
      return refuse(502, `Host #${job.hostId} refused the event stream (${upstream.statusCode}).`);
    }
    signal.addEventListener("abort", () => upstream.destroy(), { once: true });
    return { stream: Readable.toWeb(upstream) as ReadableStream<Uint8Array> };
  } catch (error) {
    if (error instanceof EndpointRefused) return refuse(502, `Host #${job.hostId} cannot be reached: ${error.message}`);
    if (error instanceof Error && error.message === "timeout") return refuse(504, `Host #${job.hostId} did not answer in time.`);
    return refuse(502, `Host #${job.hostId} cannot be reached.`);
  }
}
