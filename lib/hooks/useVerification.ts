/**
 * The SupplyVerifier's writes anyone may send: challenge a host (paying its fee in SCU), and move an open
 * challenge along: begin it once the host's GPUs are free, expire it past a missed deadline, finalize it after
 * the fraud window. The host's own writes (commit, reveal) are the host agent's; a fraud proof is the watcher's.
 */
import { useCallback } from "react";
import { parseEventLogs, type Address } from "viem";
import { useConfig } from "wagmi";
import { readContracts } from "wagmi/actions";
import { computeCreditAbi, providerRegistryAbi, supplyVerifierAbi } from "../contracts/abis";
import { formatToken, SCU } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { permitDeadline } from "../wagmi/permit";
import { usePermit } from "./usePermit";
import { useTransact } from "./useTransact";

/**
 * Challenges host #`hostId` from `account`; resolves to the challenge's id. The verifier takes the fee with
 * transferFrom, so when its allowance is short the SCU holder signs a permit for exactly the fee (one signature)
 * and sends it to the token (one transaction, no approval of more than is spent), then the challenge. The host's
 * own provider pays no fee, and signs nothing but the challenge.
 */
export function useChallenge(account: Address | undefined) {
  const config = useConfig();
  const { SupplyVerifier: verifier, ComputeCredit: scu, ProviderRegistry: registry } = appDeployment!.contracts;
  const permit = usePermit(account);
  const { transactAsync } = useTransact();
  return useCallback(
    async (hostId: number) => {
      if (!account) throw new Error("Connect a wallet first.");
      const id = BigInt(hostId);
      // The fee as the challenge will compute it, read now rather than from the page (a rating may have moved):
      // the host's price for the span, or nothing for its own provider (SupplyVerifier.challenge).
      const [[, , price], host, allowance] = await readContracts(config, {
        allowFailure: false,
        contracts: [
          { address: verifier, abi: supplyVerifierAbi, functionName: "work", args: [id] },
          { address: registry, abi: providerRegistryAbi, functionName: "host", args: [id] },
          { address: scu, abi: computeCreditAbi, functionName: "allowance", args: [account, verifier] },
        ],
      });
      const fee = host.provider.toLowerCase() === account.toLowerCase() ? 0n : price;
      const feeText = fee === 0n ? "no fee" : formatToken(fee, SCU);
      if (allowance < fee) {
        const deadline = await permitDeadline(config);
        const { v, r, s } = await permit({ token: scu, spender: verifier, value: fee, deadline });
        await transactAsync({
          address: scu,
          abi: computeCreditAbi,
          functionName: "permit",
          args: [account, verifier, fee, deadline, v, r, s],
          title: `Allow the verifier to take the ${feeText} fee`,
          errorContext: { token: SCU },
        });
      }
      const receipt = await transactAsync({
        address: verifier,
        abi: supplyVerifierAbi,
        functionName: "challenge",
        args: [id],
        title: `Challenge host #${hostId} (${feeText})`,
        errorContext: { token: SCU },
      });
      const [opened] = parseEventLogs({ abi: supplyVerifierAbi, eventName: "ChallengeOpened", logs: receipt.logs });
      if (!opened) throw new Error("The transaction went through but opened no challenge: reload the page.");
      return opened.args.id;
    },
    [account, config, permit, registry, scu, transactAsync, verifier],
  );
}

/** The steps anyone may take on an open challenge, each one transaction. */
export function useChallengeSteps() {
  const verifier = appDeployment!.contracts.SupplyVerifier;
  const { transactAsync } = useTransact();
  const send = (functionName: "begin" | "expire" | "finalize", id: bigint, title: string) =>
    transactAsync({ address: verifier, abi: supplyVerifierAbi, functionName, args: [id], title });
  return {
    /** Starts a pending challenge once the host runs no job (begin): the seed is the next block's hash. */
    begin: (id: bigint) => send("begin", id, `Begin challenge #${id}`),
    /** Fails a challenge whose host missed its commit or reveal deadline (expire): the fee goes back to its
     * challenger and the provider's stake is slashed. */
    expire: (id: bigint) => send("expire", id, `Expire challenge #${id}`),
    /** Passes a revealed challenge after its fraud window (finalize): the host is verified, its provider paid. */
    finalize: (id: bigint) => send("finalize", id, `Finalize challenge #${id}`),
  };
}
