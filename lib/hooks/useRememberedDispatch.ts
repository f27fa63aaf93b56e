/** A job's dispatch as this browser remembers it (lib/hooks/signatureStore.ts), kept up to date in a render,
 * and the host's acknowledgement in it once checked against the chain. */
import { useQuery } from "@tanstack/react-query";
import { useMemo, useSyncExternalStore } from "react";
import type { Hex } from "viem";
import type { JobDetails } from "../jobs/details";
import { parseDispatch, storedDispatch, subscribeToDispatches, type RememberedDispatch } from "./signatureStore";
import { recoverDispatchAckSigner } from "../protocol/hostSignatures";
import { appChain, appDeployment } from "../wagmi/config";

/** The job's remembered dispatch, kept up to date; undefined on the server and before anything is kept. */
export function useRememberedDispatch(jobId: bigint): RememberedDispatch | undefined {
  const stored = useSyncExternalStore(
    subscribeToDispatches,
    () => storedDispatch(jobId),
    () => null,
  );
  return useMemo(() => parseDispatch(stored), [stored]);
}

/** `ack` when it is the job's host signer's DispatchAck for the job's spec, as the escrow will check it. */
export function useVerifiedAck(
  job: Pick<JobDetails, "id" | "specHash" | "signer">,
  ack: Hex | undefined,
): Hex | undefined {
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
