import { NextResponse } from "next/server";
import { serverChainContext } from "@/lib/server/context";
import { relayEvents } from "@/lib/server/events";

/** Relays a job's server-sent events from its host (lib/server/events.ts does the work). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
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
