/**
 * The CPU runner: the work in TypeScript on this thread, for the local chain's shape (5.2·10⁵ FLOPs a round,
 * about a millisecond). It yields to the event loop every YIELD_MS so that the host agent keeps serving while
 * it proves, and stops at the abort signal. One round's B is generated once and shared by its tiles.
 */
import type { Hex } from "viem";
import type { Runner } from "./runner";
import {
  computeTile,
  generateB,
  leafPosition,
  MAX_ROUNDS,
  seed64Of,
  tileStat,
  tilesPerRound,
  validateShape,
  type WorkShape,
} from "./work";

/** Work between two yields to the event loop. */
const YIELD_MS = 10;
/** Tiles one `tiles` call may ask for (a reveal asks for 8). */
export const MAX_TILES_PER_CALL = 64;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function checkpoint(state: { since: number }, signal?: AbortSignal) {
  signal?.throwIfAborted();
  if (performance.now() - state.since < YIELD_MS) return;
  await yieldToLoop();
  signal?.throwIfAborted();
  state.since = performance.now();
}

export const cpuRunner: Runner = {
  kind: "cpu",

  async stats(seed: Hex, shape: WorkShape, rounds: number, signal?: AbortSignal): Promise<BigUint64Array> {
    validateShape(shape);
    if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS)
      throw new RangeError(`rounds must be in [1, ${MAX_ROUNDS}], got ${rounds}`);
    const tiles = tilesPerRound(shape);
    const out = new BigUint64Array(rounds * tiles);
    const scratch = new Int8Array(shape.tileRows * shape.inner);
    const state = { since: performance.now() };
    const seed64 = seed64Of(seed);
    for (let r = 0; r < rounds; r++) {
      const b = generateB(seed64, shape, r);
      for (let t = 0; t < tiles; t++) {
        await checkpoint(state, signal);
        out[r * tiles + t] = tileStat(computeTile(seed, shape, r, t, b, scratch));
      }
    }
    return out;
  },

  async tiles(seed: Hex, shape: WorkShape, leafIndices: readonly number[], signal?: AbortSignal) {
    validateShape(shape);
    if (leafIndices.length > MAX_TILES_PER_CALL)
      throw new RangeError(`at most ${MAX_TILES_PER_CALL} tiles per call, got ${leafIndices.length}`);
    const state = { since: performance.now() };
    const out: Int32Array[] = [];
    for (const index of leafIndices) {
      await checkpoint(state, signal);
      const { round, tile } = leafPosition(shape, MAX_ROUNDS, index);
      out.push(computeTile(seed, shape, round, tile));
    }
    return out;
  },
};
