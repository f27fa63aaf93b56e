import { readJsonBody } from "@/lib/server/body";
import { clientKey } from "@/lib/server/client";
import { serverChainContext } from "@/lib/server/context";
import { checkHost } from "@/lib/server/hostcheck";
import { RateLimiter, tooManyRequests } from "@/lib/server/ratelimit";

/** Each check opens a connection or two (its /health, then its /consent) to somewhere on the internet: ten at
 * once, then one every six seconds, per client. */
const limiter = new RateLimiter(10, 1 / 6);

/** Calls a would-be host's /health under the SSRF rules and says what it found, for a check signed by the
 * connected wallet, with the agent's consent for that wallet when asked and the agent is configured for it
 * (lib/server/hostcheck.ts). */
export async function POST(request: Request): Promise<Response> {
  const decision = await limiter.take(clientKey(request.headers));
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const body = await readJsonBody(request);
  const result = body.ok ? await checkHost(body.value, serverChainContext()) : body.result;
  return Response.json(result.body, { status: result.status });
}
