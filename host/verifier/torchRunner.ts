/**
 * The PyTorch runner (throughput.py) behind the Runner interface: the work on GPUs on real chains, on CPU in
 * tests. The script travels on the command's stdin (`python3 -`), so a container needs no mount: `command` may
 * be a plain interpreter (["/usr/bin/python3"]) or a wrapper that ends in one (["docker", "run", "--rm", "-i",
 * "--gpus", "all", image, "python3"]). Its stdout is read into a buffer of exactly the expected size (leaves · 8
 * bytes, or tiles · T·N · 4): one byte more is refused and the process killed, so a broken or hostile runner
 * cannot make the agent hold more than the answer it asked for. An abort kills the command (SIGKILL); a wrapper
 * that starts a container must remove it itself (docker run's client does not forward SIGKILL).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { endianness } from "node:os";
import type { Hex } from "viem";
import type { Runner } from "../../lib/verification/runner";
import {
  decodeTile,
  leafPosition,
  MAX_ROUNDS,
  tilesPerRound,
  validateShape,
  type WorkShape,
} from "../../lib/verification/work";

/** What the script prints last on stderr. */
export interface TorchReport {
  /** "bf16-fp32-out" (BF16 inputs, FP32 output), "tf32" (this PyTorch lacks mm's out_dtype), "fp32-cpu". */
  kernel: string;
  device: "cpu" | "cuda";
  gpus: number;
  torch: string;
  /** Time inside the script from its first generation to the last statistic (not Python's start-up). */
  seconds: number;
  bytes: number;
}

export interface TorchRunnerOptions {
  /** The interpreter, or a wrapper ending in one; the runner appends "-" (the script on stdin) and its args. */
  command: readonly string[];
  device: "cpu" | "cuda";
  /** CUDA devices 0…gpus−1 share the rounds (default 1); on CPU, as many threads (which tests the split). */
  gpus?: number;
  /** Generation chunks' memory per device (the script's default: 2048). */
  memoryMib?: number;
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

/** Runs the script with `args`; resolves with exactly `expected` bytes of stdout. */
function runScript(options: TorchRunnerOptions, args: string[], expected: number, signal?: AbortSignal) {
  signal?.throwIfAborted();
  const [file, ...prefix] = options.command;
  if (!file) throw new RangeError("the runner's command is empty");
  return new Promise<Uint8Array>((resolve, reject) => {
    const child = spawn(file, [...prefix, "-", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const out = new Uint8Array(expected);
    let got = 0;
    let failure: Error | undefined;
    let stderr = "";
    const fail = (error: Error) => {
      failure ??= error;
      child.kill("SIGKILL");
    };
    const onAbort = () => fail(signal!.reason instanceof Error ? signal!.reason : new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (chunk: Buffer) => {
      if (failure) return;
      if (got + chunk.length > expected) return fail(new TorchOutputSize(expected, got + chunk.length));
      out.set(chunk, got);
      got += chunk.length;
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
      resolve(out);
    });
    child.stdin.end(scriptText());
  });
}

function commonArgs(options: TorchRunnerOptions, seed: Hex, shape: WorkShape): string[] {
  if (!/^0x[0-9a-fA-F]{64}$/.test(seed)) throw new RangeError("seed must be 32 bytes of hex");
  const { rows, cols, inner, tileRows } = validateShape(shape);
  const gpus = options.gpus ?? 1;
  if (!Number.isSafeInteger(gpus) || gpus < 1 || gpus > MAX_GPUS)
    throw new RangeError(`gpus must be in [1, ${MAX_GPUS}], got ${gpus}`);
  const args = ["--seed", seed, "--shape", `${rows},${cols},${inner},${tileRows}`, "--device", options.device];
  args.push("--gpus", String(gpus));
  if (options.memoryMib !== undefined) args.push("--memory-mib", String(options.memoryMib));
  return args;
}

export function torchRunner(options: TorchRunnerOptions): Runner {
  return {
    kind: "torch",

    async stats(seed, shape, rounds, signal) {
      const args = commonArgs(options, seed, shape);
      if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS)
        throw new RangeError(`rounds must be in [1, ${MAX_ROUNDS}], got ${rounds}`);
      const leaves = rounds * tilesPerRound(shape);
      const bytes = await runScript(options, ["stats", ...args, "--rounds", String(rounds)], leaves * 8, signal);
      // The script writes little-endian: on a little-endian machine the bytes are the array (no second copy of
      // up to 2^26 · 8 bytes).
      if (endianness() === "LE") return new BigUint64Array(bytes.buffer, bytes.byteOffset, leaves);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out = new BigUint64Array(leaves);
      for (let i = 0; i < leaves; i++) out[i] = view.getBigUint64(i * 8, true);
      return out;
    },

    async tiles(seed, shape, leafIndices, signal) {
      const args = commonArgs(options, seed, shape);
      if (leafIndices.length > MAX_TILES_PER_CALL)
        throw new RangeError(`at most ${MAX_TILES_PER_CALL} tiles per call, got ${leafIndices.length}`);
      if (leafIndices.length === 0) return [];
      for (const index of leafIndices) leafPosition(shape, MAX_ROUNDS, index);
      const tileBytes = shape.tileRows * shape.cols * 4;
      const bytes = await runScript(
        options,
        ["tiles", ...args, "--leaves", leafIndices.join(",")],
        leafIndices.length * tileBytes,
        signal,
      );
      return leafIndices.map((_, i) => decodeTile(bytes.subarray(i * tileBytes, (i + 1) * tileBytes), shape));
    },
  };
}
