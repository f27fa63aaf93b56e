/**
 * The browser's calls to the app's job routes: dispatching a funded job to its host (Dispatch-signed), its
 * event stream (Access-signed), its files and its service (an access token). A refusal comes back as the
 * route's own sentence.
 */
import type { Hex } from "viem";
import { ACCESS_TOKEN_QUERY } from "../protocol/accessToken";
import { filesAnswerSchema, type FileEntry, type FilesAnswer } from "../protocol/files";
import { ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER, type SignedAccess } from "../protocol/jobSignatures";
import type { JobSpec } from "./spec";

/** An Access signature as the routes take it: its expiry (unix seconds) and the buyer's signature. */
/** The route's error sentence, or the status when it sent none. */
export async function routeError(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => undefined)) as { error?: string } | undefined;
  return new Error(body?.error ?? `The route answered ${response.status}.`);
}

/** Relays the spec and its Dispatch signature to the job's host; resolves to the acknowledgement the host
 * answered with (unchecked: the caller keeps only a well-formed one), throws the route's sentence on refusal. */
export async function postDispatch(
  jobId: bigint,
  dispatch: { spec: JobSpec; expiry: bigint; signature: Hex },
): Promise<unknown> {
  const response = await fetch(`/api/jobs/${jobId}/dispatch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ spec: dispatch.spec, expiry: String(dispatch.expiry), signature: dispatch.signature }),
  });
  if (!response.ok) throw await routeError(response);
  return ((await response.json().catch(() => undefined)) as { ack?: unknown } | undefined)?.ack;
}

/** Opens the job's event stream, resuming after event `lastId` (0: from the start). The signature goes in
 * headers, not the URL, where logs and proxies would keep it (fetch can set them; EventSource could not). */
export function fetchEvents(
  jobId: bigint,
  signed: SignedAccess,
  lastId: number,
  signal: AbortSignal,
): Promise<Response> {
  return fetch(`/api/jobs/${jobId}/events`, {
    headers: {
      [ACCESS_EXPIRY_HEADER]: signed.expiry,
      [ACCESS_SIGNATURE_HEADER]: signed.signature,
      ...(lastId ? { "last-event-id": String(lastId) } : {}),
    },
    signal,
  });
}

/** A job's files as the route lists them (lib/protocol/files.ts), for its buyer's "files" token. */
export async function fetchFiles(jobId: bigint, token: string): Promise<FilesAnswer> {
  const response = await fetch(`/api/jobs/${jobId}/files`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw await routeError(response);
  return filesAnswerSchema.parse(await response.json());
}

/** Uploads `file` as input `name` of job `jobId` (before it is dispatched); the host's entry for it. */
export async function uploadInput(jobId: bigint, name: string, file: Blob, token: string): Promise<FileEntry> {
  const response = await fetch(`/api/jobs/${jobId}/files/inputs/${encodeURIComponent(name)}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: file,
  });
  if (!response.ok) throw await routeError(response);
  return (await response.json()) as FileEntry;
}

/** Where the browser downloads one of a job's files: a link cannot carry a header, so the "files" token rides
 * in the query (ACCESS_TOKEN_QUERY), which the route moves into a header before relaying. */
export const fileUrl = (jobId: bigint, path: string, token: string) =>
  `/api/jobs/${jobId}/files/${path.split("/").map(encodeURIComponent).join("/")}?${ACCESS_TOKEN_QUERY}=${encodeURIComponent(token)}`;

/** The public URL of job `jobId`'s service on `port` (what an OpenAI client takes as its base URL, plus /v1). */
export const serviceUrl = (origin: string, jobId: bigint, port: number) => `${origin}/api/jobs/${jobId}/http/${port}`;

/** A request to job `jobId`'s service on `port` through the route, with its buyer's "service" token. */
export const fetchService = (jobId: bigint, port: number, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${serviceUrl("", jobId, port)}${path.startsWith("/") ? path : `/${path}`}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
  });
