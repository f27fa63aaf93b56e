/**
 * The CPU runner: the work in TypeScript on this thread, for the local chain's shape (5.2·10⁵ FLOPs a round,
 * about a millisecond). It yields to the event loop every YIELD_MS so that the host agent keeps serving while
 * it proves, and stops at the abort signal. A is generated once per call (it does not depend on the round), each
 * round's B once and shared by its tiles.
 */
import type { Hex } from "viem";
import type { Runner } from "./runner";
import {
  computeTile,
  generateA,
  generateB,
  MAX_ROUNDS,
  seed64Of,
  tilePosition,
  tileStat,
  tilesPerRound,
  validateShape,
  type WorkShape,
} from "./work";

/** Work between two yields to the event loop. */
const YIELD_MS = 10;
/** Tiles one `tiles` call may ask for (a reveal asks for 8). */
export const MAX_TILES_PER_CALL = 64;
/** A chunk holds about this many statistics (64 KiB), rounded down to whole rounds (at least one). */
const CHUNK_TILES = 8192;
/** The largest A (M·K entries, bytes) a `stats` call keeps; past it (the GPU shape's A is 1 GiB) each tile
 * regenerates its T rows per round. */
const MAX_KEPT_A = 1 << 26;

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

  async stats(seed, shape, rounds, onStats, signal) {
    validateShape(shape);
    if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS)
      throw new RangeError(`rounds must be in [1, ${MAX_ROUNDS}], got ${rounds}`);
    const { inner, tileRows } = shape;
    const tiles = tilesPerRound(shape);
    const seed64 = seed64Of(seed);
    const keepA = shape.rows * inner <= MAX_KEPT_A;
    const a = keepA ? generateA(seed64, shape) : undefined;
    const rowsOf = (t: number) =>
      a
        ? a.subarray(t * tileRows * inner, (t + 1) * tileRows * inner)
        : generateA(seed64, shape, t * tileRows, tileRows);
    const chunkRounds = Math.max(1, Math.floor(CHUNK_TILES / tiles));
    const state = { since: performance.now() };
    for (let first = 0; first < rounds; first += chunkRounds) {
      const count = Math.min(chunkRounds, rounds - first);
      const chunk = new BigUint64Array(count * tiles);
      for (let r = first; r < first + count; r++) {
        await checkpoint(state, signal);
        const b = generateB(seed64, shape, r);
        for (let t = 0; t < tiles; t++) {
          // A round at a wide shape is long: keep yielding inside it too.
          if (!keepA) await checkpoint(state, signal);
          chunk[(r - first) * tiles + t] = tileStat(computeTile(seed, shape, r, t, b, rowsOf(t)));
        }
      }
      signal?.throwIfAborted();
      await onStats(first, chunk);
    }
  },

  async tiles(seed: Hex, shape: WorkShape, tileIndices: readonly number[], signal?: AbortSignal) {
    validateShape(shape);
    if (tileIndices.length > MAX_TILES_PER_CALL)
      throw new RangeError(`at most ${MAX_TILES_PER_CALL} tiles per call, got ${tileIndices.length}`);
    const positions = tileIndices.map((index) => tilePosition(shape, MAX_ROUNDS, index));
    const seed64 = seed64Of(seed);
    const state = { since: performance.now() };
    // Tiles of one round share its B (a reveal's samples often fall in few rounds): computed round by round, one
    // B alive at a time (16 MiB at the GPU shape), each written back to its place in the order asked.
    const order = positions.map((_, i) => i).sort((x, y) => positions[x]!.round - positions[y]!.round);
    const out = new Array<Int32Array>(positions.length);
    let b: Int8Array | undefined;
    let bRound = -1;
    for (const i of order) {
      const { round, tile } = positions[i]!;
      await checkpoint(state, signal);
      if (round !== bRound) {
        b = generateB(seed64, shape, round);
        bRound = round;
      }
      out[i] = computeTile(seed, shape, round, tile, b);
    }
    return out;
  },
};
