/**
 * The fields every signed message on the wire carries, read the same way wherever one arrives (the routes, the
 * host agent, the host check): unix-seconds expiries and deadlines, 65-byte signatures, and a refused parse's
 * first issue as the sentence a 400 answers with.
 */
import { isHex, type Hex } from "viem";
import { z } from "zod";

/** Unix seconds as a decimal string (a uint64 has at most 20 digits), read as a bigint. */
export const unixSecondsField = z
  .string()
  .regex(/^\d{1,20}$/, "unix seconds as a decimal string")
  .transform((v) => BigInt(v));

/** A 65-byte ECDSA signature in hex. */
export const signatureField = z
  .string()
  .refine((v) => isHex(v) && v.length === 132, "a 65-byte hex signature")
  .transform((v) => v as Hex);

/** The first issue of a refused parse, as `field: what it must be`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join(".") || "body"}: ${issue.message}`;
}
