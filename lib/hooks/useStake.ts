/** Adds USDC to the connected provider's stake: one permit signature and one transaction (stakeWithPermit),
 * as the app's other USDC movements go. */
import { useCallback } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { getBlock } from "wagmi/actions";
import { providerRegistryAbi } from "../contracts/abis";
import { formatUsd } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { signPermit } from "../wagmi/permit";
import { useTransact } from "./useTransact";

/** How long the permit stays valid: long enough to confirm in a wallet. */
const PERMIT_MINUTES = 30n;

export function useStake(account: Address) {
  const config = useConfig();
  const { USDC: usdc, ProviderRegistry: registry } = appDeployment!.contracts;
  const { transactAsync } = useTransact();
  return useCallback(
    async (amount: bigint) => {
      const deadline = (await getBlock(config)).timestamp + PERMIT_MINUTES * 60n;
      const permit = await signPermit(config, { token: usdc, owner: account, spender: registry, value: amount, deadline });
      return transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "stakeWithPermit",
        args: [amount, permit],
        title: `Stake ${formatUsd(amount)}`,
      });
    },
    [account, config, registry, transactAsync, usdc],
  );
}
