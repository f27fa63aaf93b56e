/**
 * Gas limits with headroom. A transaction's gas can grow between its estimate and its block: the first trade in
 * a block writes the pool's price accumulator, the registry records a TWAP observation when one falls due. At
 * the bare estimate it then runs out and reverts with nothing to decode (seen in CI: a job's swap-and-fund used
 * 304,893 of its 307,352 limit). Unused gas is not charged, so the margin costs nothing when unneeded.
 */

/** The estimate plus 20% (what Uniswap's interface adds). */
export const withGasMargin = (estimate: bigint) => estimate + estimate / 5n;

/** Whether a reverted transaction ran out of gas: a call that runs out keeps at most 1/64 of its gas back
 * (EIP-150), so one that used at least 63/64 of its limit almost certainly ran out. */
export const ranOutOfGas = (gasUsed: bigint, gasLimit: bigint) => gasUsed * 64n >= gasLimit * 63n;
