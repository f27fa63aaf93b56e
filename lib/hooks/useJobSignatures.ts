/**
 * The buyer's off-chain signatures for a job, and what is sent with them and comes back: dispatching a funded
 * job to its host through the route (the spec and the host's acknowledgement kept in this browser's
 * localStorage), and the Access signature that reads its events (kept for the session, so a reconnect or a
 * reload does not ask the wallet again).
 */
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { isHex, type Address, type Hex } from "viem";
import { useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { accessTypedData, dispatchTypedData, type AccessAction } from "../jobs/dispatch";
import type { JobDetails } from "../jobs/details";
import { recoverDispatchAckSigner } from "../jobs/receipt";
import { specHash, type JobSpec } from "../jobs/spec";
import { appChain, appDeployment } from "../wagmi/config";

/** How long a dispatch signature is good for: the host must get it before the start timeout anyway. */
const DISPATCH_LIFETIME = 3600;
/** An Access signature lasts half a day (hosts accept up to 24 h), so one signature covers a long job. */
const ACCESS_LIFETIME = 12 * 3600;

const dispatchKey = (jobId: bigint) => `hourglass.${appChain.id}.job.${jobId}.dispatch`;
const accessKey = (jobId: bigint, action: AccessAction, account: Address) => `hourglass.${appChain.id}.job.${jobId}.${action}.${account}`;

/** What this browser keeps of a job's dispatch: the spec it was launched with here (the chain holds only its
 * hash), and the host's DispatchAck once it accepted, which proves a no-show on-chain (`cancel(jobId, ack)`). */
export interface RememberedDispatch {
  spec?: JobSpec;
  ack?: Hex;
}

/** Components showing a remembered dispatch, told when this tab changes one (other tabs fire "storage"). */
const listeners = new Set<() => void>();

function subscribe(onChange: () => void) {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The job's remembered dispatch as it is now (for a click; a render uses useRememberedDispatch). */
export function rememberedDispatch(jobId: bigint): RememberedDispatch | undefined {
  const stored = localStorage.getItem(dispatchKey(jobId));
  return stored ? (JSON.parse(stored) as RememberedDispatch) : undefined;
}

function remember(jobId: bigint, patch: RememberedDispatch) {
  localStorage.setItem(dispatchKey(jobId), JSON.stringify({ ...rememberedDispatch(jobId), ...patch }));
  listeners.forEach((listener) => listener());
}

/** Keeps the host's acknowledgement from its dispatch answer or its `accepted` event; anything that is not a
 * 65-byte signature is ignored. */
export function rememberAck(jobId: bigint, ack: unknown) {
  if (typeof ack !== "string" || !isHex(ack) || ack.length !== 132 || rememberedDispatch(jobId)?.ack === ack) return;
  remember(jobId, { ack });
}

/** The job's remembered dispatch, kept up to date; undefined on the server and before anything is kept. */
export function useRememberedDispatch(jobId: bigint): RememberedDispatch | undefined {
  const stored = useSyncExternalStore(subscribe, () => localStorage.getItem(dispatchKey(jobId)), () => null);
  return useMemo(() => (stored ? (JSON.parse(stored) as RememberedDispatch) : undefined), [stored]);
}

/** `ack` when it is the job's host signer's DispatchAck for the job's spec, as the escrow will check it. */
export function useVerifiedAck(job: Pick<JobDetails, "id" | "specHash" | "signer">, ack: Hex | undefined): Hex | undefined {
  const escrow = appDeployment!.contracts.JobEscrow;
  const { data: valid } = useQuery({
    queryKey: ["dispatch-ack", String(job.id), ack],
    queryFn: () =>
      recoverDispatchAckSigner(appChain.id, escrow, { jobId: job.id, specHash: job.specHash }, ack!)
        .then((signer) => signer.toLowerCase() === job.signer.toLowerCase())
        .catch(() => false),
    enabled: ack !== undefined,
    staleTime: Infinity,
  });
  return valid ? ack : undefined;
}

export interface SignedAccess {
  expiry: string;
  signature: string;
}

/** The route's error sentence, or the status when it sent none. */
export async function routeError(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => undefined)) as { error?: string } | undefined;
  return new Error(body?.error ?? `The route answered ${response.status}.`);
}

export function useJobSignatures(escrow: Address) {
  const config = useConfig();

  /** Signs a Dispatch for `jobId` and relays the spec to its host, keeping the host's acknowledgement; throws
   * the route's sentence on refusal. */
  const dispatch = useCallback(
    async (jobId: bigint, spec: JobSpec) => {
      remember(jobId, { spec });
      const expiry = BigInt(Math.floor(Date.now() / 1000) + DISPATCH_LIFETIME);
      const signature = await signTypedData(config, dispatchTypedData(appChain.id, escrow, { jobId, specHash: specHash(spec), expiry }));
      const response = await fetch(`/api/jobs/${jobId}/dispatch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ spec, expiry: String(expiry), signature }),
      });
      if (!response.ok) throw await routeError(response);
      rememberAck(jobId, ((await response.json().catch(() => undefined)) as { ack?: unknown } | undefined)?.ack);
    },
    [config, escrow],
  );

  /** An Access signature for `action` on `jobId`, signed once per session while it is valid. */
  const access = useCallback(
    async (jobId: bigint, action: AccessAction, account: Address): Promise<SignedAccess> => {
      const key = accessKey(jobId, action, account);
      const now = Math.floor(Date.now() / 1000);
      const cached = sessionStorage.getItem(key);
      if (cached) {
        const parsed = JSON.parse(cached) as SignedAccess;
        if (Number(parsed.expiry) > now + 60) return parsed;
      }
      const expiry = BigInt(now + ACCESS_LIFETIME);
      const signature = await signTypedData(config, accessTypedData(appChain.id, escrow, { jobId, action, expiry }));
      const signed = { expiry: String(expiry), signature };
      sessionStorage.setItem(key, JSON.stringify(signed));
      return signed;
    },
    [config, escrow],
  );

  return { dispatch, access };
}
