/**
 * The browser's calls to the app's job routes: dispatching a funded job to its host (Dispatch-signed), and its
 * event stream (Access-signed). A refusal comes back as the route's own sentence.
 */
import type { Hex } from "viem";
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
