import { NextResponse } from "next/server";
import { serverChainContext } from "@/lib/server/context";
import { relayEvents } from "@/lib/server/events";
import { clientKey, RateLimiter, tooManyRequests } from "@/lib/server/ratelimit";

/** Thirty streams at once, then one every two seconds, per client (reconnects included). */
const limiter = new RateLimiter(30, 0.5);

/** Relays a job's server-sent events from its host (lib/server/events.ts does the work). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const decision = limiter.take(clientKey(request.headers));
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const url = new URL(request.url);
  const result = await relayEvents(
    (await params).id,
    {
      expiry: url.searchParams.get("expiry"),
      signature: url.searchParams.get("signature"),
      lastEventId: request.headers.get("last-event-id") ?? url.searchParams.get("lastEventId"),
    },
    serverChainContext(),
    request.signal,
  );
  if ("stream" in result) {
    return new Response(result.stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
    });
  }
  return NextResponse.json(result.body, { status: result.status });
}
