/** The reads that make up the SCU/USDC pool's state, for a multicall on the server or wagmi in the browser. */
import type { Address } from "viem";
import { poolFactoryAbi, scuUsdcPoolAbi } from "../contracts/abis";

/** token0, reserves, swap fee, LP supply, kLast and the factory's protocol fee, in that order. */
export function poolStateCalls({ ScuUsdcPool, PoolFactory }: { ScuUsdcPool: Address; PoolFactory: Address }) {
  const pool = { address: ScuUsdcPool, abi: scuUsdcPoolAbi } as const;
  return [
    { ...pool, functionName: "token0" },
    { ...pool, functionName: "getReserves" },
    { ...pool, functionName: "fee" },
    { ...pool, functionName: "totalSupply" },
    { ...pool, functionName: "kLast" },
    { address: PoolFactory, abi: poolFactoryAbi, functionName: "protocolFee" },
  ] as const;
}
