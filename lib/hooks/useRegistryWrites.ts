/**
 * The provider's registry writes on its stake and credits: stake and retire spend the wallet's USDC or SCU
 * through a permit (one signature, one transaction); unbonding, withdrawing and minting are one call each; and
 * recording a price reading, which anyone may do. Writes on the provider's hosts are in useHostWrites.ts.
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

/** Starts unbonding `amount` of the stake (requestUnbond): withdrawable after the delay, for a window. */
export function useRequestUnbond() {
  const registry = appDeployment!.contracts.ProviderRegistry;
  const { transactAsync } = useTransact();
  return useCallback(
    (amount: bigint) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "requestUnbond",
        args: [amount],
        title: `Start unbonding ${formatUsd(amount)}`,
      }),
    [registry, transactAsync],
  );
}

/** Sends the whole unbonded stake to the provider's wallet (withdraw); `unbonding` is that amount, for the toast. */
export function useWithdrawStake(account: Address) {
  const registry = appDeployment!.contracts.ProviderRegistry;
  const { transactAsync } = useTransact();
  return useCallback(
    (unbonding: bigint) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "withdraw",
        args: [account],
        title: `Withdraw ${formatUsd(unbonding)} of stake`,
      }),
    [account, registry, transactAsync],
  );
}

/** Mints `amount` of SCU to the provider against its capacity and stake (mint). */
export function useMint(account: Address) {
  const registry = appDeployment!.contracts.ProviderRegistry;
  const { transactAsync } = useTransact();
  return useCallback(
    (amount: bigint) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "mint",
        args: [amount, account],
        title: `Mint ${formatToken(amount, SCU)}`,
      }),
    [account, registry, transactAsync],
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
    () =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "observe",
        title: "Record a price reading",
      }),
    [registry, transactAsync],
  );
}
