/** Prices from the SCU/USDC pool's reserves: the spot price of an SCU, and what a GPU-hour of a class costs at it. */
import { WAD } from "../math";

/** USDC base units per whole SCU at the pool's reserves (SCU has 18 decimals), rounded down; undefined while the pool is empty. */
export const spotUsdcPerScu = (scu: bigint, usdc: bigint) => (scu === 0n ? undefined : (usdc * WAD) / scu);

/** What one GPU-hour of a class costs in USDC base units: the SCU price × the class's rating (WAD). */
export const usdcPerGpuHour = (usdcPerScu: bigint, ratingWad: bigint) => (usdcPerScu * ratingWad) / WAD;
