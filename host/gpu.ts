/**
 * What the machine has: GPUs from `nvidia-smi` when it is installed ("no GPU" otherwise), and a short
 * benchmark compared with the class's catalogue rating.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export interface DetectedGpu {
  name: string;
  memoryMiB: number;
}

export async function detectGpus(): Promise<DetectedGpu[]> {
  try {
    const { stdout } = await promisify(execFile)(
      "nvidia-smi",
      ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
      { timeout: 10_000 },
    );
    return stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name, memory] = line.split(",").map((s) => s.trim());
        return { name: name!, memoryMiB: Number(memory) };
      });
  } catch {
    return [];
  }
}

/**
 * Dense float64 matrix multiply on the CPU for about a second, in GFLOPS. It checks only that the machine is
 * alive and roughly as fast as last time: a GPU's rating needs a CUDA kernel, which the docker runtime's
 * benchmark image runs on real GPU hosts.
 */
export function cpuMatmulGflops(n = 192, budgetMs = 1000): number {
  const a = new Float64Array(n * n).map((_, i) => (i % 7) / 7);
  const b = new Float64Array(n * n).map((_, i) => (i % 5) / 5);
  const c = new Float64Array(n * n);
  const started = performance.now();
  let rounds = 0;
  do {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k]!;
        for (let j = 0; j < n; j++) c[i * n + j]! += aik * b[k * n + j]!;
      }
    }
    rounds++;
  } while (performance.now() - started < budgetMs);
  const seconds = (performance.now() - started) / 1000;
  return (2 * n ** 3 * rounds) / seconds / 1e9;
}

/** Measured ÷ catalogue beyond this (either way) gets a warning. */
export const RATING_TOLERANCE = 0.25;

export function ratingCheck(classId: string, catalogueRating: number, gpus: DetectedGpu[]): string {
  if (gpus.length === 0) {
    return `warning: no GPU detected (nvidia-smi absent or failing): the catalogue rating of ${classId} (${catalogueRating.toFixed(3)} SCU/h) cannot be checked on this machine`;
  }
  return `found ${gpus.length}× ${gpus[0]!.name}; the catalogue rating of ${classId} is ${catalogueRating.toFixed(3)} SCU/h per GPU (tolerance ±${RATING_TOLERANCE * 100}%; run the docker runtime's benchmark image to measure it)`;
}
