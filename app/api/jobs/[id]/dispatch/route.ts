import { relayDispatch } from "@/lib/server/dispatch";
import { jobPostRoute } from "@/lib/server/handler";
import { RateLimiter } from "@/lib/server/ratelimit";

/** Relays a buyer's signed dispatch to the job's host (lib/server/dispatch.ts does the work). Ten dispatches at
 * once, then one every six seconds, per client. */
export const POST = jobPostRoute(new RateLimiter(10, 1 / 6), relayDispatch);
