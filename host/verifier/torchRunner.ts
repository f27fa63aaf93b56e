/**
 * The PyTorch runner (throughput.py) behind the Runner interface: the work on GPUs on real chains, on CPU in
 * tests. The script travels on the command's stdin (`python3 -`), so a container needs no mount: `command` may
 * be a plain interpreter (["/usr/bin/python3"]) or a wrapper that ends in one (["docker", "run", "--rm", "-i",
 * "--gpus", "all", image, "python3"]). Statistics stream: the script writes them batch by batch, and they are
 * handed on in whole rounds as they arrive (onStats, awaited: the stream is not read meanwhile, so a slow consumer
 * pauses the pipe and then the script). At most the answer asked for is taken (rounds·M/T·8 bytes, or
 * tiles · T·N·4): one byte more is refused and the process killed, so a broken or hostile runner cannot make the
 * agent hold or record more than it asked for. An abort kills the command (SIGKILL); a wrapper that starts a
 * container must remove it itself (docker run's client does not forward SIGKILL).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { endianness } from "node:os";
import type { Hex } from "viem";
import type { Runner } from "../../lib/verification/runner";
import { decodeTile, MAX_ROUNDS, tilesPerRound, validateShape, type WorkShape } from "../../lib/verification/work";

/** What the script prints last on stderr. */
export interface TorchReport {
  /** "int8-int32" (`torch._int_mm`), "bf16-fp32-out" (BF16 inputs, FP32 output), "tf32" (this PyTorch lacks mm's
   * out_dtype), "fp32-cpu". */
  kernel: string;
  device: "cpu" | "cuda";
  gpus: number;
  torch: string;
  /** Time inside the script from its first generation to the last statistic (not Python's start-up). */
  seconds: number;
  bytes: number;
  /** stats: rounds per GEMM (A · [B_r | … | B_r+b−1]), as memory and the batch cap allowed. */
  batchRounds?: number;
  /** stats: seconds one device took to generate A (once per call), part of `seconds`. */
  aSeconds?: number;
}

export interface TorchRunnerOptions {
  /** The interpreter, or a wrapper ending in one; the runner appends "-" (the script on stdin) and its args. */
  command: readonly string[];
  device: "cpu" | "cuda";
  /** CUDA devices 0…gpus−1 share the rounds (default 1); on CPU, as many threads (which tests the split). */
  gpus?: number;
  /** Memory per device for A (M·K·2 bytes in BF16, 4 in FP32), one batch of rounds and generation chunks
   * (the script's default: 12,288, which holds the GPU shape's 2 GiB A and a 64-round batch). */
  memoryMib?: number;
  /** Rounds per GEMM at most (1…64, the script's default 64): fewer rounds deliver statistics sooner. */
  batchRounds?: number;
  /** Called with each run's report. */
  onReport?: (report: TorchReport) => void;
}

/** Tiles one call may ask for (throughput.py's MAX_TILES_PER_CALL; a reveal asks for 8). */
export const MAX_TILES_PER_CALL = 64;
/** throughput.py's MAX_GPUS. */
const MAX_GPUS = 64;
/** What is kept of the script's stderr: its report and, on failure, the end of its traceback. */
const STDERR_CAP_BYTES = 64 * 1024;

export class TorchRunnerFailed extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly signalName: NodeJS.Signals | null,
    readonly stderrTail: string,
  ) {
    super(
      `The PyTorch runner failed (${signalName ? `signal ${signalName}` : `exit code ${exitCode}`}): ${stderrTail.trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
}

export class TorchOutputSize extends Error {
  constructor(
    readonly expected: number,
    readonly got: number,
  ) {
    super(`The PyTorch runner wrote ${got} bytes${got > expected ? " or more" : ""}; ${expected} were expected.`);
  }
}

let script: string | undefined;
const scriptText = () => (script ??= readFileSync(new URL("./throughput.py", import.meta.url), "utf8"));

/**
 * Runs the script with `args` and hands its stdout to `consume` chunk by chunk, in order. A promise from
 * `consume` pauses the pipe until it settles (backpressure reaches the script, whose writes then block). Resolves
 * once the process exited 0 having written exactly `expected` bytes and the last `consume` has resolved; rejects,
 * with the process killed, on one byte past `expected` (TorchOutputSize), a `consume` that throws, or the abort.
 */
function runScript(
  options: TorchRunnerOptions,
  args: string[],
  expected: number,
  consume: (chunk: Buffer) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const [file, ...prefix] = options.command;
  if (!file) throw new RangeError("the runner's command is empty");
  return new Promise<void>((resolve, reject) => {
    const child = spawn(file, [...prefix, "-", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let got = 0;
    let failure: Error | undefined;
    let stderr = "";
    /** The last `consume`'s promise: "close" waits for it (the stream may end while it runs). */
    let pending: Promise<void> = Promise.resolve();
    const fail = (error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
      child.kill("SIGKILL");
      // A paused stdout holding unread data would never end, and "close" waits for it.
      child.stdout.destroy();
    };
    const onAbort = () => fail(signal!.reason instanceof Error ? signal!.reason : new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (chunk: Buffer) => {
      if (failure) return;
      if (got + chunk.length > expected) return fail(new TorchOutputSize(expected, got + chunk.length));
      got += chunk.length;
      let result: void | Promise<void>;
      try {
        result = consume(chunk);
      } catch (error) {
        return fail(error);
      }
      if (!(result instanceof Promise)) return;
      child.stdout.pause();
      pending = result.then(
        () => {
          if (!failure) child.stdout.resume();
        },
        (error: unknown) => fail(error),
      );
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr = (stderr + text).slice(-STDERR_CAP_BYTES);
    });
    child.stdin.on("error", () => undefined); // a child that exits early closes its stdin: its exit says why
    child.on("error", (error) => {
      fail(error);
      // Never started (no such command): no "close" follows.
      if (child.pid === undefined) {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      }
    });
    child.on("close", (code, signalName) => {
      void pending.then(() => {
        signal?.removeEventListener("abort", onAbort);
        if (failure) return reject(failure);
        if (code !== 0) return reject(new TorchRunnerFailed(code, signalName, stderr));
        if (got !== expected) return reject(new TorchOutputSize(expected, got));
        const last = stderr.trim().split("\n").at(-1) ?? "";
        try {
          options.onReport?.(JSON.parse(last) as TorchReport);
        } catch {
          // A wrapper may print after the script; the report is informational.
        }
        resolve();
      });
    });
    child.stdin.end(scriptText());
  });
}

function commonArgs(options: TorchRunnerOptions, seed: Hex, shape: WorkShape): string[] {
  if (!/^0x[0-9a-fA-F]{64}$/.test(seed)) throw new RangeError("seed must be 32 bytes of hex");
  const { rows, cols, inner, tileRows, groupTiles } = validateShape(shape);
  const gpus = options.gpus ?? 1;
  if (!Number.isSafeInteger(gpus) || gpus < 1 || gpus > MAX_GPUS)
    throw new RangeError(`gpus must be in [1, ${MAX_GPUS}], got ${gpus}`);
  // G changes nothing the script computes (statistics are per tile); it is passed so the script checks it too.
  const args = ["--shape", `${rows},${cols},${inner},${tileRows},${groupTiles}`];
  args.push("--seed", seed, "--device", options.device, "--gpus", String(gpus));
  if (options.memoryMib !== undefined) args.push("--memory-mib", String(options.memoryMib));
  return args;
}

/** Little-endian uint64 bytes (a multiple of 8) as an array of their own (aligned, not a view of a pipe chunk). */
function uint64s(bytes: Uint8Array): BigUint64Array {
  const out = new BigUint64Array(bytes.length / 8);
  if (endianness() === "LE") new Uint8Array(out.buffer).set(bytes);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getBigUint64(i * 8, true);
  }
  return out;
}

export function torchRunner(options: TorchRunnerOptions): Runner {
  const batchRounds = options.batchRounds;
  if (batchRounds !== undefined && (!Number.isSafeInteger(batchRounds) || batchRounds < 1 || batchRounds > 64))
    throw new RangeError(`batchRounds must be in [1, 64], got ${batchRounds}`);
  return {
    kind: "torch",

    async stats(seed, shape, rounds, onStats, signal) {
      const args = commonArgs(options, seed, shape);
      if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS)
        throw new RangeError(`rounds must be in [1, ${MAX_ROUNDS}], got ${rounds}`);
      if (batchRounds !== undefined) args.push("--batch-rounds", String(batchRounds));
      const roundBytes = tilesPerRound(shape) * 8;
      // The round being filled across pipe chunks (a chunk may end anywhere), at most one round's bytes.
      const partial = new Uint8Array(roundBytes);
      let filled = 0;
      let nextRound = 0;
      const consume = (chunk: Buffer) => {
        const whole = Math.floor((filled + chunk.length) / roundBytes);
        if (whole === 0) {
          partial.set(chunk, filled);
          filled += chunk.length;
          return;
        }
        // Every round this chunk completes, in one array: the partial round's bytes, then the chunk's.
        const bytes = new Uint8Array(whole * roundBytes);
        bytes.set(partial.subarray(0, filled));
        const used = whole * roundBytes - filled;
        bytes.set(chunk.subarray(0, used), filled);
        partial.set(chunk.subarray(used));
        filled = chunk.length - used;
        const first = nextRound;
        nextRound += whole;
        return onStats(first, uint64s(bytes));
      };
      await runScript(options, ["stats", ...args, "--rounds", String(rounds)], rounds * roundBytes, consume, signal);
    },

    async tiles(seed, shape, tileIndices, signal) {
      const args = commonArgs(options, seed, shape);
      if (tileIndices.length > MAX_TILES_PER_CALL)
        throw new RangeError(`at most ${MAX_TILES_PER_CALL} tiles per call, got ${tileIndices.length}`);
      if (tileIndices.length === 0) return [];
      const limit = MAX_ROUNDS * tilesPerRound(shape);
      for (const index of tileIndices)
        if (!Number.isSafeInteger(index) || index < 0 || index >= limit)
          throw new RangeError(`tile index must be in [0, ${limit}), got ${index}`);
      const tileBytes = shape.tileRows * shape.cols * 4;
      const bytes = new Uint8Array(tileIndices.length * tileBytes);
      let got = 0;
      const collect = (chunk: Buffer) => {
        // runScript refuses a chunk past the expected size before it gets here.
        bytes.set(chunk, got);
        got += chunk.length;
      };
      await runScript(options, ["tiles", ...args, "--tiles", tileIndices.join(",")], bytes.length, collect, signal);
      return tileIndices.map((_, i) => decodeTile(bytes.subarray(i * tileBytes, (i + 1) * tileBytes), shape));
    },
  };
}
