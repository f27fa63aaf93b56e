import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/server/body";
import { serverChainContext } from "@/lib/server/context";
import { clientKey, RateLimiter, tooManyRequests } from "@/lib/server/ratelimit";
import { relayStop } from "@/lib/server/stop";

/** Ten stops at once, then one every six seconds, per client. */
const limiter = new RateLimiter(10, 1 / 6);

/** Relays a buyer's signed stop to the job's host (lib/server/stop.ts does the work). */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const decision = limiter.take(clientKey(request.headers));
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const body = await readJsonBody(request);
  if (!body.ok) return NextResponse.json(body.result.body, { status: body.result.status });
  const result = await relayStop((await params).id, body.value, serverChainContext());
  return NextResponse.json(result.body, { status: result.status });
}
