/**
 * The escrow's calls on one job, from its page, each through the one write path (simulate, sign, wait, toast,
 * a refusal as a sentence): the buyer's stop, cancel (with the host's acknowledgement, a no-show), confirm and
 * extension (paid through an SCU permit, one transaction), its dispute (the bond's wallet part through an SCU
 * permit), and what anyone may do: reclaim, finalize, apply the default ruling.
 */
import { useMutation } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, Hex } from "viem";
import { jobEscrowAbi } from "../contracts/abis";
import { extensionCost } from "../jobs/actions";
import type { JobDetails } from "../jobs/details";
import { SCU } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { usePermit } from "./usePermit";
import { useTransact } from "./useTransact";

type OneArgCall = "stop" | "reclaim" | "confirm" | "finalize" | "settleDispute";

export function useJobWrites(job: JobDetails, account: Address | undefined) {
  const { JobEscrow: escrow, ComputeCredit: scu } = appDeployment!.contracts;
  const write = useTransact();
  const permit = usePermit(account);
  const client = usePublicClient();
  const id = `#${job.id}`;
  const call = (functionName: OneArgCall, title: string) =>
    write.transact({
      address: escrow,
      abi: jobEscrowAbi,
      functionName,
      args: [job.id],
      title,
      errorContext: { token: SCU },
    });

  const dispute = useMutation<unknown, Error, string>({
    mutationFn: async (reason) => {
      const { fromWallet } = job.disputeBond;
      const title = `Dispute job ${id}`;
      // The refund the receipt leaves pays the bond first; only the rest needs the wallet's consent.
      if (fromWallet === 0n) {
        return write.transactAsync({
          address: escrow,
          abi: jobEscrowAbi,
          functionName: "dispute",
          args: [job.id, reason],
          title,
          errorContext: { token: SCU },
        });
      }
      const signed = await permit({ token: scu, spender: escrow, value: fromWallet });
      return write.transactAsync({
        address: escrow,
        abi: jobEscrowAbi,
        functionName: "disputeWithPermit",
        args: [job.id, reason, signed],
        title,
        errorContext: { token: SCU },
      });
    },
  });

  const extend = useMutation<unknown, Error, number>({
    mutationFn: async (seconds) => {
      // The escrow's price now, not the page's read: another extension since would have raised it.
      const value = client
        ? await client.readContract({
            address: escrow,
            abi: jobEscrowAbi,
            functionName: "extensionCost",
            args: [job.id, BigInt(seconds)],
          })
        : extensionCost(job, seconds);
      const signed = await permit({ token: scu, spender: escrow, value });
      return write.transactAsync({
        address: escrow,
        abi: jobEscrowAbi,
        functionName: "extendWithPermit",
        args: [job.id, seconds, signed],
        title: `Extend job ${id}`,
        errorContext: { token: SCU },
      });
    },
  });

  return {
    busy: write.isPending || dispute.isPending || extend.isPending,
    /** The last failure, as a sentence. */
    error: (dispute.error ?? extend.error ?? write.error)?.message,
    stop: () => call("stop", `Stop job ${id}`),
    reclaim: () => call("reclaim", `Reclaim job ${id}`),
    confirm: () => call("confirm", `Confirm job ${id}'s receipt`),
    finalize: () => call("finalize", `Finalize job ${id}`),
    settleDispute: () => call("settleDispute", `Apply the default ruling on job ${id}`),
    /** With the host's acknowledgement after the start timeout, the host's no-show; without, a withdrawal. */
    cancel: (ack: Hex | undefined) =>
      write.transact({
        address: escrow,
        abi: jobEscrowAbi,
        functionName: "cancel",
        args: [job.id, ack ?? "0x"],
        title: ack ? `Cancel job ${id} as the host's no-show` : `Cancel job ${id}`,
        errorContext: { token: SCU },
      }),
    dispute: (reason: string) => dispute.mutate(reason),
    /** Locks the job's own price for `seconds` more (a permit for exactly that) and moves its maximum end. */
    extend: (seconds: number) => extend.mutate(seconds),
  };
}
