/**
 * The SCU/USDC pool as the browser needs it to quote and preview: reserves and fee (as a PoolState), LP
 * supply, kLast and the protocol fee (for exact previews of mints and burns), and, given an account, its LP
 * shares. One multicall, read again on every new block.
 */
import { useEffect } from "react";
import { zeroAddress, type Address } from "viem";
import { useBlockNumber, useReadContracts } from "wagmi";
import { scuUsdcPoolAbi } from "../contracts/abis";
import { isScuToken0, poolState } from "../amm/pool";
import { poolStateCalls } from "../pool/calls";
import { appDeployment } from "../wagmi/config";

export function usePool(account?: Address) {
  const { ScuUsdcPool, ComputeCredit, PoolFactory } = appDeployment!.contracts;
  const pool = { address: ScuUsdcPool, abi: scuUsdcPoolAbi } as const;
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const query = useReadContracts({
    allowFailure: false,
    contracts: [
      ...poolStateCalls({ ScuUsdcPool, PoolFactory }),
      { ...pool, functionName: "balanceOf", args: [account ?? zeroAddress] },
    ],
    query: {
      select: ([token0, [r0, r1], fee, totalSupply, kLast, [, protocolShareBps], shares]) => ({
        ...poolState(token0, ComputeCredit, r0, r1, fee),
        reserve0: r0,
        reserve1: r1,
        scuIsToken0: isScuToken0(token0, ComputeCredit),
        totalSupply,
        kLast,
        protocolShareBps,
        /** The account's LP shares (0 without an account). */
        shares,
      }),
    },
  });
  const { refetch } = query;
  useEffect(() => {
    if (blockNumber !== undefined) void refetch();
  }, [blockNumber, refetch]);
  return query;
}
