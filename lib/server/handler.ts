/**
 * A job route that takes a JSON body: the per-client rate limit, the body limit, then `relay` with the
 * server's chain context. The dispatch and stop routes are this with their own limiter and relay.
 */
import { readJsonBody } from "./body";
import { serverChainContext } from "./context";
import { clientKey, tooManyRequests, type RateLimiter } from "./ratelimit";
import type { ChainContext, RouteResult } from "./route";

type Relay = (rawId: string, body: unknown, ctx: ChainContext) => Promise<RouteResult>;

export function jsonPostRoute(limiter: RateLimiter, relay: Relay) {
  return async (request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> => {
    const decision = limiter.take(clientKey(request.headers));
    if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
    const body = await readJsonBody(request);
    const result = body.ok ? await relay((await params).id, body.value, serverChainContext()) : body.result;
    return Response.json(result.body, { status: result.status });
  };
}
