/**
 * POST /api/jobs/[id]/dispatch, without Next: checks the body (lib/protocol/requests.ts) and the buyer's
 * signature against the on-chain job as the host will (lib/server/access.ts), and relays the dispatch to the
 * endpoint the registry names for the job's host. The host verifies everything again itself; this only keeps
 * garbage and strangers off hosts.
 */
import "server-only";
import { specHash } from "../jobs/spec";
import { firstIssue } from "../protocol/fields";
import { dispatchBodySchema, type HostDispatchBody } from "../protocol/requests";
import { checkOnChain } from "./access";
import { relayAnswerWithin } from "./relay";
import { hostAnswer, parseJobId, refuse, unreachable, type ChainContext, type RouteResult } from "./route";
import { endpointPolicy, parseEndpoint } from "./ssrf";

export async function relayDispatch(rawId: string, body: unknown, ctx: ChainContext): Promise<RouteResult> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return refuse(400, "The job id must be a positive whole number.");
  const parsed = dispatchBodySchema.safeParse(body);
  if (!parsed.success) return refuse(400, firstIssue(parsed.error));
  const { spec, expiry, signature } = parsed.data;
  const checked = await checkOnChain(
    { kind: "dispatch", message: { jobId, specHash: specHash(spec), expiry } },
    signature,
    ctx,
  );
  if ("status" in checked) return checked;
  try {
    const policy = endpointPolicy(ctx);
    const relayed: HostDispatchBody = { jobId: String(jobId), spec, expiry: String(expiry), signature };
    const upstream = await relayAnswerWithin(
      parseEndpoint(checked.endpoint, policy),
      { method: "POST", path: "jobs", headers: { "content-type": "application/json" }, body: JSON.stringify(relayed) },
      policy,
      ctx.timeoutMs,
    );
    return hostAnswer(checked.hostId, upstream);
  } catch (error) {
    return unreachable(checked.hostId, error);
  }
}
