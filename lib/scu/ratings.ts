/**
 * The SCU standard: 1 SCU = one hour of the reference GPU (A100 80GB SXM) at full use, and every GPU class's
 * rating in SCU per GPU-hour from one formula over its published specs (gpus.json):
 *
 *   rating = √( (bf16DenseTflops / reference's) × (memoryBandwidthTBps / reference's) )
 *
 * the geometric mean of compute and memory bandwidth relative to the reference, so a class twice as fast on
 * both counts rates 2, and one that doubles only one of them rates √2. Computed in integers (WAD, 1e18 = 1
 * SCU per hour) so that every reader, on-chain or off, gets the same number to the last unit.
 */
import { sqrt, WAD } from "../math";
import table from "./gpus.json" with { type: "json" };

export interface GpuClass {
  id: string;
  name: string;
  architecture: string;
  memoryGB: number;
  /** Dense 16-bit tensor TFLOPS, FP32 accumulate, no sparsity. */
  bf16DenseTflops: number;
  memoryBandwidthTBps: number;
  /** Where the figures were published. */
  source: string;
}

export const GPU_CLASSES: readonly GpuClass[] = table.classes;

function byId(id: string): GpuClass {
  const gpu = GPU_CLASSES.find((c) => c.id === id);
  if (!gpu) throw new Error(`Unknown GPU class "${id}". Known: ${GPU_CLASSES.map((c) => c.id).join(", ")}.`);
  return gpu;
}

export const REFERENCE_CLASS: GpuClass = byId(table.reference);

/** A spec figure in thousandths, exactly (the table has at most three decimals). */
function milli(value: number): bigint {
  const scaled = Math.round(value * 1000);
  if (Math.abs(scaled - value * 1000) > 1e-6) throw new Error(`${value} has more than three decimals`);
  return BigInt(scaled);
}

/** The rating in WAD (1e18 = 1 SCU per GPU-hour), rounded down. */
export function ratingWad(gpu: GpuClass, reference: GpuClass = REFERENCE_CLASS): bigint {
  const numerator = milli(gpu.bf16DenseTflops) * milli(gpu.memoryBandwidthTBps) * WAD * WAD;
  const denominator = milli(reference.bf16DenseTflops) * milli(reference.memoryBandwidthTBps);
  return sqrt(numerator / denominator);
}

/** The rating as a number, for display: 2.2826… SCU per GPU-hour for an H100. */
export const rating = (gpu: GpuClass) => Number(ratingWad(gpu)) / 1e18;

export { byId as gpuClass };
