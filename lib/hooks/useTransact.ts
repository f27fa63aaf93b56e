/**
 * The one write path: simulate → write (gas estimated with a margin, lib/gas.ts) → wait → invalidate, with a
 * toast at each step and every failure turned into a sentence. Simulating first means a revert is caught, decoded and shown before the wallet
 * is asked to sign anything; one that happens on-chain anyway is decoded by replaying the call.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Abi, ContractFunctionArgs, ContractFunctionName, TransactionReceipt } from "viem";
import { useConfig } from "wagmi";
import { getPublicClient, simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import type { SimulateContractParameters } from "wagmi/actions";
import { describeError, type ErrorContext } from "../errors";
import { ranOutOfGas, withGasMargin } from "../gas";
import { toastStore } from "./toasts";

type Writable = "nonpayable" | "payable";

export type TransactRequest<
  abi extends Abi = Abi,
  fn extends ContractFunctionName<abi, Writable> = ContractFunctionName<abi, Writable>,
  args extends ContractFunctionArgs<abi, Writable, fn> = ContractFunctionArgs<abi, Writable, fn>,
> = SimulateContractParameters<abi, fn, args> & {
  /** What the toast calls this transaction: "Get 1,000 test USDC". */
  title: string;
  /** Helps the error sentence name amounts (which token an ERC-20 error is about). */
  errorContext?: ErrorContext;
};

/** A failed write; `message` is the sentence to show. */
export class TransactError extends Error {
  constructor(sentence: string, cause: unknown) {
    super(sentence, { cause });
  }
}

/** The chain's time for an error that names a moment ("you can use it again in 1 hour"): a test chain is moved
 * ahead of the wall clock, so the wall clock would misstate the wait. The wall clock only if the chain cannot be read. */
async function chainNow(config: ReturnType<typeof useConfig>): Promise<number | undefined> {
  try {
    const block = await getPublicClient(config)?.getBlock({ blockTag: "latest" });
    return block && Number(block.timestamp);
  } catch {
    return undefined;
  }
}

export function useTransact() {
  const config = useConfig();
  const queryClient = useQueryClient();

  const mutation = useMutation<TransactionReceipt, TransactError, TransactRequest>({
    mutationFn: async ({ title, errorContext, ...call }) => {
      const id = toastStore.push({ title, status: "signing" });
      try {
        const { request } = await simulateContract(config, call);
        const client = getPublicClient(config);
        if (!client) throw new Error("The wallet is on a network this app does not serve: switch networks.");
        const gas = withGasMargin(await client.estimateContractGas(request as never));
        const hash = await writeContract(config, { ...request, gas });
        toastStore.update(id, { status: "pending", hash });
        const receipt = await waitForTransactionReceipt(config, { hash });
        if (receipt.status !== "success") {
          if (ranOutOfGas(receipt.gasUsed, gas)) {
            throw new Error(
              `The transaction ran out of gas (it used ${receipt.gasUsed.toLocaleString("en-US")} of ${gas.toLocaleString("en-US")}): the chain changed under it. Try again.`,
            );
          }
          // Mined but reverted (the chain moved between simulation and inclusion, e.g. the price): replaying
          // the call on the state it met throws the decoded reason.
          await simulateContract(config, { ...call, blockNumber: receipt.blockNumber } as typeof call);
          throw new Error("The transaction reverted on-chain.");
        }
        toastStore.update(id, { status: "confirmed", blockNumber: receipt.blockNumber });
        // Every read may depend on what just changed; refetching is cheap next to a stale balance.
        await queryClient.invalidateQueries();
        return receipt;
      } catch (error) {
        const sentence = describeError(error, { now: await chainNow(config), ...errorContext });
        toastStore.update(id, { status: "failed", message: sentence });
        throw new TransactError(sentence, error);
      }
    },
  });

  const { mutate, mutateAsync } = mutation;
  /** Typed entry points: the ABI, function name and args are checked against each other at the call site. */
  const transact = useCallback(
    <
      const abi extends Abi,
      fn extends ContractFunctionName<abi, Writable>,
      args extends ContractFunctionArgs<abi, Writable, fn>,
    >(
      request: TransactRequest<abi, fn, args>,
    ) => mutate(request as unknown as TransactRequest),
    [mutate],
  );
  /** The same, awaitable, for a write that is one step of a longer flow (it throws a TransactError). */
  const transactAsync = useCallback(
    <
      const abi extends Abi,
      fn extends ContractFunctionName<abi, Writable>,
      args extends ContractFunctionArgs<abi, Writable, fn>,
    >(
      request: TransactRequest<abi, fn, args>,
    ) => mutateAsync(request as unknown as TransactRequest),
    [mutateAsync],
  );
  return { ...mutation, transact, transactAsync };
}
