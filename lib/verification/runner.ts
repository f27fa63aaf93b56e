/**
 * What produces a challenge's work: the CPU runner (lib/verification/cpuRunner.ts: development, CI, the local
 * chain) and the PyTorch runner (host/verifier/torchRunner.ts: GPUs on real chains, or CPU in tests) implement
 * the same two calls, and agree bit for bit (host/verifier/torchRunner.test.ts).
 */
import type { Hex } from "viem";
import type { WorkShape } from "./work";

export interface Runner {
  readonly kind: "cpu" | "torch";
  /** The statistic of every tile of rounds [0, rounds), in leaf order (ℓ = r·M/T + t). */
  stats(seed: Hex, shape: WorkShape, rounds: number, signal?: AbortSignal): Promise<BigUint64Array>;
  /** The T·N values of each listed leaf's tile (row-major), in the order asked. */
  tiles(seed: Hex, shape: WorkShape, leafIndices: readonly number[], signal?: AbortSignal): Promise<Int32Array[]>;
}
