/** Adding and removing liquidity through the router: permits instead of approvals (one signature per token
 * spent), then one transaction; the permits and the transaction share the trade's deadline. */
import { useCallback } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { minimumReceived } from "../amm/quote";
import { routerAbi } from "../contracts/abis";
import type { ErrorContext } from "../errors";
import { formatAmount, formatToken, SCU, USDC } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { permitDeadline } from "../wagmi/permit";
import { usePermit } from "./usePermit";
import { useTransact } from "./useTransact";

export interface AddLiquidityRequest {
  usdc: bigint;
  scu: bigint;
  /** Each side may go in short by this much (the pool's ratio moved). */
  slippageBps: bigint;
  /** How long the permits and the trade stay valid, in minutes of chain time. */
  minutes: number;
}

export interface RemoveLiquidityRequest {
  /** LP shares to burn. */
  liquidity: bigint;
  minUsdc: bigint;
  minScu: bigint;
  minutes: number;
}

/** The pool's tokens by address, for error sentences that name a token. */
function errorContext(): ErrorContext {
  const { USDC: usdc, ComputeCredit } = appDeployment!.contracts;
  return {
    tokenAt: (a) =>
      a.toLowerCase() === usdc.toLowerCase() ? USDC : a.toLowerCase() === ComputeCredit.toLowerCase() ? SCU : undefined,
  };
}

/** Deposits both tokens at the pool's ratio (addLiquidityWithPermit), minting LP shares to `account`. */
export function useAddLiquidity(account: Address) {
  const config = useConfig();
  const contracts = appDeployment!.contracts;
  const permit = usePermit(account);
  const { transactAsync } = useTransact();
  return useCallback(
    async ({ usdc, scu, slippageBps, minutes }: AddLiquidityRequest) => {
      const deadline = await permitDeadline(config, BigInt(minutes * 60));
      const permitUsdc = await permit({ token: contracts.USDC, spender: contracts.Router, value: usdc, deadline });
      const permitScu = await permit({
        token: contracts.ComputeCredit,
        spender: contracts.Router,
        value: scu,
        deadline,
      });
      return transactAsync({
        address: contracts.Router,
        abi: routerAbi,
        functionName: "addLiquidityWithPermit",
        args: [
          contracts.USDC,
          contracts.ComputeCredit,
          usdc,
          scu,
          minimumReceived(usdc, slippageBps),
          minimumReceived(scu, slippageBps),
          account,
          deadline,
          permitUsdc,
          permitScu,
        ],
        title: `Add ${formatToken(usdc, USDC)} and ${formatToken(scu, SCU)}`,
        errorContext: errorContext(),
      });
    },
    [account, config, contracts, permit, transactAsync],
  );
}

/** Burns `account`'s LP shares for both tokens (removeLiquidityWithPermit): the shares through a permit. */
export function useRemoveLiquidity(account: Address) {
  const config = useConfig();
  const contracts = appDeployment!.contracts;
  const permit = usePermit(account);
  const { transactAsync } = useTransact();
  return useCallback(
    async ({ liquidity, minUsdc, minScu, minutes }: RemoveLiquidityRequest) => {
      const deadline = await permitDeadline(config, BigInt(minutes * 60));
      const signed = await permit({
        token: contracts.ScuUsdcPool,
        spender: contracts.Router,
        value: liquidity,
        deadline,
      });
      return transactAsync({
        address: contracts.Router,
        abi: routerAbi,
        functionName: "removeLiquidityWithPermit",
        args: [contracts.USDC, contracts.ComputeCredit, liquidity, minUsdc, minScu, account, deadline, signed],
        title: `Remove ${formatAmount(liquidity, SCU, 6)} LP shares`,
        errorContext: errorContext(),
      });
    },
    [account, config, contracts, permit, transactAsync],
  );
}
