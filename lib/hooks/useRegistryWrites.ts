/**
 * The provider's registry writes that are more than one call: stake and retire spend the wallet's USDC or SCU
 * through a permit (one signature, one transaction), and recording a price reading, which anyone may do.
 */
import { useCallback } from "react";
import type { Address } from "viem";
import { providerRegistryAbi } from "../contracts/abis";
import { formatToken, formatUsd, SCU } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { usePermit } from "./usePermit";
import { useTransact } from "./useTransact";

/** Adds USDC to the connected provider's stake (stakeWithPermit). */
export function useStake(account: Address) {
  const { USDC: usdc, ProviderRegistry: registry } = appDeployment!.contracts;
  const permit = usePermit(account);
  const { transactAsync } = useTransact();
  return useCallback(
    async (amount: bigint) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "stakeWithPermit",
        args: [amount, await permit({ token: usdc, spender: registry, value: amount })],
        title: `Stake ${formatUsd(amount)}`,
      }),
    [permit, registry, transactAsync, usdc],
  );
}

/** Burns the provider's own SCU against its obligation (retireWithPermit): the registry burns only credits
 * their holder allowed it to take. */
export function useRetire(account: Address) {
  const { ComputeCredit: scu, ProviderRegistry: registry } = appDeployment!.contracts;
  const permit = usePermit(account);
  const { transactAsync } = useTransact();
  return useCallback(
    async (amount: bigint) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "retireWithPermit",
        args: [amount, await permit({ token: scu, spender: registry, value: amount })],
        title: `Retire ${formatToken(amount, SCU)}`,
        errorContext: { token: SCU },
      }),
    [permit, registry, scu, transactAsync],
  );
}

/** Records a reading of the pool's price for the registry's TWAP (`observe`, anyone): usable a window later. */
export function useObservePrice() {
  const registry = appDeployment!.contracts.ProviderRegistry;
  const { transactAsync } = useTransact();
  return useCallback(
    () => transactAsync({ address: registry, abi: providerRegistryAbi, functionName: "observe", title: "Record a price reading" }),
    [registry, transactAsync],
  );
}
