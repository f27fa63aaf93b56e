/** A swap at the pool, exact input: one permit signature for what is paid, then the router's
 * swapExactTokensForTokensWithPermit, both valid until the trade's deadline. */
import { useCallback } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { swapPath, SWAP_SIDES, type SwapDirection } from "../amm/swap";
import { routerAbi } from "../contracts/abis";
import { formatToken } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { permitDeadline } from "../wagmi/permit";
import { usePermit } from "./usePermit";
import { useTransact } from "./useTransact";

export interface SwapRequest {
  direction: SwapDirection;
  amountIn: bigint;
  /** The least the trade may return (the quote less slippage), fixed when the swap is sent. */
  amountOutMin: bigint;
  /** How long the permit and the trade stay valid, in minutes of chain time. */
  minutes: number;
}

export function useSwap(account: Address | undefined) {
  const config = useConfig();
  const contracts = appDeployment!.contracts;
  const permit = usePermit(account);
  const { transactAsync } = useTransact();
  return useCallback(
    async ({ direction, amountIn, amountOutMin, minutes }: SwapRequest) => {
      if (!account) throw new Error("Connect a wallet first.");
      const { from, to } = SWAP_SIDES[direction];
      const path = swapPath(direction, contracts);
      const deadline = await permitDeadline(config, BigInt(minutes * 60));
      const signed = await permit({ token: path[0], spender: contracts.Router, value: amountIn, deadline });
      return transactAsync({
        address: contracts.Router,
        abi: routerAbi,
        functionName: "swapExactTokensForTokensWithPermit",
        args: [amountIn, amountOutMin, path, account, deadline, signed],
        title: `Swap ${formatToken(amountIn, from)} for ${to.symbol}`,
        errorContext: { token: to },
      });
    },
    [account, config, contracts, permit, transactAsync],
  );
}
