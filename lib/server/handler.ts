/**
 * A job route that acts on a POST: the per-client rate limit, then its JSON body read under the body limit
 * (≤ 64 KiB, read as a capped stream), then `relay` with the server's chain context. The dispatch route is this
 * with its own limiter and relay.
 */
import "server-only";
import { readJsonBody } from "./body";
import { clientKey } from "./client";
import { serverChainContext } from "./context";
import { tooManyRequests, type RateLimiter } from "./ratelimit";
import type { ChainContext, RouteResult } from "./route";

type Relay = (rawId: string, body: unknown, ctx: ChainContext) => Promise<RouteResult>;

export function jobPostRoute(limiter: RateLimiter, relay: Relay) {
  return async (request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> => {
    const decision = await limiter.take(clientKey(request.headers));
    if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
    const read = await readJsonBody(request);
    const result = read.ok ? await relay((await params).id, read.value, serverChainContext()) : read.result;
    return Response.json(result.body, { status: result.status });
  };
}
