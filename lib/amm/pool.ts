/** The SCU/USDC pool as the app reasons about it: reserves named by token, not by the pool's sort order. */
import type { Address } from "viem";

export interface PoolState {
  /** Reserves in base units. */
  scu: bigint;
  usdc: bigint;
  /** Swap fee in basis points. */
  fee: bigint;
}

/** Whether SCU is the pool's token0: token0 is whichever address sorts first. */
export const isScuToken0 = (token0: Address, computeCredit: Address) =>
  token0.toLowerCase() === computeCredit.toLowerCase();

/** The pool's (reserve0, reserve1) named by token. */
export const reservesByToken = (scuIsToken0: boolean, reserve0: bigint, reserve1: bigint) =>
  scuIsToken0 ? { scu: reserve0, usdc: reserve1 } : { scu: reserve1, usdc: reserve0 };

/** The pool's (reserve0, reserve1) and fee, named. */
export function poolState(
  token0: Address,
  computeCredit: Address,
  reserve0: bigint,
  reserve1: bigint,
  fee: bigint,
): PoolState {
  return { ...reservesByToken(isScuToken0(token0, computeCredit), reserve0, reserve1), fee };
}
