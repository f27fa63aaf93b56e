/**
 * Verified supply's work on this machine: the CPU runner's and the PyTorch runner's (on CPU) throughput in
 * MFLOP/s at the local chain's shape, the PyTorch runner's at a GPU-width shape (N = 256, K = 65,536, fewer
 * rows), and the time to build the Merkle tree of 100,000 leaves (a 100-round challenge at the GPU shape has
 * 102,400) and to prove one.
 * Usage: npm run bench:verification [-- ROUNDS]   (ROUNDS at the local shape, default 2000; PyTorch from
 * /usr/bin/python3 or TORCH_PYTHON, skipped when it has none)
 */
import { spawnSync } from "node:child_process";
import type { Hex } from "viem";
import { torchRunner, type TorchReport } from "../../host/verifier/torchRunner.ts";
import { cpuRunner } from "../../lib/verification/cpuRunner.ts";
import { MerkleTree } from "../../lib/verification/merkle.ts";
import type { Runner } from "../../lib/verification/runner.ts";
import { flopsPerRound, leaf, LOCAL_SHAPE, type WorkShape } from "../../lib/verification/work.ts";

const rounds = Number(process.argv[2] ?? 2000);
const seed: Hex = `0x${"5e".repeat(32)}`;
const mflops = (shape: WorkShape, r: number, seconds: number) =>
  ((Number(flopsPerRound(shape)) * r) / seconds / 1e6).toFixed(0);

async function timed(runner: Runner, shape: WorkShape, r: number) {
  const started = performance.now();
  await runner.stats(seed, shape, r);
  return (performance.now() - started) / 1000;
}

const rows: string[][] = [["runner", "shape M,N,K,T", "rounds", "seconds", "MFLOP/s"]];
const shapeText = (s: WorkShape) => `${s.rows},${s.cols},${s.inner},${s.tileRows}`;

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
  const wide: WorkShape = { rows: 256, cols: 256, inner: 65_536, tileRows: 16 };
  for (const [shape, r] of [
    [LOCAL_SHAPE, rounds],
    [wide, 4],
  ] as const) {
    const wall = await timed(torch, shape, r);
    const inside = report!.seconds;
    rows.push([
      `torch ${report!.kernel}`,
      shapeText(shape),
      String(r),
      `${inside.toFixed(3)} (${wall.toFixed(1)} with start-up)`,
      mflops(shape, r, inside),
    ]);
  }
} else rows.push([`torch: ${python} has no PyTorch`, "", "", "", ""]);

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));

const LEAVES = 100_000;
const stats = Array.from({ length: LEAVES }, (_, i) => BigInt(i) * 7919n);
let started = performance.now();
const tree = new MerkleTree(LEAVES, (i) => leaf(seed, Math.floor(i / 1024), i % 1024, stats[i]!));
const buildMs = performance.now() - started;
started = performance.now();
for (let i = 0; i < 8; i++) tree.proof((i * 12_345) % LEAVES);
const proofMs = (performance.now() - started) / 8;
console.log(
  `Merkle tree of ${LEAVES.toLocaleString("en")} leaves (leaf hashes included): ${buildMs.toFixed(0)} ms; one proof ${proofMs.toFixed(2)} ms; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
