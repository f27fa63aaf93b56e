/** POST /api/jobs/[id]/stop, without Next: relays a buyer's signed stop to the job's host. */
import { z } from "zod";
import { checkAccess } from "./access";
import { hostAnswer, refuse, unreachable, type ChainContext, type RouteResult } from "./route";
import { parseEndpoint, relay } from "./ssrf";

const stopBody = z.object({ expiry: z.string(), signature: z.string() }).strict();

export async function relayStop(rawId: string, body: unknown, ctx: ChainContext): Promise<RouteResult> {
  const parsed = stopBody.safeParse(body);
  if (!parsed.success) return refuse(400, `${parsed.error.issues[0]!.path.join(".") || "body"}: ${parsed.error.issues[0]!.message}`);
  const access = await checkAccess(rawId, parsed.data.expiry, parsed.data.signature, "stop", ctx);
  if ("status" in access) return access;
  try {
    const upstream = await relay(
      parseEndpoint(access.endpoint, ctx.allowLoopback),
      {
        method: "POST",
        path: `jobs/${access.jobId}/stop`,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ expiry: access.expiry, signature: access.signature }),
        timeoutMs: ctx.timeoutMs,
      },
      ctx.allowLoopback,
    );
    return await hostAnswer(access.hostId, upstream);
  } catch (error) {
    return unreachable(access.hostId, error);
  }
}
