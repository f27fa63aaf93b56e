import { jsonPostRoute } from "@/lib/server/handler";
import { RateLimiter } from "@/lib/server/ratelimit";
import { relayStop } from "@/lib/server/stop";

/** Relays a buyer's signed stop to the job's host (lib/server/stop.ts does the work). Ten stops at once, then
 * one every six seconds, per client. */
export const POST = jsonPostRoute(new RateLimiter(10, 1 / 6), relayStop);
