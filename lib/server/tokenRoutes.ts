/**
 * The route handlers of the token-carrying relays (lib/server/tokenRelay.ts), as Next calls them: the rate limit
 * per client, then the relay, with the host path taken from the request's own URL (its percent-encoding and
 * query kept as the client sent them).
 */
import "server-only";
import { ACCESS_TOKEN_QUERY } from "../protocol/accessToken";
import { clientKey } from "./client";
import { serverChainContext } from "./context";
import { RateLimiter, tooManyRequests } from "./ratelimit";
import { relayWithToken } from "./tokenRelay";

/** A service takes bursts (a page's assets, a client's retries): 120 at once, then 20 a second, per client. */
const serviceLimiter = new RateLimiter(120, 20);
/** Files: 30 at once, then one a second. */
const filesLimiter = new RateLimiter(30, 1);

type Context = { params: Promise<{ id: string; port?: string }> };

/** The path after `/api/`, query included, as the browser sent it; a token in the query goes on in a header
 * (tokenRelay), so not into the host's logs too. */
const hostPath = (request: Request) => {
  const url = new URL(request.url);
  url.searchParams.delete(ACCESS_TOKEN_QUERY);
  return `${url.pathname.replace(/^\/api\//, "")}${url.search}`;
};

async function service(request: Request, { params }: Context): Promise<Response> {
  const client = clientKey(request.headers);
  const decision = await serviceLimiter.take(client);
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const { id, port } = await params;
  return relayWithToken(
    {
      rawId: id,
      action: "service",
      hostPath: hostPath(request),
      request,
      client,
      prefix: `/api/jobs/${id}/http/${port}`,
    },
    serverChainContext(),
  );
}

async function files(request: Request, { params }: Context): Promise<Response> {
  const client = clientKey(request.headers);
  const decision = await filesLimiter.take(client);
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const { id } = await params;
  return relayWithToken(
    { rawId: id, action: "files", hostPath: hostPath(request), request, client },
    serverChainContext(),
  );
}

export const serviceRoute = {
  GET: service,
  POST: service,
  PUT: service,
  PATCH: service,
  DELETE: service,
  HEAD: service,
  OPTIONS: service,
};
export const filesRoute = { GET: files, PUT: files };
