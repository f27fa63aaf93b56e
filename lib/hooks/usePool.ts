/** The SCU/USDC pool's reserves and fee, as a PoolState, read again on every new block. */
import { useEffect } from "react";
import { useBlockNumber, useReadContracts } from "wagmi";
import { scuUsdcPoolAbi } from "../contracts/abis";
import { poolState } from "../amm/pool";
import { appDeployment } from "../wagmi/config";

export function usePool() {
  const { ScuUsdcPool, ComputeCredit } = appDeployment!.contracts;
  const pool = { address: ScuUsdcPool, abi: scuUsdcPoolAbi } as const;
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const query = useReadContracts({
    allowFailure: false,
    contracts: [
      { ...pool, functionName: "token0" },
      { ...pool, functionName: "getReserves" },
      { ...pool, functionName: "fee" },
    ],
    query: {
      select: ([token0, [r0, r1], fee]) => poolState(token0, ComputeCredit, r0, r1, fee),
    },
  });
  const { refetch } = query;
  useEffect(() => {
    if (blockNumber !== undefined) void refetch();
  }, [blockNumber, refetch]);
  return query;
}
