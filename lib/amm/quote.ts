/**
 * Constant-product quote math in bigint: the same functions as contracts/src/libraries/PoolMath.sol (and the
 * Quoter's price impact), so the app quotes locally from pool reserves, with no round trip per keystroke.
 * A differential test (quote.differential.test.ts) holds it equal to the contracts on thousands of cases.
 */

import { sqrt, WAD } from "../math";

/** Fees are in basis points of the input. */
export const FEE_DENOMINATOR = 10_000n;
/** Shares locked at a pool's first mint (Pool.MINIMUM_LIQUIDITY). */
export const MINIMUM_LIQUIDITY = 1_000n;

/** One pool on a path, oriented in the direction of the trade. */
export interface Hop {
  reserveIn: bigint;
  reserveOut: bigint;
  /** Swap fee in basis points. */
  fee: bigint;
}

export class QuoteError extends Error {}

function assertReserves({ reserveIn, reserveOut }: Hop) {
  if (reserveIn <= 0n || reserveOut <= 0n) throw new QuoteError("The pool has no liquidity yet.");
}

/** Output for `amountIn`, rounded down: out = in·(D−f)·rOut / (rIn·D + in·(D−f)). */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, fee: bigint): bigint {
  const amountInWithFee = amountIn * (FEE_DENOMINATOR - fee);
  return (amountInWithFee * reserveOut) / (reserveIn * FEE_DENOMINATOR + amountInWithFee);
}

/** Input needed for `amountOut`, rounded up: in = rIn·out·D / ((rOut − out)·(D−f)) + 1. */
export function getAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, fee: bigint): bigint {
  if (amountOut >= reserveOut) {
    throw new QuoteError("The pool does not hold that much: ask for less than its whole reserve.");
  }
  return (reserveIn * amountOut * FEE_DENOMINATOR) / ((reserveOut - amountOut) * (FEE_DENOMINATOR - fee)) + 1n;
}

/** `amountA` at the pool's ratio, in the other token, rounded down. */
export const quote = (amountA: bigint, reserveA: bigint, reserveB: bigint) => (amountA * reserveB) / reserveA;

export interface Quote {
  /** Amounts along the path: amounts[0] is paid in, the last is received. */
  amounts: bigint[];
  /** How much less the output is than at the pools' current prices after fees (WAD: 1e18 = 100%). */
  priceImpactWad: bigint;
  /** The fee each hop keeps for its LPs, in that hop's input token. */
  fees: bigint[];
}

/** 1 − actual output / output at current prices after fees, hop by hop (Quoter._priceImpact). */
function priceImpact(amounts: bigint[], hops: Hop[]): bigint {
  let ideal = amounts[0]!;
  for (const { reserveIn, reserveOut, fee } of hops) {
    ideal = (ideal * (FEE_DENOMINATOR - fee) * reserveOut) / (FEE_DENOMINATOR * reserveIn);
  }
  const actual = amounts[amounts.length - 1]!;
  if (ideal === 0n || actual >= ideal) return 0n;
  return WAD - (actual * WAD) / ideal;
}

const feesOf = (amounts: bigint[], hops: Hop[]) => hops.map((hop, i) => (amounts[i]! * hop.fee) / FEE_DENOMINATOR);

/** Quote for exactly `amountIn` through `hops` (Router.getAmountsOut). */
export function quoteExactIn(amountIn: bigint, hops: Hop[]): Quote {
  if (hops.length === 0) throw new QuoteError("A path needs at least one pool.");
  hops.forEach(assertReserves);
  const amounts = [amountIn];
  for (const hop of hops)
    amounts.push(getAmountOut(amounts[amounts.length - 1]!, hop.reserveIn, hop.reserveOut, hop.fee));
  return { amounts, priceImpactWad: priceImpact(amounts, hops), fees: feesOf(amounts, hops) };
}

/** Quote for exactly `amountOut` through `hops` (Router.getAmountsIn). */
export function quoteExactOut(amountOut: bigint, hops: Hop[]): Quote {
  if (hops.length === 0) throw new QuoteError("A path needs at least one pool.");
  hops.forEach(assertReserves);
  const amounts = [amountOut];
  for (const hop of [...hops].reverse())
    amounts.unshift(getAmountIn(amounts[0]!, hop.reserveIn, hop.reserveOut, hop.fee));
  return { amounts, priceImpactWad: priceImpact(amounts, hops), fees: feesOf(amounts, hops) };
}

/** The least a swap may pay out under `slippageBps`: what the router's `amountOutMin` should be. */
export const minimumReceived = (amountOut: bigint, slippageBps: bigint) =>
  (amountOut * (FEE_DENOMINATOR - slippageBps)) / FEE_DENOMINATOR;

/** The most a swap may take under `slippageBps`, rounded up: the router's `amountInMax`. */
export const maximumSent = (amountIn: bigint, slippageBps: bigint) =>
  (amountIn * (FEE_DENOMINATOR + slippageBps) + FEE_DENOMINATOR - 1n) / FEE_DENOMINATOR;

/** LP shares a deposit of exactly (amount0, amount1) mints (Pool.mint). */
export function liquidityMinted(
  amount0: bigint,
  amount1: bigint,
  reserve0: bigint,
  reserve1: bigint,
  totalSupply: bigint,
): bigint {
  if (totalSupply === 0n) {
    const root = sqrt(amount0 * amount1);
    return root > MINIMUM_LIQUIDITY ? root - MINIMUM_LIQUIDITY : 0n;
  }
  const a = (amount0 * totalSupply) / reserve0;
  const b = (amount1 * totalSupply) / reserve1;
  return a < b ? a : b;
}

/** Tokens that burning `liquidity` shares pays (Pool.burn): its part of the reserves, rounded down. */
export function amountsForBurn(liquidity: bigint, reserve0: bigint, reserve1: bigint, totalSupply: bigint) {
  return { amount0: (liquidity * reserve0) / totalSupply, amount1: (liquidity * reserve1) / totalSupply };
}

/**
 * LP shares a mint or burn first mints to the protocol when its fee is on (Pool._mintProtocolFee): `shareBps`
 * of the growth in √k since `kLast`, as new shares. A preview adds these to the supply before pricing shares.
 */
export function protocolFeeShares(
  reserve0: bigint,
  reserve1: bigint,
  kLast: bigint,
  totalSupply: bigint,
  shareBps: bigint,
): bigint {
  if (shareBps === 0n || kLast === 0n) return 0n;
  const rootK = sqrt(reserve0 * reserve1);
  const rootKLast = sqrt(kLast);
  if (rootK <= rootKLast) return 0n;
  return (totalSupply * shareBps * (rootK - rootKLast)) / (rootK * (FEE_DENOMINATOR - shareBps) + rootKLast * shareBps);
}
