/**
 * The one check of a buyer's signed request (a Dispatch or an Access) against its job, made by the route
 * before it relays and by the host agent before it acts, so that both refuse the same requests with the same
 * answer. Pure: each caller reads the job and the host from the chain its own way (the route from the
 * registry, the agent as the host it serves) and recovers the signer, which it can start together with its
 * chain reads (`requestSigner`).
 */
import type { Address, Hex } from "viem";
import type { JobStatus } from "../jobs/status";
import {
  MAX_SIGNATURE_LIFETIME,
  recoverAccessSigner,
  recoverDispatchSigner,
  type Access,
  type Dispatch,
} from "./jobSignatures";

/** What a buyer signed: a Dispatch, or an Access to a job's events. */
export type BuyerRequest = { kind: "dispatch"; message: Dispatch } | { kind: "access"; message: Access };

/** A job as the escrow holds it: what the check needs of it. */
export interface JobOnChain {
  buyer: Address;
  hostId: bigint;
  /** The host signer the job was booked with: only the agent holding that key may act on it. */
  signer: Address;
  status: JobStatus;
  specHash: Hex;
}

/** The host a request must be for: the agent's own (its registered id and its signer key), or for the route
 * the job's host as the registry holds it. */
export interface ServingHost {
  id: bigint;
  signer: Address;
}

/** Why a request is refused: the HTTP status to answer and a sentence for the buyer. */
export interface Refusal {
  status: number;
  error: string;
}

const WHAT = {
  dispatch: "dispatch it",
  events: "read its events",
  service: "call its service",
  files: "reach its files",
  download: "download its files",
} as const;

/** Who signed `request` (undefined: a malformed signature). */
export async function requestSigner(
  chainId: number,
  escrow: Address,
  request: BuyerRequest,
  signature: Hex,
): Promise<Address | undefined> {
  const recovered =
    request.kind === "dispatch"
      ? recoverDispatchSigner(chainId, escrow, request.message, signature)
      : recoverAccessSigner(chainId, escrow, request.message, signature);
  return recovered.catch(() => undefined);
}

/**
 * Why an expiry cannot be used at `now` (unix seconds), or undefined: expired, or further ahead than
 * MAX_SIGNATURE_LIFETIME (a long-lived signature is a bearer token for as long). Needs no chain read, so a
 * caller can refuse with it before reading anything; `checkSignedRequest` makes it too.
 */
export function lifetimeRefusal(expiry: bigint, now: number): Refusal | undefined {
  if (expiry <= BigInt(now)) return { status: 401, error: "The signature has expired. Sign again." };
  if (expiry > BigInt(now + MAX_SIGNATURE_LIFETIME)) {
    return {
      status: 401,
      error: `A signature may be valid for at most ${MAX_SIGNATURE_LIFETIME / 3600} hours. Sign again.`,
    };
  }
  return undefined;
}

/**
 * Why `request`, signed by `signer` (as `requestSigner` recovered it), is refused for `job` (read for the
 * request's job id) on `host` (undefined: an agent not registered yet, or for the route a job that does not
 * exist) at `now`, or undefined when it may go ahead: its lifetime; the job exists, is on
 * this host and booked with this host's signer; the signature is well formed and the job's buyer's; and a
 * dispatch is for a job waiting to start, of the spec it was funded with.
 */
export function checkSignedRequest(
  request: BuyerRequest,
  signer: Address | undefined,
  job: JobOnChain,
  host: ServingHost | undefined,
  now: number,
): Refusal | undefined {
  const jobId = request.message.jobId;
  const late = lifetimeRefusal(request.message.expiry, now);
  if (late) return late;
  if (job.status === "none") return { status: 404, error: `There is no job #${jobId}.` };
  if (host === undefined || job.hostId !== host.id)
    return { status: 403, error: `Job #${jobId} is for host #${job.hostId}, not this one.` };
  if (job.signer.toLowerCase() !== host.signer.toLowerCase())
    return { status: 403, error: `Job #${jobId} expects another signer than this host's.` };
  if (signer === undefined) return { status: 401, error: "The signature is malformed." };
  if (signer.toLowerCase() !== job.buyer.toLowerCase())
    return {
      status: 401,
      error: `Only job #${jobId}'s buyer can ${WHAT[request.kind === "dispatch" ? "dispatch" : request.message.action]}.`,
    };
  if (request.kind === "dispatch") {
    if (job.status !== "created")
      return { status: 409, error: `Job #${jobId} is ${job.status}, not waiting to start.` };
    if (request.message.specHash !== job.specHash)
      return { status: 400, error: "The spec does not match the hash the job was funded with." };
  }
  return undefined;
}
