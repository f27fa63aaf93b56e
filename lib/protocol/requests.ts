/**
 * A buyer's signed requests as they travel, checked with zod where they arrive: the dispatch the browser posts
 * to the route (POST /api/jobs/[id]/dispatch) and the route relays to the job's host (POST /jobs), and the
 * Access signature an event stream request carries. The route and the host refuse the same malformed requests
 * with the same words.
 */
import { z } from "zod";
import { jobSpecSchema } from "../jobs/spec";
import { signatureField as signature, unixSecondsField as expiry } from "./fields";

/** A job id in a host's path or body: a uint256 in decimal. */
export const jobIdSchema = z
  .string()
  .regex(/^\d{1,78}$/, "a decimal integer")
  .transform((v) => BigInt(v));

/** What the browser posts to the dispatch route: the spec and the buyer's Dispatch signature over its hash. */
export const dispatchBodySchema = z.object({ spec: jobSpecSchema, expiry, signature }).strict();

/** What the route relays to the job's host (`POST /jobs`): the same, with the job id the route's path named. */
export const hostDispatchBodySchema = dispatchBodySchema.extend({ jobId: jobIdSchema }).strict();

/** An Access signature: in the x-hourglass-expiry and x-hourglass-signature headers, or a query string. */
export const accessSchema = z.object({ expiry, signature }).strict();

/** What a relayed dispatch carries on the wire (bigints as decimal strings). */
export type HostDispatchBody = z.input<typeof hostDispatchBodySchema>;
