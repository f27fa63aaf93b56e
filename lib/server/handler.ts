/**
 * A job route that acts on a POST: the per-client rate limit, then its input (a JSON body read under the body
 * limit, or the Access headers), then `relay` with the server's chain context. The dispatch and stop routes
 * are this with their own limiter, input and relay.
 */
import { accessFromHeaders, type SignedAccess } from "./access";
import { readJsonBody, type BodyRead } from "./body";
import { clientKey } from "./client";
import { serverChainContext } from "./context";
import { tooManyRequests, type RateLimiter } from "./ratelimit";
import type { ChainContext, RouteResult } from "./route";

type Relay<T> = (rawId: string, input: T, ctx: ChainContext) => Promise<RouteResult>;
type Input<T> = (request: Request) => Promise<BodyRead<T>>;

/** The request's JSON body (≤ 64 KiB, read as a capped stream). */
export const jsonBody: Input<unknown> = (request) => readJsonBody(request);

/** The Access signature in the request's headers; a body, if any, is never read. */
export const accessInHeaders: Input<SignedAccess> = async (request) => ({ ok: true, value: accessFromHeaders(request.headers) });

export function jobPostRoute<T>(limiter: RateLimiter, input: Input<T>, relay: Relay<T>) {
  return async (request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> => {
    const decision = await limiter.take(clientKey(request.headers));
    if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
    const read = await input(request);
    const result = read.ok ? await relay((await params).id, read.value, serverChainContext()) : read.result;
    return Response.json(result.body, { status: result.status });
  };
}
