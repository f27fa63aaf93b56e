/**
 * The prover's statistics file: streamed from a runner's chunks to disk in the order and encoding a reveal reads
 * (big-endian, tile order, a group's 8·G bytes at λ·8·G), the leaves hashed as rounds arrive equal to the work's
 * leaves and to those rebuilt from the file by streamed reads, and every way a file or a runner can be wrong
 * refused with its reason: a runner's chunk that is not the next whole rounds, too few rounds, a file missing or
 * cut short. (A file changed in place keeps its size: the prover finds it by the root, or by a group's leaf.)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Hex } from "viem";
import { describe, expect, it } from "vitest";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import type { Runner } from "../../lib/verification/runner";
import {
  computeTile,
  encodeStats,
  GPU_SHAPE,
  leaf,
  LOCAL_SHAPE,
  tileStat,
  tilesPerRound,
  type WorkShape,
} from "../../lib/verification/work";
import { leavesFromFile, readGroupStats, StatsFileError, statsBytes, streamStats } from "./statsFile";

const seed = `0x${"3c".repeat(31)}11` as Hex;
const dir = () => mkdtempSync(path.join(tmpdir(), "stats-file-"));

/** A runner that delivers `stats` (every tile's, in tile order) in chunks of the given numbers of rounds (a
 * fraction: part of a round): the runner contract's other side, with the chunking (or the misbehaviour) a test
 * needs. */
function replaying(stats: BigUint64Array, chunks: readonly number[]): Runner {
  return {
    kind: "torch",
    async stats(_seed, shape, _rounds, onStats) {
      const tiles = tilesPerRound(shape);
      let at = 0;
      for (const count of chunks) {
        await onStats(Math.floor(at / tiles), stats.slice(at, at + count * tiles));
        at += count * tiles;
      }
    },
    tiles: () => Promise.reject(new Error("not asked")),
  };
}

/** The work's leaves of `stats`, one group at a time (leaf(), the reference). */
function referenceLeaves(shape: WorkShape, stats: BigUint64Array): Uint8Array[] {
  const G = shape.groupTiles;
  const groups = tilesPerRound(shape) / G;
  return Array.from({ length: stats.length / G }, (_, l) =>
    Uint8Array.from(leaf(seed, Math.floor(l / groups), l % groups, stats.subarray(l * G, l * G + G))),
  );
}

const leafAt = (leaves: Uint8Array, l: number) => leaves.subarray(l * 32, l * 32 + 32);

describe("streamStats", () => {
  it("writes the CPU runner's statistics big-endian in tile order and hashes the work's leaves as rounds arrive", async () => {
    const shape = LOCAL_SHAPE;
    const rounds = 5;
    const file = path.join(dir(), "challenge-1.stats");
    const keep = [0, 13, 39];
    const { leaves, kept } = await streamStats(cpuRunner, seed, shape, rounds, file, keep);
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(statsBytes(shape, rounds));
    expect(bytes.length).toBe(rounds * 8 * 8);
    // The runner's own statistics, gathered apart, encoded as the contract reads them.
    const parts: BigUint64Array[] = [];
    await cpuRunner.stats(seed, shape, rounds, (_, s) => void parts.push(s.slice()));
    const stats = new BigUint64Array(parts.flatMap((p) => [...p]));
    expect(new Uint8Array(bytes)).toEqual(encodeStats(stats));
    // One leaf per group of G = 4 tiles: 2 a round.
    expect(leaves.length).toBe(rounds * 2 * 32);
    referenceLeaves(shape, stats).forEach((l, i) => expect(leafAt(leaves, i)).toEqual(l));
    expect(kept).toEqual(keep.map((t) => tileStat(computeTile(seed, shape, t >> 3, t & 7))));
    // Nothing but the whole file is left.
    expect(readdirSync(path.dirname(file))).toEqual(["challenge-1.stats"]);
    // A group's statistics come back as reveal carries them.
    expect(await readGroupStats(shape, rounds, file, 7)).toEqual(encodeStats(stats.subarray(28, 32)));
  });

  it("takes chunks of several rounds, and refuses a chunk that is not the next whole rounds, or too few rounds", async () => {
    const shape = LOCAL_SHAPE;
    const stats = BigUint64Array.from({ length: 6 * 8 }, (_, i) => BigInt(i) * 0x1_0000_0001n);
    const folder = dir();
    const file = path.join(folder, "challenge-2.stats");
    const { leaves } = await streamStats(replaying(stats, [1, 3, 2]), seed, shape, 6, file);
    referenceLeaves(shape, stats).forEach((l, i) => expect(leafAt(leaves, i)).toEqual(l));
    expect(new Uint8Array(readFileSync(file))).toEqual(encodeStats(stats));

    const refused = path.join(folder, "challenge-3.stats");
    // Half a round (4 of 8 tiles), too many rounds, too few rounds: each refused, and no file is left.
    await expect(streamStats(replaying(stats, [1, 0.5]), seed, shape, 6, refused)).rejects.toThrow(
      /gave 4 statistics from round 1; expected whole rounds \(8 statistics each\) from round 1/,
    );
    await expect(streamStats(replaying(stats, [4, 2]), seed, shape, 5, refused)).rejects.toThrow(/up to round 5/);
    await expect(streamStats(replaying(stats, [2, 3]), seed, shape, 6, refused)).rejects.toThrow(
      "the torch runner gave 5 of 6 rounds",
    );
    expect(readdirSync(folder)).toEqual(["challenge-2.stats"]);
  });
});

describe("leavesFromFile", () => {
  it("rebuilds the streamed leaves from the file by reads of whole rounds (several reads at the GPU shape)", async () => {
    // 600 rounds of the GPU shape's statistics (2,048 a round: 9.8 MB), past one 4 MiB read; arbitrary values
    // exercise every byte.
    const shape = GPU_SHAPE;
    const rounds = 600;
    const stats = BigUint64Array.from(
      { length: rounds * tilesPerRound(shape) },
      (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15n) & 0xffff_ffff_ffff_ffffn,
    );
    const file = path.join(dir(), "challenge-4.stats");
    const { leaves } = await streamStats(replaying(stats, [7, 300, 293]), seed, shape, rounds, file);
    expect(await leavesFromFile(seed, shape, rounds, file)).toEqual(leaves);
    // 4 leaves a round; the last is the work's.
    expect(leaves.length).toBe(rounds * 4 * 32);
    expect(leafAt(leaves, rounds * 4 - 1)).toEqual(
      Uint8Array.from(leaf(seed, rounds - 1, 3, stats.subarray(-shape.groupTiles))),
    );
  });

  it("refuses a file that is missing or cut short, and a changed file gives other leaves", async () => {
    const shape = LOCAL_SHAPE;
    const file = path.join(dir(), "challenge-5.stats");
    await expect(leavesFromFile(seed, shape, 3, file)).rejects.toThrow(new StatsFileError(file, "is missing"));
    const { leaves } = await streamStats(cpuRunner, seed, shape, 3, file);
    truncateSync(file, 3 * 64 - 8);
    const cut = await leavesFromFile(seed, shape, 3, file).catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(StatsFileError);
    expect((cut as Error).message).toBe(
      `the statistics file ${file} holds 184 bytes, not the 192 of 3 rounds: it is not whole`,
    );
    await expect(readGroupStats(shape, 3, file, 5)).rejects.toThrow(/ends inside group 5 \(24 of its 32 bytes\)/);

    // One bit of tile 9's statistic flipped (round 1, group 0): that leaf alone differs.
    await streamStats(cpuRunner, seed, shape, 3, file);
    const bytes = readFileSync(file);
    bytes[9 * 8 + 7]! ^= 1;
    writeFileSync(file, bytes);
    const changed = await leavesFromFile(seed, shape, 3, file);
    for (let l = 0; l < 6; l++) expect(leafAt(changed, l).every((b, i) => b === leafAt(leaves, l)[i])).toBe(l !== 2);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});
