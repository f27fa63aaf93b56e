/** The connected account's ETH, USDC and SCU balances: one multicall, refreshed on every new block. */
import { useEffect } from "react";
import type { Address } from "viem";
import { useBlockNumber, useReadContracts } from "wagmi";
import { computeCreditAbi, multicall3Abi, usdcAbi } from "../contracts/abis";
import { appDeployment } from "../wagmi/config";

export interface Balances {
  eth: bigint;
  usdc: bigint;
  scu: bigint;
}

export function useBalances(account: Address | undefined) {
  const contracts = appDeployment?.contracts;
  const { data: blockNumber } = useBlockNumber({ watch: true });

  const query = useReadContracts({
    allowFailure: false,
    contracts:
      account && contracts
        ? ([
            // ETH through Multicall3 so all three come back in one eth_call.
            { address: contracts.Multicall3, abi: multicall3Abi, functionName: "getEthBalance", args: [account] },
            { address: contracts.USDC, abi: usdcAbi, functionName: "balanceOf", args: [account] },
            { address: contracts.ComputeCredit, abi: computeCreditAbi, functionName: "balanceOf", args: [account] },
          ] as const)
        : undefined,
    query: {
      enabled: Boolean(account && contracts),
      select: ([eth, usdc, scu]): Balances => ({ eth, usdc, scu }),
    },
  });

  const { refetch } = query;
  useEffect(() => {
    if (blockNumber !== undefined) void refetch();
  }, [blockNumber, refetch]);

  return query;
}
