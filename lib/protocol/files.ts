/**
 * A job's files on the wire (docs/jobs.md, "Files"): the inputs its buyer uploads before dispatching it, the
 * outputs it writes, and the manifest that lists both with their SHA-256. The host signs the manifest's hash into
 * the receipt's result hash (host/eventLog.ts), so a buyer who downloads a file can check it is what was billed:
 * `sha256sum` of the file against the manifest, and the manifest against the receipt.
 */
import { sha256, stringToBytes, type Hex } from "viem";
import { z } from "zod";
import { canonicalJson } from "../jobs/spec";

/** One path segment: starts with a letter or digit (so never "." or "..", never hidden), then a safe set. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Outputs may sit in folders this deep; inputs are one flat folder. */
export const MAX_PATH_DEPTH = 8;
export const MAX_PATH_CHARS = 512;
/** Files a manifest lists at most: inputs a buyer uploads, outputs the host keeps (more are left out, and the
 * manifest says so). */
export const MAX_INPUT_FILES = 64;
export const MAX_OUTPUT_FILES = 1000;

/** Why `path` cannot name a job's file, or undefined: relative, segments of SEGMENT, bounded depth and length. */
export function filePathProblem(path: string, { flat = false } = {}): string | undefined {
  if (path.length === 0 || path.length > MAX_PATH_CHARS) return `a file path has 1 to ${MAX_PATH_CHARS} characters`;
  const segments = path.split("/");
  if (flat && segments.length > 1) return "an input is a file name, without folders";
  if (segments.length > MAX_PATH_DEPTH) return `a file path is at most ${MAX_PATH_DEPTH} folders deep`;
  const bad = segments.find((segment) => !SEGMENT.test(segment));
  if (bad !== undefined)
    return `"${bad.slice(0, 40)}" is not a file name here: letters, digits, ".", "_" and "-", starting with a letter or digit`;
  return undefined;
}

const entrySchema = z
  .object({
    path: z.string().refine((p) => filePathProblem(p) === undefined, "a job file path"),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^0x[0-9a-f]{64}$/),
  })
  .strict();
export type FileEntry = z.infer<typeof entrySchema>;

export const manifestSchema = z
  .object({
    inputs: z.array(entrySchema).max(MAX_INPUT_FILES),
    outputs: z.array(entrySchema).max(MAX_OUTPUT_FILES),
    /** Outputs the host did not keep: past MAX_OUTPUT_FILES, or not regular files (links, devices). */
    omitted: z.number().int().nonnegative(),
  })
  .strict();
export type FileManifest = z.infer<typeof manifestSchema>;

/** The manifest's hash: SHA-256 of its canonical JSON (entries sorted by path), what the result hash covers. */
export const manifestHash = (manifest: FileManifest): Hex => sha256(stringToBytes(canonicalJson(manifest)));

/** Entries in the one order the manifest keeps them. */
export const byPath = (a: FileEntry, b: FileEntry) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** What `GET /jobs/:id/files` answers (the host, and the app's route passing it on). */
export const filesAnswerSchema = z
  .object({
    jobId: z.string(),
    /** The job has ended and its outputs are kept: until then only its inputs are listed. */
    final: z.boolean(),
    manifest: manifestSchema,
    manifestHash: z.string().regex(/^0x[0-9a-f]{64}$/),
    /** Unix seconds after which the host deletes the files; null while the job has not ended. */
    retainedUntil: z.number().int().nullable(),
  })
  .strict();
export type FilesAnswer = z.infer<typeof filesAnswerSchema>;

/** Why a buyer's chosen inputs cannot be uploaded as they are, or undefined: names, count, no name twice. */
export function inputsProblem(files: readonly { name: string; size: number }[]): string | undefined {
  if (files.length > MAX_INPUT_FILES) return `A job takes at most ${MAX_INPUT_FILES} inputs.`;
  const names = new Set<string>();
  for (const file of files) {
    const problem = filePathProblem(file.name, { flat: true });
    if (problem) return `The input "${file.name.slice(0, 60)}" cannot be sent: ${problem}.`;
    if (names.has(file.name)) return `Two inputs are named "${file.name}".`;
    names.add(file.name);
  }
  return undefined;
}

/** A file's size for people: bytes up to a KiB, then KiB, MiB, GiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
