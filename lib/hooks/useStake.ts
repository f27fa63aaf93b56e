/** Adds USDC to the connected provider's stake: the registry pulls it, so an approval goes first unless the
 * allowance already covers the amount. */
import { useCallback } from "react";
import type { Address } from "viem";
import { useReadContract } from "wagmi";
import { providerRegistryAbi, usdcAbi } from "../contracts/abis";
import { formatUsd } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { useTransact } from "./useTransact";

export function useStake(account: Address) {
  const { USDC: usdc, ProviderRegistry: registry } = appDeployment!.contracts;
  const allowance = useReadContract({ address: usdc, abi: usdcAbi, functionName: "allowance", args: [account, registry] });
  const { transactAsync } = useTransact();
  const { data: allowed = 0n } = allowance;
  return useCallback(
    async (amount: bigint) => {
      if (allowed < amount) {
        await transactAsync({ address: usdc, abi: usdcAbi, functionName: "approve", args: [registry, amount], title: `Approve ${formatUsd(amount)} for staking` });
      }
      return transactAsync({ address: registry, abi: providerRegistryAbi, functionName: "stake", args: [amount], title: `Stake ${formatUsd(amount)}` });
    },
    [allowed, transactAsync, usdc, registry],
  );
}
