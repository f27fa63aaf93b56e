/**
 * A challenge's statistics on disk, the one record a reveal needs that the chain does not hold (docs/verification.md).
 * At the GPU shape they are gigabytes (8 bytes a tile, about 10^7 tiles a second on 8 H100s), so they are never held
 * in memory: the runner's chunks are written to the file as they arrive and each group's leaf is hashed as its round
 * arrives; only the leaves stay in memory, for the tree (32 bytes a group of G statistics of 8 bytes: 4/G of the
 * statistics' size, 1/64 at the GPU shape).
 *
 * The file holds every tile's statistic in tile order (τ = r·M/T + t) as big-endian uint64: group λ's 8·G bytes at
 * λ·8·G are exactly what its leaf hashes after the seed, round and group, and what `reveal` carries as its
 * groupStats, so a reveal reads them with one positioned read and no conversion.
 */
import { open, rename, rm, stat } from "node:fs/promises";
import type { Hex } from "viem";
import type { Runner } from "../../lib/verification/runner";
import {
  groupsPerRound,
  leafCount,
  leafOfEncoded,
  tileCount,
  tilesPerRound,
  type WorkShape,
} from "../../lib/verification/work";

/** A statistics file that cannot back a reveal: missing, of the wrong size, or not what was committed. */
export class StatsFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`the statistics file ${file} ${reason}`);
  }
}

/** The statistics file of a challenge of `rounds` rounds holds 8 bytes per tile. */
export const statsBytes = (shape: WorkShape, rounds: number) => tileCount(shape, rounds) * 8;

/** Bytes read at once when leaves are rebuilt from a file: about 4 MiB, whole rounds (at least one). */
const READ_BYTES = 1 << 22;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Hashes the leaves of the whole rounds in `bytes` (big-endian statistics of rounds [firstRound, …)) into `leaves`
 * (32 bytes per leaf, leaf λ = r·M/(T·G) + g at λ·32).
 */
function hashRounds(seed: Hex, shape: WorkShape, firstRound: number, bytes: Uint8Array, leaves: Uint8Array) {
  const groups = groupsPerRound(shape);
  const groupBytes = shape.groupTiles * 8;
  const rounds = bytes.length / (tilesPerRound(shape) * 8);
  for (let r = 0; r < rounds; r++)
    for (let g = 0; g < groups; g++) {
      const at = (r * groups + g) * groupBytes;
      const leafIndex = (firstRound + r) * groups + g;
      leaves.set(leafOfEncoded(seed, firstRound + r, g, bytes.subarray(at, at + groupBytes)), leafIndex * 32);
    }
}

/** What streaming a runner's statistics gives: the leaves, and the statistics of the tiles asked to be kept. */
export interface Streamed {
  /** Leaf λ's 32 bytes at λ·32. */
  leaves: Uint8Array;
  /** The statistic of each tile of `keep`, in its order. */
  kept: bigint[];
}

/**
 * Runs `runner` for the challenge's statistics, writing them to `file` as they arrive (to `file`.partial, flushed to
 * disk and renamed when whole: a file under its own name is complete) and hashing each group's leaf as its round
 * arrives. `keep` lists tiles whose statistics are returned (the cross-check's). A chunk that is not the next whole
 * rounds, or past the challenge's, stops the runner.
 */
export async function streamStats(
  runner: Runner,
  seed: Hex,
  shape: WorkShape,
  rounds: number,
  file: string,
  keep: readonly number[] = [],
  signal?: AbortSignal,
): Promise<Streamed> {
  const tiles = tilesPerRound(shape);
  const leaves = new Uint8Array(leafCount(shape, rounds) * 32);
  const kept = keep.map(() => 0n);
  const partial = `${file}.partial`;
  const handle = await open(partial, "w", 0o600);
  let next = 0;
  try {
    await runner.stats(
      seed,
      shape,
      rounds,
      async (firstRound, stats) => {
        const count = stats.length / tiles;
        if (firstRound !== next || !Number.isInteger(count) || count < 1 || next + count > rounds)
          throw new Error(
            `the ${runner.kind} runner gave ${stats.length} statistics from round ${firstRound}; expected whole ` +
              `rounds (${tiles} statistics each) from round ${next}, up to round ${rounds}`,
          );
        const first = firstRound * tiles;
        keep.forEach((tau, i) => {
          if (tau >= first && tau < first + stats.length) kept[i] = stats[tau - first]!;
        });
        // Big-endian, as the leaves hash them and the contract reads them (swap64 is a native byte swap).
        const bytes = Buffer.from(new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength));
        bytes.swap64();
        await handle.write(bytes, 0, bytes.length, first * 8);
        hashRounds(seed, shape, firstRound, bytes, leaves);
        next += count;
        // The agent serves jobs and /health from this thread: a chunk's hashing is the most it holds it.
        await yieldToLoop();
      },
      signal,
    );
    if (next !== rounds) throw new Error(`the ${runner.kind} runner gave ${next} of ${rounds} rounds`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);
  return { leaves, kept };
}

/**
 * The leaves of a complete statistics file, by streamed reads of whole rounds; StatsFileError when it is missing
 * or not 8 bytes per tile of the challenge (a write cut short, a file from elsewhere).
 */
export async function leavesFromFile(
  seed: Hex,
  shape: WorkShape,
  rounds: number,
  file: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const expected = statsBytes(shape, rounds);
  const size = await stat(file).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) throw new StatsFileError(file, "is missing");
  if (size !== expected)
    throw new StatsFileError(file, `holds ${size} bytes, not the ${expected} of ${rounds} rounds: it is not whole`);
  const roundBytes = tilesPerRound(shape) * 8;
  const perRead = Math.max(1, Math.floor(READ_BYTES / roundBytes));
  const buffer = Buffer.alloc(perRead * roundBytes);
  const leaves = new Uint8Array(leafCount(shape, rounds) * 32);
  const handle = await open(file, "r");
  try {
    for (let r = 0; r < rounds; r += perRead) {
      signal?.throwIfAborted();
      const length = Math.min(perRead, rounds - r) * roundBytes;
      const { bytesRead } = await handle.read(buffer, 0, length, r * roundBytes);
      if (bytesRead !== length) throw new StatsFileError(file, `ended at byte ${r * roundBytes + bytesRead}`);
      hashRounds(seed, shape, r, buffer.subarray(0, length), leaves);
      await yieldToLoop();
    }
  } finally {
    await handle.close();
  }
  return leaves;
}

/** Group `leafIndex`'s statistics from the file: 8·G bytes, big-endian, as `reveal` carries them. */
export async function readGroupStats(
  shape: WorkShape,
  rounds: number,
  file: string,
  leafIndex: number,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= leafCount(shape, rounds))
    throw new RangeError(`leaf index must be in [0, ${leafCount(shape, rounds)}), got ${leafIndex}`);
  const length = shape.groupTiles * 8;
  const out = Buffer.alloc(length);
  const handle = await open(file, "r").catch(() => {
    throw new StatsFileError(file, "is missing");
  });
  try {
    const { bytesRead } = await handle.read(out, 0, length, leafIndex * length);
    if (bytesRead !== length)
      throw new StatsFileError(file, `ends inside group ${leafIndex} (${bytesRead} of its ${length} bytes)`);
  } finally {
    await handle.close();
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
