/**
 * The PyTorch runner (throughput.py, on CPU here) agrees bit for bit with the TypeScript CPU runner: statistics
 * and tiles, over several seeds and shapes, K = 65,536 included, with rounds batched into one GEMM and split
 * across "devices" (threads on CPU). Statistics arrive streamed, in order, in whole rounds. Needs PyTorch under
 * /usr/bin/python3 (or TORCH_PYTHON); without it the agreement tests skip, saying so, except on CI (`CI=true`),
 * where they fail (.ci/run installs python3-torch). The runner's bounds on a misbehaving command (plain Node
 * scripts standing in for a broken or hostile runner) run without PyTorch.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import type { Runner } from "../../lib/verification/runner";
import { LOCAL_SHAPE, tilesPerRound, tileStat, type WorkShape } from "../../lib/verification/work";
import { TorchOutputSize, torchRunner, TorchRunnerFailed, type TorchReport } from "./torchRunner";

const PYTHON = process.env.TORCH_PYTHON ?? "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import torch, numpy; print(torch.__version__)"], { encoding: "utf8" });
const torchVersion = probe.status === 0 ? probe.stdout.trim() : undefined;
const missing = `${PYTHON} has no PyTorch (and numpy): ${(probe.stderr || String(probe.error)).trim().split("\n").at(-1)}`;

if (!torchVersion) {
  if (process.env.CI === "true")
    describe("the PyTorch runner on CI", () => {
      it("has PyTorch to test against (.ci/run installs python3-torch)", () => {
        throw new Error(`CI=true, yet ${missing}`);
      });
    });
  else console.warn(`Skipping the PyTorch runner's agreement tests: ${missing}`);
}

const seedOf = (n: number): Hex => keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(n)]));
/** Python's start-up with torch takes seconds on a loaded 2-core machine. */
const SLOW = 240_000;

interface Streamed {
  stats: BigUint64Array;
  /** Each onStats call: its first round and its rounds. */
  chunks: { firstRound: number; rounds: number }[];
}

/** All of a runner's statistics, checking as they arrive that the chunks are whole rounds, in order, and that
 * onStats is never called again before the previous call's promise resolved. */
async function streamed(
  runner: Runner,
  seed: Hex,
  shape: WorkShape,
  rounds: number,
  onChunk?: (firstRound: number) => Promise<void>,
): Promise<Streamed> {
  const tiles = tilesPerRound(shape);
  const stats = new BigUint64Array(rounds * tiles);
  const chunks: Streamed["chunks"] = [];
  let next = 0;
  let inside = false;
  await runner.stats(seed, shape, rounds, async (firstRound, chunk) => {
    expect(inside).toBe(false);
    inside = true;
    expect(firstRound).toBe(next);
    expect(chunk.length % tiles).toBe(0);
    expect(chunk.length).toBeGreaterThan(0);
    stats.set(chunk, firstRound * tiles);
    chunks.push({ firstRound, rounds: chunk.length / tiles });
    next += chunk.length / tiles;
    await onChunk?.(firstRound);
    inside = false;
  });
  expect(next).toBe(rounds);
  return { stats, chunks };
}

describe.runIf(torchVersion)("the PyTorch runner on CPU agrees with the CPU runner", () => {
  const reports: TorchReport[] = [];
  const torch = torchRunner({ command: [PYTHON], device: "cpu", onReport: (r) => reports.push(r) });
  const cases: { seed: Hex; shape: WorkShape; rounds: number; tiles: number[] }[] = [
    { seed: seedOf(1), shape: LOCAL_SHAPE, rounds: 3, tiles: [0, 7, 23, 5] },
    {
      seed: seedOf(2),
      shape: { rows: 8, cols: 4, inner: 32, tileRows: 2, groupTiles: 2 },
      rounds: 5,
      tiles: [19, 0, 19],
    },
    // The largest inner dimension: partial sums up to 2^24, still exact in FP32.
    {
      seed: seedOf(3),
      shape: { rows: 4, cols: 2, inner: 65_536, tileRows: 2, groupTiles: 1 },
      rounds: 2,
      tiles: [3, 1],
    },
    {
      seed: `0x${"ff".repeat(32)}`,
      shape: { rows: 32, cols: 64, inner: 1024, tileRows: 4, groupTiles: 8 },
      rounds: 2,
      tiles: [15],
    },
  ];

  it(
    "statistics (one GEMM over all rounds of a call here) and tiles, bit for bit",
    async () => {
      for (const { seed, shape, rounds, tiles } of cases) {
        const [fromTorch, fromCpu] = await Promise.all([
          streamed(torch, seed, shape, rounds),
          streamed(cpuRunner, seed, shape, rounds),
        ]);
        expect(fromTorch.stats).toEqual(fromCpu.stats);
        // The default batch (64 rounds) spans every round of these calls: one GEMM A · [B_0 | … | B_R−1].
        expect(reports.at(-1)).toMatchObject({ kernel: "fp32-cpu", device: "cpu", batchRounds: rounds });
        const [tilesTorch, tilesCpu] = await Promise.all([
          torch.tiles(seed, shape, tiles),
          cpuRunner.tiles(seed, shape, tiles),
        ]);
        expect(tilesTorch).toEqual(tilesCpu);
        expect(tilesTorch.map(tileStat)).toEqual(tiles.map((t) => fromCpu.stats[t]));
      }
    },
    SLOW,
  );

  it(
    "batches of 2 rounds dealt to 3 devices (threads) arrive in tile order, in whole rounds, awaited one by one",
    async () => {
      const split = torchRunner({
        command: [PYTHON],
        device: "cpu",
        gpus: 3,
        batchRounds: 2,
        onReport: (r) => reports.push(r),
      });
      const { seed, shape } = cases[1]!;
      // 11 rounds: batches [0,1] [2,3] … [10] on devices 0 1 2 0 1 2; a slow consumer makes the script wait.
      const fromTorch = await streamed(split, seed, shape, 11, () => new Promise((r) => setTimeout(r, 20)));
      expect(reports.at(-1)).toMatchObject({ batchRounds: 2 });
      expect(fromTorch.stats).toEqual((await streamed(cpuRunner, seed, shape, 11)).stats);
      // Streamed, not held: 80 KB of statistics (16 KB a round) cannot reach the agent in one read of the pipe (at
      // most 64 KiB), so they arrive as several chunks whatever the timing. (How small outputs split depends on
      // the scheduler: on a loaded CI machine 11 small rounds came as one chunk.)
      const wide: WorkShape = { rows: 2048, cols: 16, inner: 16, tileRows: 1, groupTiles: 256 };
      const many = await streamed(split, seed, wide, 5);
      expect(many.stats).toEqual((await streamed(cpuRunner, seed, wide, 5)).stats);
      expect(many.chunks.length).toBeGreaterThan(1);
      // A batch spanning several rounds at the local shape, against the CPU runner too.
      const local = torchRunner({ command: [PYTHON], device: "cpu", gpus: 2, batchRounds: 3 });
      expect((await streamed(local, seedOf(7), LOCAL_SHAPE, 8)).stats).toEqual(
        (await streamed(cpuRunner, seedOf(7), LOCAL_SHAPE, 8)).stats,
      );
    },
    SLOW,
  );

  it(
    "stops at the abort signal (the process is killed)",
    async () => {
      const controller = new AbortController();
      const started = performance.now();
      const run = torch.stats(
        seedOf(4),
        { rows: 1024, cols: 256, inner: 65_536, tileRows: 16, groupTiles: 64 },
        1 << 23,
        () => undefined,
        controller.signal,
      );
      setTimeout(() => controller.abort(new Error("no longer wanted")), 500);
      await expect(run).rejects.toThrow("no longer wanted");
      expect(performance.now() - started).toBeLessThan(30_000);
    },
    SLOW,
  );

  it(
    "the script refuses what it cannot do exactly (exit 3, its reason)",
    async () => {
      const wrongMemory = torchRunner({ command: [PYTHON], device: "cpu", memoryMib: 1 });
      // A of 16 × 65,536 entries in FP32 is 4 MiB, past the 1 MiB allowed.
      const shape = { rows: 16, cols: 2, inner: 65_536, tileRows: 16, groupTiles: 1 };
      await expect(wrongMemory.stats(seedOf(5), shape, 1, () => undefined)).rejects.toThrow(
        /exit code 3.*memory-mib too small/,
      );
      // G must divide the tiles of a round (64 / 8 = 8 here), as validateShape and the contract require.
      const script = path.join(import.meta.dirname, "throughput.py");
      const badGroup = spawnSync(
        PYTHON,
        [script, "stats", "--seed", seedOf(5), "--shape", "64,16,256,8,16", "--rounds", "1"],
        {
          encoding: "utf8",
        },
      );
      expect(badGroup.status).toBe(3);
      expect(badGroup.stderr).toMatch(/G must be a power of two/);
    },
    SLOW,
  );

  it("takes INT8 (`torch._int_mm`, CUDA only) only for products cuBLASLt's int8 GEMM accepts", () => {
    // More than 16 rows and a multiple of 8 columns: N = 4 (which the contract allows) or a tile of 8 rows falls
    // back to BF16, where INT8 would stop the script and miss the commit.
    const check = spawnSync(
      PYTHON,
      [
        "-c",
        "import sys; sys.path.insert(0, sys.argv[1]); from throughput import int8_fits as f; " +
          "print([f(16384, 256), f(17, 8), f(16, 256), f(64, 4), f(8, 256)])",
        import.meta.dirname,
      ],
      { encoding: "utf8" },
    );
    expect(check.stdout.trim()).toBe("[True, True, False, False, False]");
  });
});

describe("the runner's bounds on what a command writes", () => {
  /** A command that ignores its script and runs `code` (argv[1] is `arg`): a broken or hostile runner. */
  const node = (code: string, arg = "") => torchRunner({ command: [process.execPath, "-e", code, arg], device: "cpu" });
  const writing = (count: number) => node(`process.stdout.write(Buffer.alloc(${count}, 1))`);
  const seed = seedOf(6);
  // LOCAL_SHAPE: 8 tiles a round, 64 bytes of statistics.
  const roundBytes = tilesPerRound(LOCAL_SHAPE) * 8;
  const dir = mkdtempSync(path.join(tmpdir(), "torch-runner-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses one byte past the expected answer, and an answer cut short", async () => {
    const none = () => undefined;
    await expect(writing(roundBytes + 1).stats(seed, LOCAL_SHAPE, 1, none)).rejects.toBeInstanceOf(TorchOutputSize);
    await expect(writing(1 << 24).stats(seed, LOCAL_SHAPE, 1, none)).rejects.toBeInstanceOf(TorchOutputSize);
    await expect(writing(roundBytes - 1).stats(seed, LOCAL_SHAPE, 1, none)).rejects.toBeInstanceOf(TorchOutputSize);
    await expect(writing(roundBytes * 3 - 1).stats(seed, LOCAL_SHAPE, 3, none)).rejects.toBeInstanceOf(TorchOutputSize);
    const got: bigint[] = [];
    await writing(roundBytes * 2).stats(seed, LOCAL_SHAPE, 2, (_, stats) => void got.push(...stats));
    expect(got).toEqual(Array(16).fill(0x0101010101010101n));
  });

  it("delivers rounds as they come: whole rounds across writes split mid-statistic, then refuses the excess", async () => {
    // Two rounds and 3 bytes in one write, then (after a pause) the rest of the third round and one byte more.
    const code = `const [a, b] = [${roundBytes * 2 + 3}, ${roundBytes - 3}];
      process.stdout.write(Buffer.alloc(a, 2), () => setTimeout(() => process.stdout.write(Buffer.alloc(b + 1, 3)), 300));`;
    const seen: number[] = [];
    const run = node(code).stats(seed, LOCAL_SHAPE, 3, (firstRound, stats) => {
      for (let r = 0; r < stats.length / 8; r++) seen.push(firstRound + r);
    });
    await expect(run).rejects.toBeInstanceOf(TorchOutputSize);
    // The first two rounds were handed on before the excess arrived; the third round never was (it came with the
    // byte too many, and nothing past the answer is taken).
    expect(seen).toEqual([0, 1]);
    // The same, exact: the third round completes across the two writes.
    const exact = node(code.replace("b + 1", "b"));
    const rounds: number[] = [];
    await exact.stats(seed, LOCAL_SHAPE, 3, (firstRound, stats) => {
      for (let r = 0; r < stats.length / 8; r++) rounds.push(firstRound + r);
      if (firstRound === 2) expect(stats[0]).toBe(0x0303030303020202n);
    });
    expect(rounds).toEqual([0, 1, 2]);
  });

  it("an onStats that throws stops the command and rejects with its error", async () => {
    const pidFile = path.join(dir, "throws.pid");
    const code = `require("fs").writeFileSync(process.argv[1], String(process.pid));
      setInterval(() => process.stdout.write(Buffer.alloc(${roundBytes}, 1)), 10);`;
    const run = node(code, pidFile).stats(seed, LOCAL_SHAPE, 1000, (firstRound) => {
      if (firstRound >= 2) throw new Error("the disk is full");
    });
    await expect(run).rejects.toThrow("the disk is full");
    expect(() => process.kill(Number(readFileSync(pidFile, "utf8")), 0)).toThrow(/ESRCH/);
  });

  it("an abort kills the command, even while onStats is pending", async () => {
    const pidFile = path.join(dir, "abort.pid");
    const code = `require("fs").writeFileSync(process.argv[1], String(process.pid));
      setInterval(() => process.stdout.write(Buffer.alloc(${roundBytes}, 1)), 10);`;
    const controller = new AbortController();
    const calls: number[] = [];
    const run = node(code, pidFile).stats(
      seed,
      LOCAL_SHAPE,
      1000,
      async (firstRound) => {
        calls.push(firstRound);
        if (calls.length === 1) {
          controller.abort(new Error("no longer wanted"));
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow("no longer wanted");
    expect(calls).toHaveLength(1);
    expect(() => process.kill(Number(readFileSync(pidFile, "utf8")), 0)).toThrow(/ESRCH/);
  });

  it("reports a failing command with its exit code and stderr, and a missing one", async () => {
    const failing = node("console.error('boom'); process.exit(7)");
    await expect(failing.tiles(seed, LOCAL_SHAPE, [1])).rejects.toThrow(TorchRunnerFailed);
    await expect(failing.tiles(seed, LOCAL_SHAPE, [1])).rejects.toThrow(/exit code 7\): boom/);
    // A process that fails after some rounds: those were delivered, then the failure.
    const partly = node(`process.stdout.write(Buffer.alloc(${roundBytes}, 1), () => process.exit(9))`);
    const firsts: number[] = [];
    await expect(partly.stats(seed, LOCAL_SHAPE, 2, (first) => void firsts.push(first))).rejects.toThrow(/exit code 9/);
    expect(firsts).toEqual([0]);
    const missingCommand = torchRunner({ command: ["/nonexistent/python3"], device: "cpu" });
    await expect(missingCommand.stats(seed, LOCAL_SHAPE, 1, () => undefined)).rejects.toThrow(/ENOENT/);
  });

  it("checks its arguments before starting anything", async () => {
    const never = torchRunner({ command: ["/nonexistent/python3"], device: "cpu" });
    const none = () => undefined;
    await expect(never.stats(seed, { ...LOCAL_SHAPE, inner: 20 }, 1, none)).rejects.toThrow(/inner/);
    await expect(never.stats(seed, { ...LOCAL_SHAPE, groupTiles: 16 }, 1, none)).rejects.toThrow(/groupTiles/);
    await expect(never.stats(seed, LOCAL_SHAPE, 0, none)).rejects.toThrow(RangeError);
    await expect(never.stats(seed, LOCAL_SHAPE, (1 << 23) + 1, none)).rejects.toThrow(RangeError);
    await expect(never.tiles(seed, LOCAL_SHAPE, Array(65).fill(0))).rejects.toThrow(RangeError);
    await expect(never.tiles(seed, LOCAL_SHAPE, [(1 << 23) * 8])).rejects.toThrow(RangeError);
    await expect(never.stats("0x12", LOCAL_SHAPE, 1, none)).rejects.toThrow(/seed/);
    expect(() => torchRunner({ command: [PYTHON], device: "cpu", batchRounds: 65 })).toThrow(RangeError);
  });
});
