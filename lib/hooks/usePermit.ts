/** Signs EIP-2612 permits from the connected account: a write that spends its USDC or SCU takes one signature
 * instead of an approval transaction. */
import { useCallback } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { signPermit, type PermitRequest } from "../wagmi/permit";

export function usePermit(account: Address | undefined) {
  const config = useConfig();
  return useCallback(
    async (permit: Omit<PermitRequest, "owner">) => {
      if (!account) throw new Error("Connect a wallet first.");
      return signPermit(config, { ...permit, owner: account });
    },
    [account, config],
  );
}
