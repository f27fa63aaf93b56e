/**
 * The PyTorch runner (throughput.py, on CPU here) agrees bit for bit with the TypeScript CPU runner: statistics
 * and tiles, over several seeds and shapes, K = 65,536 included. Needs PyTorch under /usr/bin/python3 (or
 * TORCH_PYTHON); without it the agreement tests skip, saying so, except on CI (`CI=true`), where they fail
 * (.ci/run installs python3-torch). The runner's bounds on a misbehaving command run without PyTorch.
 */
import { spawnSync } from "node:child_process";
import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import { LOCAL_SHAPE, tileStat, type WorkShape } from "../../lib/verification/work";
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

describe.runIf(torchVersion)("the PyTorch runner on CPU agrees with the CPU runner", () => {
  const reports: TorchReport[] = [];
  const torch = torchRunner({ command: [PYTHON], device: "cpu", onReport: (r) => reports.push(r) });
  const cases: { seed: Hex; shape: WorkShape; rounds: number; leaves: number[] }[] = [
    { seed: seedOf(1), shape: LOCAL_SHAPE, rounds: 3, leaves: [0, 7, 23, 5] },
    { seed: seedOf(2), shape: { rows: 8, cols: 4, inner: 32, tileRows: 2 }, rounds: 5, leaves: [19, 0, 19] },
    // The largest inner dimension: partial sums up to 2^22, still exact in FP32.
    { seed: seedOf(3), shape: { rows: 4, cols: 2, inner: 65_536, tileRows: 2 }, rounds: 2, leaves: [3, 1] },
    { seed: `0x${"ff".repeat(32)}`, shape: { rows: 32, cols: 64, inner: 1024, tileRows: 4 }, rounds: 2, leaves: [15] },
  ];

  it(
    "statistics and tiles, bit for bit",
    async () => {
      for (const { seed, shape, rounds, leaves } of cases) {
        const [fromTorch, fromCpu] = await Promise.all([
          torch.stats(seed, shape, rounds),
          cpuRunner.stats(seed, shape, rounds),
        ]);
        expect(fromTorch).toEqual(fromCpu);
        const [tilesTorch, tilesCpu] = await Promise.all([
          torch.tiles(seed, shape, leaves),
          cpuRunner.tiles(seed, shape, leaves),
        ]);
        expect(tilesTorch).toEqual(tilesCpu);
        expect(tilesTorch.map(tileStat)).toEqual(leaves.map((l) => fromCpu[l]));
      }
      expect(reports.at(-1)).toMatchObject({ kernel: "fp32-cpu", device: "cpu" });
      // Rounds split in blocks across 3 "devices" (threads on CPU), reassembled in leaf order.
      const split = torchRunner({ command: [PYTHON], device: "cpu", gpus: 3 });
      const { seed, shape } = cases[1]!;
      expect(await split.stats(seed, shape, 7)).toEqual(await cpuRunner.stats(seed, shape, 7));
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
        { rows: 1024, cols: 256, inner: 65_536, tileRows: 16 },
        65_536,
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
      // One tile of 16 × 65,536 entries needs 12 MiB of generation temporaries.
      await expect(wrongMemory.stats(seedOf(5), { rows: 16, cols: 2, inner: 65_536, tileRows: 16 }, 1)).rejects.toThrow(
        /exit code 3.*memory-mib too small/,
      );
    },
    SLOW,
  );
});

describe("the runner's bounds on what a command writes", () => {
  // A command that ignores its script and writes `count` bytes: a broken or hostile runner.
  const writing = (count: number) =>
    torchRunner({
      command: [process.execPath, "-e", `process.stdout.write(Buffer.alloc(${count}, 1))`],
      device: "cpu",
    });
  const seed = seedOf(6);

  it("refuses one byte past the expected answer, and an answer cut short", async () => {
    // LOCAL_SHAPE, 1 round: 8 statistics of 8 bytes.
    await expect(writing(65).stats(seed, LOCAL_SHAPE, 1)).rejects.toBeInstanceOf(TorchOutputSize);
    await expect(writing(1 << 24).stats(seed, LOCAL_SHAPE, 1)).rejects.toBeInstanceOf(TorchOutputSize);
    await expect(writing(63).stats(seed, LOCAL_SHAPE, 1)).rejects.toBeInstanceOf(TorchOutputSize);
    const exact = await writing(64).stats(seed, LOCAL_SHAPE, 1);
    expect(exact[0]).toBe(0x0101010101010101n);
  });

  it("reports a failing command with its exit code and stderr, and a missing one", async () => {
    const failing = torchRunner({
      command: [process.execPath, "-e", "console.error('boom'); process.exit(7)"],
      device: "cpu",
    });
    await expect(failing.tiles(seed, LOCAL_SHAPE, [1])).rejects.toThrow(TorchRunnerFailed);
    await expect(failing.tiles(seed, LOCAL_SHAPE, [1])).rejects.toThrow(/exit code 7\): boom/);
    const missingCommand = torchRunner({ command: ["/nonexistent/python3"], device: "cpu" });
    await expect(missingCommand.stats(seed, LOCAL_SHAPE, 1)).rejects.toThrow(/ENOENT/);
  });

  it("checks its arguments before starting anything", async () => {
    const never = torchRunner({ command: ["/nonexistent/python3"], device: "cpu" });
    await expect(never.stats(seed, { ...LOCAL_SHAPE, inner: 20 }, 1)).rejects.toThrow(/inner/);
    await expect(never.stats(seed, LOCAL_SHAPE, 0)).rejects.toThrow(RangeError);
    await expect(never.tiles(seed, LOCAL_SHAPE, Array(65).fill(0))).rejects.toThrow(RangeError);
    await expect(never.tiles(seed, LOCAL_SHAPE, [65_536 * 8])).rejects.toThrow(RangeError);
    await expect(never.stats("0x12", LOCAL_SHAPE, 1)).rejects.toThrow(/seed/);
  });
});
