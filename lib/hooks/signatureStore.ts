/**
 * What this browser keeps of a job's signatures: its dispatch in localStorage (the spec launched here and the
 * host's acknowledgement), and the buyer's Access signatures in sessionStorage, kept for the session so a
 * reconnect or a reload does not ask the wallet again.
 */
import { isHex, type Address, type Hex } from "viem";
import type { AccessAction, SignedAccess } from "../protocol/jobSignatures";
import { appChain } from "../wagmi/config";
import type { JobSpec } from "../jobs/spec";

const dispatchKey = (jobId: bigint) => `hourglass.${appChain.id}.job.${jobId}.dispatch`;
const accessKey = (jobId: bigint, action: AccessAction, account: Address) =>
  `hourglass.${appChain.id}.job.${jobId}.${action}.${account}`;

/** What this browser keeps of a job's dispatch: the spec it was launched with here (the chain holds only its
 * hash), and the host's DispatchAck once it accepted, which proves a no-show on-chain (`cancel(jobId, ack)`). */
export interface RememberedDispatch {
  spec?: JobSpec;
  ack?: Hex;
}

/** Components showing a remembered dispatch, told when this tab changes one (other tabs fire "storage"). */
const listeners = new Set<() => void>();

/** For useSyncExternalStore: `onChange` runs whenever a remembered dispatch may have changed. */
export function subscribeToDispatches(onChange: () => void) {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The job's remembered dispatch as stored (a string, so a snapshot compares by value); null before any. */
export const storedDispatch = (jobId: bigint): string | null => localStorage.getItem(dispatchKey(jobId));

export const parseDispatch = (stored: string | null): RememberedDispatch | undefined =>
  stored ? (JSON.parse(stored) as RememberedDispatch) : undefined;

/** The job's remembered dispatch as it is now (for a click; a render uses useRememberedDispatch). */
export const rememberedDispatch = (jobId: bigint): RememberedDispatch | undefined =>
  parseDispatch(storedDispatch(jobId));

function remember(jobId: bigint, patch: RememberedDispatch) {
  localStorage.setItem(dispatchKey(jobId), JSON.stringify({ ...rememberedDispatch(jobId), ...patch }));
  listeners.forEach((listener) => listener());
}

/** Keeps the spec a job is dispatched with, before it is sent: a failed send can be retried from its page. */
export const rememberSpec = (jobId: bigint, spec: JobSpec) => remember(jobId, { spec });

/** Keeps the host's acknowledgement from its dispatch answer or its `accepted` event; anything that is not a
 * 65-byte signature is ignored. */
export function rememberAck(jobId: bigint, ack: unknown) {
  if (typeof ack !== "string" || !isHex(ack) || ack.length !== 132 || rememberedDispatch(jobId)?.ack === ack) return;
  remember(jobId, { ack });
}

/** The Access signature kept for `action` on `jobId` by `account`, if it is still valid a minute after `now`
 * (unix seconds). */
export function keptAccess(
  jobId: bigint,
  action: AccessAction,
  account: Address,
  now: number,
): SignedAccess | undefined {
  const cached = sessionStorage.getItem(accessKey(jobId, action, account));
  if (!cached) return undefined;
  const parsed = JSON.parse(cached) as SignedAccess;
  return Number(parsed.expiry) > now + 60 ? parsed : undefined;
}

export function keepAccess(jobId: bigint, action: AccessAction, account: Address, signed: SignedAccess) {
  sessionStorage.setItem(accessKey(jobId, action, account), JSON.stringify(signed));
}
