/** Signs EIP-2612 permits from the connected account: a write that spends its USDC or SCU takes one signature
 * instead of an approval transaction. */
import { useCallback } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { getBlock } from "wagmi/actions";
import { signPermit } from "../wagmi/permit";

/** How long a permit stays valid, in chain time: long enough to confirm the transaction in a wallet. */
const PERMIT_SECONDS = 30n * 60n;

export function usePermit(account: Address | undefined) {
  const config = useConfig();
  return useCallback(
    async (permit: { token: Address; spender: Address; value: bigint }) => {
      if (!account) throw new Error("Connect a wallet first.");
      const deadline = (await getBlock(config)).timestamp + PERMIT_SECONDS;
      return signPermit(config, { ...permit, owner: account, deadline });
    },
    [account, config],
  );
}
