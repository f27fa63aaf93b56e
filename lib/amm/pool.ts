/** The SCU/USDC pool as the app reasons about it: reserves named by token, not by the pool's sort order. */
import type { Address } from "viem";

export interface PoolState {
  /** Reserves in base units. */
  scu: bigint;
  usdc: bigint;
  /** Swap fee in basis points. */
  fee: bigint;
}

/** The pool's (reserve0, reserve1) named: token0 is whichever address sorts first. */
export function poolState(token0: Address, computeCredit: Address, reserve0: bigint, reserve1: bigint, fee: bigint): PoolState {
  const scuFirst = token0.toLowerCase() === computeCredit.toLowerCase();
  return { scu: scuFirst ? reserve0 : reserve1, usdc: scuFirst ? reserve1 : reserve0, fee };
}
