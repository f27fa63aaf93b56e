/**
 * What produces a challenge's work: the CPU runner (lib/verification/cpuRunner.ts: development, CI, the local
 * chain) and the PyTorch runner (host/verifier/torchRunner.ts: GPUs on real chains, or CPU in tests) implement
 * the same two calls, and agree bit for bit (host/verifier/torchRunner.test.ts).
 *
 * Statistics stream: at the GPU shape a challenge's are gigabytes (8 bytes a tile, ~10^7 tiles/s on 8 H100s), so
 * a runner hands them over in chunks of whole rounds and never holds them all.
 */
import type { Hex } from "viem";
import type { WorkShape } from "./work";

export interface Runner {
  readonly kind: "cpu" | "torch";
  /** Every tile's statistic for rounds [0, rounds), in tile order (τ = r·M/T + t), delivered in order in chunks of
   * whole rounds: onStats(firstRound, stats) with stats.length = k·M/T (k ≥ 1). Resolves after the last chunk's
   * onStats has resolved; rejects (and stops the work) if onStats throws or the signal aborts. */
  stats(
    seed: Hex,
    shape: WorkShape,
    rounds: number,
    onStats: (firstRound: number, stats: BigUint64Array) => void | Promise<void>,
    signal?: AbortSignal,
  ): Promise<void>;
  /** The T·N values of each listed tile (by tile index τ), row-major, in the order asked. */
  tiles(seed: Hex, shape: WorkShape, tileIndices: readonly number[], signal?: AbortSignal): Promise<Int32Array[]>;
}
