/**
 * From a quote to a running job: one permit signature, one transaction, one dispatch signature.
 * - "buy": a USDC permit for the job router, then swapAndCreateJobWithPermit buys exactly the SCU the job
 *   locks (paying at most the quote plus slippage) and funds the job.
 * - "credits": an SCU permit for the escrow, then createJobWithPermit locks the buyer's own credits.
 * Then its inputs, if any, are uploaded to the host (a "files" token, signed once), and the spec goes to the
 * host through the dispatch route. If either fails the job is funded and can be dispatched again from its page
 * (or cancelled for a full refund): DispatchFailed carries its id.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { parseEventLogs, type Address } from "viem";
import { useConfig } from "wagmi";
import { jobEscrowAbi, jobRouterAbi } from "../contracts/abis";
import { describeError } from "../errors";
import type { JobQuote } from "../jobs/quote";
import { uploadInput } from "../jobs/routeClient";
import { specHash, type JobSpec } from "../jobs/spec";
import { formatAmount, SCU, USDC } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { permitDeadline } from "../wagmi/permit";
import { useJobSignatures } from "./useJobSignatures";
import { usePermit } from "./usePermit";
import { useTransact } from "./useTransact";

export interface LaunchRequest {
  hostId: number;
  gpus: number;
  seconds: number;
  spec: JobSpec;
  quote: JobQuote;
  slippageBps: bigint;
  /** Files the job reads from $HOURGLASS_INPUTS, uploaded before it is dispatched. */
  inputs?: readonly File[];
}

export type LaunchMode = "buy" | "credits";
export type LaunchStep = "permit" | "fund" | "upload" | "dispatch";

/** The job was funded but did not reach its host. */
export class DispatchFailed extends Error {
  constructor(
    readonly jobId: bigint,
    reason: string,
  ) {
    super(`Job #${jobId} is funded, but sending it to the host failed: ${reason}`);
  }
}

export function useLaunchJob(account: Address | undefined) {
  const config = useConfig();
  const contracts = appDeployment!.contracts;
  const { transactAsync } = useTransact();
  const permit = usePermit(account);
  const { dispatch, token } = useJobSignatures(contracts.JobEscrow);
  const [step, setStep] = useState<LaunchStep>();

  const mutation = useMutation<bigint, Error, { mode: LaunchMode; job: LaunchRequest }>({
    mutationFn: async ({ mode, job }) => {
      if (!account) throw new Error("Connect a wallet first.");
      const params = {
        hostId: BigInt(job.hostId),
        gpus: job.gpus,
        maxDuration: job.seconds,
        specHash: specHash(job.spec),
      };
      // The permit and the transaction share one deadline.
      const deadline = await permitDeadline(config);
      const purchase = job.quote.purchase;
      if (mode === "buy" && "error" in purchase) throw new Error(purchase.error);

      setStep("permit");
      const value = "maxUsdcIn" in purchase && mode === "buy" ? purchase.maxUsdcIn : job.quote.scu;
      const signed = await permit({
        token: mode === "buy" ? contracts.USDC : contracts.ComputeCredit,
        spender: mode === "buy" ? contracts.JobRouter : contracts.JobEscrow,
        value,
        deadline,
      });

      setStep("fund");
      const scuText = `${formatAmount(job.quote.scu, SCU)} SCU`;
      const receipt =
        mode === "buy"
          ? await transactAsync({
              address: contracts.JobRouter,
              abi: jobRouterAbi,
              functionName: "swapAndCreateJobWithPermit",
              args: [params, value, deadline, signed],
              title: `Buy ${scuText} and fund the job`,
              errorContext: { token: USDC },
            })
          : await transactAsync({
              address: contracts.JobEscrow,
              abi: jobEscrowAbi,
              functionName: "createJobWithPermit",
              args: [params, value, deadline, signed.v, signed.r, signed.s],
              title: `Lock ${scuText} for the job`,
              errorContext: { token: SCU },
            });
      const [created] = parseEventLogs({ abi: jobEscrowAbi, eventName: "JobCreated", logs: receipt.logs });
      if (!created) throw new Error("The transaction went through but created no job: reload and check My jobs.");
      const jobId = created.args.jobId;

      try {
        if (job.inputs?.length) {
          setStep("upload");
          const files = await token(jobId, "files", account);
          for (const file of job.inputs) await uploadInput(jobId, file.name, file, files);
        }
        setStep("dispatch");
        await dispatch(jobId, job.spec);
      } catch (error) {
        throw new DispatchFailed(jobId, describeError(error));
      }
      return jobId;
    },
    onSettled: () => setStep(undefined),
  });

  return { ...mutation, step };
}
