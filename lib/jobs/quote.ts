/**
 * What a job costs before it is paid: the SCU the escrow will lock (lib/jobs/cost.ts), the USDC that buys
 * exactly that from the SCU/USDC pool now (lib/amm/quote.ts, as JobRouter swaps it), and what comes back if
 * the job ends early (the escrow's per-second bill, as the host signs it). Pure and synchronous, so the compute page recomputes it on
 * every keystroke from reserves it already holds.
 */
import type { PoolState } from "../amm/pool";
import { maximumSent, QuoteError, quoteExactOut } from "../amm/quote";
import { jobCost, meterRun } from "./cost";

export interface JobQuoteRequest {
  gpus: number;
  /** SCU per GPU-hour of the host's class, WAD. */
  ratingWad: bigint;
  /** The job's maximum run, in seconds (what the escrow locks for). */
  seconds: number;
  pool: PoolState | undefined;
  /** Slippage tolerance for the USDC paid, in basis points. */
  slippageBps: bigint;
}

export interface JobQuote {
  /** SCU locked in escrow: exactly this is bought, or taken from the buyer's credits. */
  scu: bigint;
  /** Buying it from the pool now; `error` says why it cannot be (an empty or too shallow pool). */
  purchase:
    | {
        usdcIn: bigint;
        /** The router's `amountInMax`: the most the buyer pays if the price moves within the slippage. */
        maxUsdcIn: bigint;
        /** WAD, 1e18 = 100%. */
        priceImpactWad: bigint;
        /** USDC kept by the pool's LPs. */
        feeUsdc: bigint;
      }
    | { error: string };
}

export function quoteJob({ gpus, ratingWad, seconds, pool, slippageBps }: JobQuoteRequest): JobQuote {
  const scu = jobCost(gpus, ratingWad, seconds);
  if (!pool || pool.scu === 0n || pool.usdc === 0n)
    return { scu, purchase: { error: "The SCU/USDC pool has no liquidity yet." } };
  if (scu >= pool.scu)
    return { scu, purchase: { error: "The pool is too shallow for a job this size: ask for fewer GPUs or hours." } };
  try {
    const { amounts, priceImpactWad, fees } = quoteExactOut(scu, [
      { reserveIn: pool.usdc, reserveOut: pool.scu, fee: pool.fee },
    ]);
    const usdcIn = amounts[0]!;
    return {
      scu,
      purchase: { usdcIn, maxUsdcIn: maximumSent(usdcIn, slippageBps), priceImpactWad, feeUsdc: fees[0]! },
    };
  } catch (error) {
    if (error instanceof QuoteError) return { scu, purchase: { error: error.message } };
    throw error;
  }
}

/** SCU returned to the buyer if a job that locked `locked` for `maxDuration` seconds ends `elapsed` seconds
 * after it started (the first minute is always charged). */
export const refundIfEndedAfter = (locked: bigint, elapsed: number, maxDuration: number) =>
  locked - meterRun({ locked, maxDuration, startedAt: 0, stoppedAt: 0 }, elapsed).used;
