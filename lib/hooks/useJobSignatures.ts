/**
 * The buyer's off-chain signatures for a job, and what is sent with them: dispatching a funded job to its
 * host through the route, and the Access signature that reads its events (kept for the session, so a
 * reconnect or a reload does not ask the wallet again).
 */
import { useCallback } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { accessTypedData, dispatchTypedData, type AccessAction } from "../jobs/dispatch";
import { specHash, type JobSpec } from "../jobs/spec";
import { appChain } from "../wagmi/config";

/** How long a dispatch signature is good for: the host must get it before the start timeout anyway. */
const DISPATCH_LIFETIME = 3600;
/** An Access signature lasts half a day (hosts accept up to 24 h), so one signature covers a long job. */
const ACCESS_LIFETIME = 12 * 3600;

const specKey = (jobId: bigint) => `hourglass.${appChain.id}.job.${jobId}.spec`;
const accessKey = (jobId: bigint, action: AccessAction, account: Address) => `hourglass.${appChain.id}.job.${jobId}.${action}.${account}`;

/** The spec a job was launched with from this browser (the chain holds only its hash). */
export function rememberedSpec(jobId: bigint): JobSpec | undefined {
  const stored = localStorage.getItem(specKey(jobId));
  return stored ? (JSON.parse(stored) as JobSpec) : undefined;
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

  /** Signs a Dispatch for `jobId` and relays the spec to its host; throws the route's sentence on refusal. */
  const dispatch = useCallback(
    async (jobId: bigint, spec: JobSpec) => {
      localStorage.setItem(specKey(jobId), JSON.stringify(spec));
      const expiry = BigInt(Math.floor(Date.now() / 1000) + DISPATCH_LIFETIME);
      const signature = await signTypedData(config, dispatchTypedData(appChain.id, escrow, { jobId, specHash: specHash(spec), expiry }));
      const response = await fetch(`/api/jobs/${jobId}/dispatch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ spec, expiry: String(expiry), signature }),
      });
      if (!response.ok) throw await routeError(response);
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
