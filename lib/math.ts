/** Integer math shared by the domain modules. */

/** 1e18: fixed-point one, for ratings (SCU per GPU-hour) and fractions such as price impact. */
export const WAD = 10n ** 18n;

/** The integer square root, rounded down (as Solady's FixedPointMathLib.sqrt, which the pool uses). */
export function sqrt(x: bigint): bigint {
  if (x < 0n) throw new RangeError("sqrt of a negative number");
  if (x < 2n) return x;
  let z = x;
  let y = (x >> 1n) + 1n;
  while (y < z) {
    z = y;
    y = (x / y + y) >> 1n;
  }
  return z;
}
