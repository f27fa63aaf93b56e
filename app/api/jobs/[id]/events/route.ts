import { NextResponse } from "next/server";
import { accessFromHeaders } from "@/lib/server/access";
import { clientKey } from "@/lib/server/client";
import { serverChainContext } from "@/lib/server/context";
import { relayEvents } from "@/lib/server/eventRelay";
import { RateLimiter, tooManyRequests } from "@/lib/server/ratelimit";

/** Thirty stream starts at once, then one every two seconds, per client (reconnects included); how many may be
 * open at once is capped in lib/server/eventRelay.ts. */
const limiter = new RateLimiter(30, 0.5);

/**
 * Relays a job's server-sent events from its host (lib/server/eventRelay.ts does the work). The Access signature
 * comes in the x-hourglass-expiry and x-hourglass-signature headers (the app reads the stream with fetch);
 * `?expiry=&signature=` is accepted only as a fallback for EventSource, which cannot set headers, at the cost
 * of the signature landing in access logs.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const client = clientKey(request.headers);
  const decision = await limiter.take(client);
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const url = new URL(request.url);
  const inHeaders = accessFromHeaders(request.headers);
  const access =
    inHeaders.expiry !== null || inHeaders.signature !== null
      ? inHeaders
      : { expiry: url.searchParams.get("expiry"), signature: url.searchParams.get("signature") };
  const result = await relayEvents(
    (await params).id,
    { ...access, lastEventId: request.headers.get("last-event-id") ?? url.searchParams.get("lastEventId"), client },
    serverChainContext(),
    request.signal,
  );
  if ("stream" in result) {
    return new Response(result.stream, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  }
  return NextResponse.json(result.body, { status: result.status });
}
