/**
 * Verified supply's work on this machine (v2: A fixed per challenge, one leaf per group of G tiles):
 * - the CPU runner's and the PyTorch runner's (on CPU) throughput in MFLOP/s at the local chain's shape, and the
 *   PyTorch runner's at a GPU-width shape (N = 256, K = 65,536, fewer rows), statistics streamed and dropped;
 * - leaf hashing at the GPU shape's G = 256 (2,088 bytes in a leaf), in leaves/s and the tiles/s it covers (8
 *   H100s make ~10^7 tiles/s, ~4·10^4 leaves/s);
 * - the Merkle tree of LEAVES leaves (a 30-s challenge of 8 H100s at the GPU shape has ~10^6) and one proof.
 * Usage: npm run bench:verification [-- ROUNDS [LEAVES]]   (ROUNDS at the local shape, default 2000; LEAVES
 * default 1,000,000; PyTorch from /usr/bin/python3 or TORCH_PYTHON, skipped when it has none)
 */
import { spawnSync } from "node:child_process";
import type { Hex } from "viem";
import { torchRunner, type TorchReport } from "../../host/verifier/torchRunner.ts";
import { cpuRunner } from "../../lib/verification/cpuRunner.ts";
import { MerkleTree } from "../../lib/verification/merkle.ts";
import type { Runner } from "../../lib/verification/runner.ts";
import { flopsPerRound, GPU_SHAPE, leaf, LOCAL_SHAPE, type WorkShape } from "../../lib/verification/work.ts";

const rounds = Number(process.argv[2] ?? 2000);
const LEAVES = Number(process.argv[3] ?? 1_000_000);
const seed: Hex = `0x${"5e".repeat(32)}`;
const mflops = (shape: WorkShape, r: number, seconds: number) =>
  ((Number(flopsPerRound(shape)) * r) / seconds / 1e6).toFixed(0);

async function timed(runner: Runner, shape: WorkShape, r: number) {
  const started = performance.now();
  let received = 0;
  await runner.stats(seed, shape, r, (_first, stats) => {
    received += stats.length;
  });
  if (received !== (r * shape.rows) / shape.tileRows) throw new Error(`${runner.kind}: ${received} statistics`);
  return (performance.now() - started) / 1000;
}

const rows: string[][] = [["runner", "shape M,N,K,T,G", "rounds", "seconds", "MFLOP/s"]];
const shapeText = (s: WorkShape) => `${s.rows},${s.cols},${s.inner},${s.tileRows},${s.groupTiles}`;

await timed(cpuRunner, LOCAL_SHAPE, 50); // warm the JIT
const cpuSeconds = await timed(cpuRunner, LOCAL_SHAPE, rounds);
rows.push([
  "cpu (TypeScript)",
  shapeText(LOCAL_SHAPE),
  String(rounds),
  cpuSeconds.toFixed(3),
  mflops(LOCAL_SHAPE, rounds, cpuSeconds),
]);

const python = process.env.TORCH_PYTHON ?? "/usr/bin/python3";
if (spawnSync(python, ["-c", "import torch, numpy"]).status === 0) {
  let report: TorchReport | undefined;
  const torch = torchRunner({ command: [python], device: "cpu", onReport: (r) => (report = r) });
  const wide: WorkShape = { rows: 256, cols: 256, inner: 65_536, tileRows: 16, groupTiles: 4 };
  for (const [shape, r] of [
    [LOCAL_SHAPE, rounds],
    [wide, 4],
  ] as const) {
    const wall = await timed(torch, shape, r);
    const inside = report!.seconds;
    const batch = report!.batchRounds === undefined ? "" : `, ${report!.batchRounds} rounds a GEMM`;
    rows.push([
      `torch ${report!.kernel}${batch}`,
      shapeText(shape),
      String(r),
      `${inside.toFixed(3)} (${wall.toFixed(1)} with start-up)`,
      mflops(shape, r, inside),
    ]);
  }
} else rows.push([`torch: ${python} has no PyTorch`, "", "", "", ""]);

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));

// Leaf hashing at the GPU shape: G statistics a leaf.
const G = GPU_SHAPE.groupTiles;
const groupStats = BigUint64Array.from({ length: G }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n);
const HASHED = 100_000;
for (let i = 0; i < 1000; i++) leaf(seed, 0, i, groupStats); // warm
let started = performance.now();
for (let i = 0; i < HASHED; i++) leaf(seed, i >> 2, i & 3, groupStats);
const leafSeconds = (performance.now() - started) / 1000;
console.log(
  `Leaves at G = ${G} (${40 + 8 * G} bytes each): ${(HASHED / leafSeconds).toFixed(0)} leaves/s = ${((HASHED * G) / leafSeconds / 1e6).toFixed(1)}·10^6 tiles/s`,
);

// The tree over leaves already made (the prover keeps each group's 32-byte leaf as its round arrives).
const flat = new Uint8Array(LEAVES * 32);
for (let i = 0; i < LEAVES; i++) new DataView(flat.buffer).setUint32(i * 32, i);
started = performance.now();
const tree = new MerkleTree(LEAVES, (i) => flat.subarray(i * 32, i * 32 + 32));
const buildMs = performance.now() - started;
started = performance.now();
for (let i = 0; i < 8; i++) tree.proof((i * 12_345) % LEAVES);
const proofMs = (performance.now() - started) / 8;
console.log(
  `Merkle tree of ${LEAVES.toLocaleString("en")} leaves: ${buildMs.toFixed(0)} ms (${(LEAVES / (buildMs / 1000) / 1e6).toFixed(2)}·10^6 leaves/s); one proof ${proofMs.toFixed(2)} ms; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
