/**
 * The one place the SCU/USDC pool's state is read from: the calls, for a multicall on the server (alongside a
 * reader's other calls, in one round trip) or wagmi in the browser. Every reader takes the fee from here, the
 * fee the pool charges, never a constant of its own.
 */
import type { Address } from "viem";
import { poolFactoryAbi, scuUsdcPoolAbi } from "../contracts/abis";

/** token0, reserves and swap fee, in that order: what names the reserves by token (lib/amm/pool.ts) and prices a swap. */
export function poolPriceCalls({ ScuUsdcPool }: { ScuUsdcPool: Address }) {
  const pool = { address: ScuUsdcPool, abi: scuUsdcPoolAbi } as const;
  return [
    { ...pool, functionName: "token0" },
    { ...pool, functionName: "getReserves" },
    { ...pool, functionName: "fee" },
  ] as const;
}

/** token0, reserves, swap fee, LP supply, kLast and the factory's protocol fee, in that order. */
export function poolStateCalls({ ScuUsdcPool, PoolFactory }: { ScuUsdcPool: Address; PoolFactory: Address }) {
  const pool = { address: ScuUsdcPool, abi: scuUsdcPoolAbi } as const;
  return [
    ...poolPriceCalls({ ScuUsdcPool }),
    { ...pool, functionName: "totalSupply" },
    { ...pool, functionName: "kLast" },
    { address: PoolFactory, abi: poolFactoryAbi, functionName: "protocolFee" },
  ] as const;
}
