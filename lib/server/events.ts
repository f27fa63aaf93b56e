/**
 * GET /api/jobs/[id]/events, without Next: checks the buyer's Access signature against the on-chain job and
 * relays the host's server-sent events, resuming from Last-Event-ID. The stream is pulled (the host is read
 * only as fast as the browser reads), and the upstream request is aborted when the browser leaves.
 */
import { Readable } from "node:stream";
import { checkAccess } from "./access";
import { refuse, unreachable, type ChainContext, type RouteResult } from "./route";
import { parseEndpoint, relay } from "./ssrf";

/** Longest silence tolerated from a host's stream (the agent sends a comment every 15 s). */
const STREAM_IDLE_MS = 45_000;

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
  const lastEventId = query.lastEventId ?? "0";
  if (!/^\d{1,15}$/.test(lastEventId)) return refuse(400, "Last-Event-ID must be an event number.");
  const access = await checkAccess(rawId, query.expiry, query.signature, "events", ctx);
  if ("status" in access) return access;
  const { jobId, hostId } = access;
  try {
    const upstream = await relay(
      parseEndpoint(access.endpoint, ctx.allowLoopback),
      {
        method: "GET",
        path: `jobs/${jobId}/events?expiry=${access.expiry}&signature=${access.signature}`,
        headers: { accept: "text/event-stream", "last-event-id": lastEventId },
        timeoutMs: STREAM_IDLE_MS,
        signal,
      },
      ctx.allowLoopback,
    );
    if (upstream.statusCode !== 200) {
      upstream.resume();
      return refuse(502, `Host #${hostId} refused the event stream (${upstream.statusCode}).`);
    }
    signal.addEventListener("abort", () => upstream.destroy(), { once: true });
    return { stream: Readable.toWeb(upstream) as ReadableStream<Uint8Array> };
  } catch (error) {
    return unreachable(hostId, error);
  }
}
