/**
 * The buyer's off-chain signatures for a job: the Dispatch that sends a funded job to its host through the
 * route, and the Access signature that reads its events. What is kept of them is lib/hooks/signatureStore's;
 * the calls to the route are lib/jobs/routeClient's.
 */
import { useCallback } from "react";
import type { Address, Hex } from "viem";
import { useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { postDispatch } from "../jobs/routeClient";
import { formatAccessToken } from "../protocol/accessToken";
import { keepAccess, keptAccess, rememberAck, rememberSpec } from "./signatureStore";
import { specHash, type JobSpec } from "../jobs/spec";
import { accessTypedData, dispatchTypedData, type AccessAction, type SignedAccess } from "../protocol/jobSignatures";
import { appChain } from "../wagmi/config";

/** How long a dispatch signature is good for: the host must get it before the start timeout anyway. */
const DISPATCH_LIFETIME = 3600;
/** An Access signature lasts half a day (hosts accept up to 24 h), so one signature covers a long job; a
 * "download" one, which links carry in their URL (where logs keep it), an hour. */
const ACCESS_LIFETIME = 12 * 3600;
const DOWNLOAD_LIFETIME = 3600;

export function useJobSignatures(escrow: Address) {
  const config = useConfig();

  /** Signs a Dispatch for `jobId` and relays the spec to its host, keeping the host's acknowledgement; throws
   * the route's sentence on refusal. */
  const dispatch = useCallback(
    async (jobId: bigint, spec: JobSpec) => {
      rememberSpec(jobId, spec);
      const expiry = BigInt(Math.floor(Date.now() / 1000) + DISPATCH_LIFETIME);
      const signature = await signTypedData(
        config,
        dispatchTypedData(appChain.id, escrow, { jobId, specHash: specHash(spec), expiry }),
      );
      rememberAck(jobId, await postDispatch(jobId, { spec, expiry, signature }));
    },
    [config, escrow],
  );

  /** An Access signature for `action` on `jobId`, signed once per session while it is valid. */
  const access = useCallback(
    async (jobId: bigint, action: AccessAction, account: Address): Promise<SignedAccess> => {
      const now = Math.floor(Date.now() / 1000);
      const kept = keptAccess(jobId, action, account, now);
      if (kept) return kept;
      const expiry = BigInt(now + (action === "download" ? DOWNLOAD_LIFETIME : ACCESS_LIFETIME));
      const signature = await signTypedData(config, accessTypedData(appChain.id, escrow, { jobId, action, expiry }));
      const signed = { expiry: String(expiry), signature };
      keepAccess(jobId, action, account, signed);
      return signed;
    },
    [config, escrow],
  );

  /** An access token (lib/protocol/accessToken.ts) for `action` on `jobId`: the kept Access signature's. */
  const token = useCallback(
    async (jobId: bigint, action: AccessAction, account: Address): Promise<string> => {
      const { expiry, signature } = await access(jobId, action, account);
      return formatAccessToken({ action, jobId, expiry: BigInt(expiry), signature: signature as Hex });
    },
    [access],
  );

  return { dispatch, access, token };
}
