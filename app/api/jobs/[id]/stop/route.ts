import { accessInHeaders, jobPostRoute } from "@/lib/server/handler";
import { RateLimiter } from "@/lib/server/ratelimit";
import { relayStop } from "@/lib/server/stop";

/** Relays a buyer's signed stop to the job's host (lib/server/stop.ts does the work): the Access signature in
 * the x-hourglass-expiry and x-hourglass-signature headers, no body. Ten stops at once, then one every six
 * seconds, per client. */
export const POST = jobPostRoute(new RateLimiter(10, 1 / 6), accessInHeaders, relayStop);
