import { readJsonBody } from "@/lib/server/body";
import { serverChainContext } from "@/lib/server/context";
import { checkHost } from "@/lib/server/hostcheck";
import { clientKey, RateLimiter, tooManyRequests } from "@/lib/server/ratelimit";

/** Each check opens a connection or two (its /health, then its /consent) to somewhere on the internet: ten at
 * once, then one every six seconds. */
const limiter = new RateLimiter(10, 1 / 6);

/** Calls a would-be host's /health under the SSRF rules and says what it found, with the agent's consent for
 * the wallet in `provider` when it is configured for that wallet (lib/server/hostcheck.ts). */
export async function POST(request: Request): Promise<Response> {
  const decision = limiter.take(clientKey(request.headers));
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const body = await readJsonBody(request);
  const result = body.ok ? await checkHost(body.value, serverChainContext()) : body.result;
  return Response.json(result.body, { status: result.status });
}
