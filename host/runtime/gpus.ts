/**
 * Which GPU devices each running job holds. The registry only bounds how many GPUs a host's jobs rent at once;
 * this picks which ones, so that two jobs never share a device (docker's `--gpus N` would give every job
 * devices 0..N-1).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** How docker and nvidia-smi name a device: an index or a UUID. Nothing that docker's `--gpus` value (CSV)
 * could read as a separator or a quote. */
export const DEVICE_ID = /^[A-Za-z0-9-]{1,80}$/;

export class GpuAllocator {
  /** Device → the job holding it. */
  private readonly held = new Map<string, string>();

  constructor(readonly devices: readonly string[]) {
    for (const device of devices)
      if (!DEVICE_ID.test(device)) throw new Error(`gpuDevices: "${device}" is not a GPU index or UUID`);
    if (new Set(devices).size !== devices.length) throw new Error("gpuDevices: a GPU is listed twice");
  }

  /** Devices no job holds, in the configured order. */
  get free(): string[] {
    return this.devices.filter((d) => !this.held.has(d));
  }

  /** Takes `count` free devices for `job`; throws a sentence, taking none, when fewer are free. Synchronous, so
   * two runs starting at once can never be given the same device. */
  take(job: string, count: number): string[] {
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`A job cannot ask for ${count} GPUs.`);
    const free = this.free;
    if (count > free.length) {
      throw new Error(
        `This host has ${free.length} of its ${this.devices.length} GPUs free for jobs and the job needs ${count}: ` +
          `its config's docker.gpuDevices lists fewer GPUs than its listing, or a previous run still holds them.`,
      );
    }
    const taken = free.slice(0, count);
    for (const device of taken) this.held.set(device, job);
    return taken;
  }

  release(devices: readonly string[]): void {
    for (const device of devices) this.held.delete(device);
  }
}

/** The machine's GPUs by UUID (stable across reboots and driver device orders), or none without nvidia-smi. */
export async function detectGpuDevices(): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)("nvidia-smi", ["--query-gpu=uuid", "--format=csv,noheader"], {
      timeout: 10_000,
    });
    return stdout
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => DEVICE_ID.test(line));
  } catch {
    return [];
  }
}
