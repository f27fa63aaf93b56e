/**
 * The host agent's side of a challenge at the GPU shape, without a GPU: how fast the prover takes a runner's
 * statistics (host/verifier/statsFile.ts: written to disk big-endian, each group's leaf hashed as its round
 * arrives), rebuilds the leaves from the file (a restarted agent), builds the tree and reads a reveal's groups back.
 * The statistics are synthetic (the runner's values do not change the cost); they arrive in chunks of CHUNK_ROUNDS
 * rounds, as the PyTorch runner flushes them.
 *
 *   npx tsx scripts/bench/prover-stats.ts [rounds]
 *
 * The figure to compare: 8 H100s at their datasheet 989 TFLOP/s finish 8·989e12 / 2^39 ≈ 14,400 rounds a second;
 * the agent keeps up when it takes more.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Hex } from "viem";
import { MerkleTree } from "../../lib/verification/merkle.ts";
import type { Runner } from "../../lib/verification/runner.ts";
import { flopsPerRound, GPU_SHAPE, leafCount, tilesPerRound } from "../../lib/verification/work.ts";
import { leavesFromFile, readGroupStats, streamStats } from "../../host/verifier/statsFile.ts";

const rounds = Number(process.argv[2] ?? 20_000);
const shape = GPU_SHAPE;
const CHUNK_ROUNDS = 64;
const seed = `0x${"a5".repeat(32)}` as Hex;
const tiles = tilesPerRound(shape);

/** Delivers `rounds` rounds of synthetic statistics in chunks of CHUNK_ROUNDS: one chunk, filled once and sent
 * again for every chunk, so that the runner costs nothing in the figures. */
const synthetic: Runner = {
  kind: "torch",
  async stats(_seed, _shape, total, onStats) {
    const chunk = BigUint64Array.from({ length: CHUNK_ROUNDS * tiles }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n);
    for (let r = 0; r < total; r += CHUNK_ROUNDS)
      await onStats(r, chunk.subarray(0, Math.min(CHUNK_ROUNDS, total - r) * tiles));
  },
  tiles: () => Promise.reject(new Error("not used")),
};

const dir = mkdtempSync(path.join(tmpdir(), "prover-bench-"));
const file = path.join(dir, "challenge.stats");
try {
  let started = performance.now();
  const { leaves } = await streamStats(synthetic, seed, shape, rounds, file);
  const stream = (performance.now() - started) / 1000;
  started = performance.now();
  await leavesFromFile(seed, shape, rounds, file);
  const rebuild = (performance.now() - started) / 1000;
  started = performance.now();
  const tree = new MerkleTree(leaves.length / 32, (l) => leaves.subarray(l * 32, l * 32 + 32));
  const build = (performance.now() - started) / 1000;
  started = performance.now();
  for (let s = 0; s < 8; s++) {
    const l = Math.floor((s * leaves.length) / 32 / 8);
    await readGroupStats(shape, rounds, file, l);
    tree.proof(l);
  }
  const reveal = (performance.now() - started) / 1000;
  const mb = (rounds * tiles * 8) / 1e6;
  const rate = (seconds: number) => Math.round(rounds / seconds).toLocaleString("en-US");
  console.log(
    `GPU shape, ${rounds.toLocaleString("en-US")} rounds (${mb.toFixed(0)} MB of statistics, ` +
      `${leafCount(shape, rounds).toLocaleString("en-US")} leaves, ${(Number(flopsPerRound(shape)) * rounds).toExponential(2)} FLOP):`,
  );
  console.log(`  stream to disk + leaves: ${stream.toFixed(2)} s = ${rate(stream)} rounds/s`);
  console.log(`  leaves from the file:    ${rebuild.toFixed(2)} s = ${rate(rebuild)} rounds/s`);
  console.log(`  tree over the leaves:    ${build.toFixed(2)} s`);
  console.log(`  8 groups read + proofs:  ${(reveal * 1000).toFixed(1)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
