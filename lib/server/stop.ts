/**
 * POST /api/jobs/[id]/stop, without Next: relays a buyer's signed stop to the job's host. The Access "stop"
 * signature comes in the request's headers and goes on in the same headers; the request has no body.
 */
import { accessHeaders, checkAccess, type SignedAccess } from "./access";
import { relayAnswerWithin } from "./relay";
import { hostAnswer, unreachable, type ChainContext, type RouteResult } from "./route";
import { endpointPolicy, parseEndpoint } from "./ssrf";

export async function relayStop(rawId: string, signed: SignedAccess, ctx: ChainContext): Promise<RouteResult> {
  const access = await checkAccess(rawId, signed.expiry, signed.signature, "stop", ctx);
  if ("status" in access) return access;
  try {
    const policy = endpointPolicy(ctx);
    const upstream = await relayAnswerWithin(
      parseEndpoint(access.endpoint, policy),
      { method: "POST", path: `jobs/${access.jobId}/stop`, headers: accessHeaders(access) },
      policy,
      ctx.timeoutMs,
    );
    return hostAnswer(access.hostId, upstream);
  } catch (error) {
    return unreachable(access.hostId, error);
  }
}
