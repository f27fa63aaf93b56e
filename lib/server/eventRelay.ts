/**
 * GET /api/jobs/[id]/events, without Next: checks the buyer's Access signature against the on-chain job and
 * relays the host's server-sent events, resuming from Last-Event-ID. The stream is pulled (the host is read
 * only as fast as the browser reads), and the upstream request is aborted when the browser leaves.
 *
 * Each open stream holds two sockets for as long as it lasts, so open streams are capped (not only their
 * starts, which the route's rate limit counts): per client, per job, per host, per buyer and in all, a slot
 * taken once the buyer's signature is checked (so nobody can use up another buyer's job's streams) and given
 * back when the stream ends, fails, or the browser leaves. The per-host and per-buyer caps are what keep one
 * party from holding them all: a provider's own endpoint can keep a stream open forever (a comment under the
 * idle limit), and the provider can be its own buyer from any number of client keys. And no stream lasts
 * longer than STREAM_LIFETIME_MS: the relay then ends it as a finished stream ends, and the browser's reader
 * (lib/hooks/useJobLogs.ts), having had no final event, reconnects with Last-Event-ID, through the caps again.
 */
import "server-only";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { LAST_EVENT_ID_PATTERN } from "../protocol/eventStream";
import { checkAccess } from "./access";
import { StreamLimiter } from "./ratelimit";
import { relayStream } from "./relay";
import { refuse, unreachable, type ChainContext, type RouteResult } from "./route";
import { endpointPolicy, parseEndpoint } from "./ssrf";

/** Longest silence tolerated from a host's stream once it has started (the agent sends a comment every 15 s). */
export const STREAM_IDLE_MS = 45_000;

/** Open streams one app instance relays: in all, per client, per job (a host takes eight per job), per host
 * and per buyer (each an eighth of the total, so it takes eight hosts or buyers to fill it). */
export const EVENT_STREAM_CAPS = { total: 512, perClient: 8, perJob: 4, perHost: 64, perBuyer: 64 } as const;

/** Longest one relayed stream lasts before the relay ends it (the reader resumes with Last-Event-ID). */
export const STREAM_LIFETIME_MS = 30 * 60_000;

/** The app's open event streams (one instance's; lib/server/ratelimit.ts says how a shared store fits). */
export const eventStreams = new StreamLimiter(EVENT_STREAM_CAPS);

export interface EventsRequest {
  /** The Access "events" signature (headers, or the query string for EventSource). */
  expiry: string | null;
  signature: string | null;
  lastEventId: string | null;
  /** Who asks (lib/server/client.ts): the key its open streams count under. */
  client: string;
}

export async function relayEvents(
  rawId: string,
  request: EventsRequest,
  ctx: ChainContext,
  signal: AbortSignal,
  streams: StreamLimiter = eventStreams,
  lifetimeMs: number = STREAM_LIFETIME_MS,
): Promise<RouteResult | { stream: ReadableStream<Uint8Array> }> {
  const lastEventId = request.lastEventId ?? "0";
  if (!LAST_EVENT_ID_PATTERN.test(lastEventId)) return refuse(400, "Last-Event-ID must be an event number.");
  const access = await checkAccess(rawId, request, ctx);
  if ("status" in access) return access;
  const { jobId, hostId } = access;
  const slot = await streams.acquire(request.client, jobId, hostId, access.buyer);
  if (!slot.ok) return refuse(slot.status, slot.refusal);
  try {
    const policy = endpointPolicy(ctx);
    const upstream = await relayStream(
      parseEndpoint(access.endpoint, policy),
      {
        method: "GET",
        path: `jobs/${jobId}/events`,
        headers: { accept: "text/event-stream", "last-event-id": lastEventId, ...access.headers },
      },
      policy,
      { headersMs: ctx.timeoutMs, idleMs: STREAM_IDLE_MS, signal },
    );
    // However the stream ends (finished, failed, idle, cancelled by the browser), its socket closes.
    upstream.once("close", slot.release);
    if (upstream.statusCode !== 200) {
      upstream.destroy();
      return refuse(502, `Host #${hostId} refused the event stream (${upstream.statusCode}).`);
    }
    return { stream: withLifetime(upstream, lifetimeMs) };
  } catch (error) {
    slot.release();
    return unreachable(hostId, error);
  }
}

/**
 * The host's stream for the browser, ended at `lifetimeMs` as a finished stream ends (closed, not errored).
 * It may end in the middle of an event: a reader keeps only whole events (blank-line terminated; EventSource
 * and readEvents both drop a partial one), and resumes after the last whole one it saw, so nothing is lost or
 * repeated. Ending the browser's side cancels the pipe from the host, which destroys the upstream request:
 * its socket closes and its slot is given back.
 */
function withLifetime(upstream: IncomingMessage, lifetimeMs: number): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cut = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      timer = setTimeout(() => controller.terminate(), lifetimeMs);
    },
  });
  // However the stream ends first, the timer goes with it (none left pending for half an hour).
  upstream.once("close", () => clearTimeout(timer));
  return (Readable.toWeb(upstream) as ReadableStream<Uint8Array>).pipeThrough(cut);
}
