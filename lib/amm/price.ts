/** Prices from the SCU/USDC pool's reserves: the spot price of an SCU, and what a GPU-hour of a class costs at it. */
import { WAD } from "../math";

/** USDC base units per whole SCU at the pool's reserves (SCU has 18 decimals), rounded down; undefined while the pool is empty. */
export const spotUsdcPerScu = (scu: bigint, usdc: bigint) => (scu === 0n ? undefined : (usdc * WAD) / scu);

/** An amount of SCU (18 decimals) in USDC base units at `usdcPerScu`, rounded down. */
export const scuInUsdc = (scu: bigint, usdcPerScu: bigint) => (scu * usdcPerScu) / WAD;

/** What one GPU-hour of a class costs in USDC base units: the SCU price × the class's rating (WAD). */
export const usdcPerGpuHour = (usdcPerScu: bigint, ratingWad: bigint) => scuInUsdc(ratingWad, usdcPerScu);
