/**
 * The job spec: what a buyer asks a host to run. Its keccak256 over canonical JSON is the `specHash` the
 * escrow stores when the job is funded; the host refuses any spec that does not hash to it. docs/jobs.md
 * documents the fields.
 */
import { keccak256, stringToBytes, type Hex } from "viem";
import { z } from "zod";

/** Environment variable names a spec may set: upper-case, not the runtime's own. */
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
/**
 * Names a job may not set, the one list the app, the routes and both runtimes check: what the runtimes set
 * themselves (HOURGLASS_*, HOME, PATH), the loader's and node's controls, and the GPU controls. The NVIDIA
 * container toolkit reads NVIDIA_* to choose the devices and driver features a container gets
 * (NVIDIA_VISIBLE_DEVICES=all would hand a job every GPU on the host), and CUDA_* picks and orders devices
 * (CUDA_VISIBLE_DEVICES) or reaches a shared MPS daemon (CUDA_MPS_*).
 */
const RESERVED_ENV = new Set(["PATH", "HOME", "LD_PRELOAD", "LD_LIBRARY_PATH", "NODE_OPTIONS"]);
const RESERVED_ENV_PREFIXES = ["HOURGLASS_", "NVIDIA_", "CUDA_"];
/** Ports a job may serve HTTP on: unprivileged (the job runs as nobody), at most MAX_SERVICE_PORTS of them. */
export const MAX_SERVICE_PORTS = 4;
export const MIN_SERVICE_PORT = 1024;

export const isReservedEnvName = (name: string): boolean =>
  RESERVED_ENV.has(name) || RESERVED_ENV_PREFIXES.some((p) => name.startsWith(p));

export const jobSpecSchema = z
  .object({
    version: z.literal(1),
    /** Container image the docker runtime pulls; the process runtime runs `command` on the host instead. */
    image: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/, "an image reference like node:22-slim"),
    /** argv, run without a shell. */
    command: z.array(z.string().max(16_384)).min(1).max(64),
    env: z
      .record(
        z
          .string()
          .regex(ENV_NAME, "upper-case letters, digits and _")
          .refine((k) => !isReservedEnvName(k), "reserved for the host"),
        z.string().max(4096),
      )
      .default({}),
    /**
     * TCP ports the job serves HTTP on (docs/jobs.md, "Services"): the host forwards its buyer's requests to them,
     * relayed by the app at /api/jobs/[id]/http/[port]/…. Left out, the job serves nothing (and its hash is what
     * it was before services existed).
     */
    ports: z
      .array(z.number().int().min(MIN_SERVICE_PORT).max(65_535))
      .min(1)
      .max(MAX_SERVICE_PORTS)
      .refine((ports) => new Set(ports).size === ports.length, "each port once")
      .optional(),
  })
  .strict();

export type JobSpec = z.infer<typeof jobSpecSchema>;

/** JSON with object keys sorted at every level and no whitespace: one text, so one hash, per spec. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The hash the escrow stores for `spec` (after validation, so defaults are filled in). */
export const specHash = (spec: JobSpec): Hex => keccak256(stringToBytes(canonicalJson(jobSpecSchema.parse(spec))));

/** A spec a person wrote as JSON, or the first thing wrong with it as a sentence. */
export function parseSpecJson(text: string): { spec: JobSpec } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "The custom spec is not valid JSON." };
  }
  const parsed = jobSpecSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A bad env name is reported as an invalid key; the reason is in its inner issue.
    const reason = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return { error: `The custom spec's ${issue.path.join(".") || "body"} is wrong: ${reason}.` };
  }
  return { spec: parsed.data };
}
