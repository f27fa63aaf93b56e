/**
 * What a host agent's `GET /health` answers: the agent writes it (host/server.ts), the host check reads it
 * (lib/server/hostcheck.ts) and the browser shows it (lib/provider/hostcheck.ts's HostCheck).
 */
import { getAddress, isAddress } from "viem";
import { z } from "zod";

/** An address in any case, passed on checksummed. */
const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "an address")
  .transform((v) => getAddress(v));

/** `GET /health`'s answer; a reader drops unknown fields. */
export const hostHealthSchema = z.object({
  version: z.string().max(64),
  /** The key that signs the host's receipts: the address a registration names. */
  signer: address,
  /** The wallet the agent is configured to serve: it consents to be registered by that wallet alone. */
  provider: address,
  runtime: z.string().max(64),
  gpus: z.array(z.object({ name: z.string().max(256), memoryMiB: z.number().optional() })).max(1024),
  benchmark: z.record(z.string(), z.unknown()).optional(),
  hostId: z.number().int().positive().nullable().optional(),
  slots: z.object({ max: z.number(), free: z.number() }),
  /** Whether the host serves jobs' ports (its config's services.allow): a job whose spec declares some is refused
   * by a host that does not. Absent from agents before services. */
  services: z.boolean().optional(),
  /** The host's open throughput challenge (host/verifier/prover.ts): the registry takes no bookings on it until
   * the root is committed. Null when none is open; absent from agents that do not prove. */
  proving: z
    .object({
      challengeId: z.string().regex(/^\d{1,78}$/),
      phase: z.enum(["pending", "proving", "committed", "revealed"]),
      /** Unix seconds (chain time): the step's deadline (the commit's, the reveal's, the fraud window's end). */
      deadline: z.number().int().optional(),
    })
    .nullable()
    .optional(),
});

/** `GET /health` as a reader has it (addresses checksummed). */
export type HostHealth = z.infer<typeof hostHealthSchema>;
/** `GET /health` as the agent writes it. */
export type HostHealthAnswer = z.input<typeof hostHealthSchema>;
