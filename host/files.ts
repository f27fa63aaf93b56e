/**
 * A job's files on this host (docs/jobs.md, "Files"): the inputs its buyer uploads before dispatching it, which
 * the job reads from a read-only folder, and the outputs it writes to a folder of its own, which the agent keeps
 * once the run has ended, lists in the manifest (lib/protocol/files.ts) whose hash the receipt's result hash
 * covers, and serves to the buyer until the retention ends.
 *
 *   <root>/                      0700: the agent's alone (docker mounts what a container needs; the process
 *     <jobId>/                   0700   runtime copies a job's inputs into its own folder)
 *       inputs/                  0755, its files 0644: the job's /inputs (read-only)
 *       inputs.json              the uploads' sizes and hashes
 *       outputs/                 the job's /outputs while it runs: a tmpfs the size of the cap (docker runtime,
 *                                the agent as root), where no link is ever followed (nosymfollow)
 *       kept/                    0700: the outputs, copied once the run has ended
 *       manifest.json            what the receipt covers
 *
 * Every size is bounded as it is written: an upload is counted and abandoned the moment it passes its cap, an
 * output is copied only while the job's cap and the store's have room, and a dispatch reserves its job's output
 * cap in the store first (`reserve`), so jobs that came before cannot leave a later one, billed in full, without
 * room for its outputs. Uploads for a job never dispatched go after a day. The copy runs after the run has ended
 * (its processes killed, its container removed), never follows a link and skips a file linked twice.
 */
import { createHash } from "node:crypto";
import { constants, createWriteStream, type Dirent, type ReadStream } from "node:fs";
import { chmod, lstat, mkdir, open, opendir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Hex } from "viem";
import {
  byPath,
  filePathProblem,
  manifestHash,
  manifestSchema,
  MAX_INPUT_FILES,
  MAX_OUTPUT_FILES,
  type FileEntry,
  type FileManifest,
} from "../lib/protocol/files";
import { HostError } from "./hostError";
import { command } from "./runtime/network";

/** The store's limits (host/config.ts `files`). */
export interface FilesLimits {
  /** Bytes of inputs one job may be given. */
  maxInputBytes: number;
  /** Bytes of outputs kept of one job. */
  maxOutputBytes: number;
  /** Everything the store holds at once: inputs, outputs being written are not counted (tmpfs is memory). */
  maxStoredBytes: number;
  /** Days a job's files are kept after it ended, and a never-dispatched job's uploads after the last. */
  retentionDays: number;
}

/** The folders a run is given. */
export interface StagedFiles {
  inputsDir: string;
  outputsDir: string;
  /** The outputs folder is a tmpfs the size of the cap (docker, as root): the job cannot write past it. */
  sized: boolean;
}

const EMPTY: FileManifest = { inputs: [], outputs: [], omitted: 0 };
const isEmpty = (m: FileManifest) => m.inputs.length === 0 && m.outputs.length === 0 && m.omitted === 0;
/** How long uploads for a job nobody dispatched are kept: past its start timeout nobody can dispatch it. */
const UNDISPATCHED_UPLOADS_MS = 86_400_000;
/** Names read of one outputs folder at most: 10× the files a manifest lists. */
const MAX_DIRECTORY_ENTRIES = 10 * MAX_OUTPUT_FILES;
/** Uploads the agent takes at once, in all (each holds a socket and a file being written). */
const MAX_UPLOADS = 8;

export class JobFiles {
  /** Bytes the store holds, counted at start and kept as files come and go. */
  private stored = 0;
  /** Output room set aside for jobs dispatched and not yet collected. */
  private readonly reserved = new Map<string, number>();
  private readonly uploading = new Set<string>();
  private readonly collecting = new Map<string, Promise<FileManifest>>();

  private constructor(
    readonly root: string,
    readonly limits: FilesLimits,
    /** Outputs of docker runs are tmpfs mounts (needs root: `mount`). */
    private readonly mountOutputs: boolean,
  ) {}

  static async open(root: string, limits: FilesLimits, { mountOutputs = false } = {}): Promise<JobFiles> {
    await mkdir(root, { recursive: true, mode: 0o700 });
    await chmod(root, 0o700);
    const files = new JobFiles(root, limits, mountOutputs);
    files.stored = await sizeOf(root);
    return files;
  }

  private dir(jobId: bigint, ...rest: string[]) {
    return path.join(this.root, String(jobId), ...rest);
  }

  /** The inputs uploaded for job `jobId` so far. */
  async inputs(jobId: bigint): Promise<FileEntry[]> {
    try {
      return manifestSchema.shape.inputs.parse(JSON.parse(await readFile(this.dir(jobId, "inputs.json"), "utf8")));
    } catch {
      return [];
    }
  }

  /**
   * Writes input `name` of job `jobId` from `body`, replacing one of that name: counted as it streams, and
   * abandoned (nothing kept) the moment the job's inputs would pass maxInputBytes or the store its room.
   */
  async putInput(
    jobId: bigint,
    name: string,
    body: AsyncIterable<Uint8Array>,
    declaredBytes?: number,
  ): Promise<FileEntry> {
    const problem = filePathProblem(name, { flat: true });
    if (problem) throw new HostError(400, `The input's name is refused: ${problem}.`);
    const key = String(jobId);
    if (this.uploading.has(key))
      throw new HostError(409, `Job #${jobId} is taking another upload: send its inputs one at a time.`);
    if (this.uploading.size >= MAX_UPLOADS)
      throw new HostError(503, "The host is taking as many uploads as it can. Try again.");
    this.uploading.add(key);
    const temp = this.dir(jobId, `inputs.${process.pid}.upload`);
    try {
      const existing = await this.inputs(jobId);
      const replaced = existing.find((e) => e.path === name);
      if (!replaced && existing.length >= MAX_INPUT_FILES)
        throw new HostError(413, `A job takes at most ${MAX_INPUT_FILES} inputs.`);
      const others = existing.filter((e) => e !== replaced).reduce((sum, e) => sum + e.size, 0);
      const room = Math.min(this.limits.maxInputBytes - others, this.room);
      const tooLarge = () =>
        new HostError(
          413,
          room === this.limits.maxInputBytes - others
            ? `A job's inputs are at most ${mib(this.limits.maxInputBytes)} on this host: this one does not fit.`
            : "The host has no room left for more files. Try another host, or later.",
        );
      if (declaredBytes !== undefined && declaredBytes > room) throw tooLarge();
      await mkdir(this.dir(jobId, "inputs"), { recursive: true, mode: 0o755 });
      const hash = createHash("sha256");
      let size = 0;
      const out = createWriteStream(temp, { mode: 0o644 });
      try {
        for await (const chunk of body) {
          size += chunk.byteLength;
          if (size > room) throw tooLarge();
          hash.update(chunk);
          if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
        }
      } finally {
        await new Promise<void>((resolve, reject) =>
          out.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
      }
      await rename(temp, this.dir(jobId, "inputs", name));
      const entry: FileEntry = { path: name, size, sha256: `0x${hash.digest("hex")}` };
      const inputs = [...existing.filter((e) => e !== replaced), entry].sort(byPath);
      await writeAtomic(this.dir(jobId, "inputs.json"), JSON.stringify(inputs));
      this.stored += size - (replaced?.size ?? 0);
      return entry;
    } finally {
      await rm(temp, { force: true });
      this.uploading.delete(key);
    }
  }

  /** Room the store has for more, what is set aside for dispatched jobs' outputs counted as taken. */
  private get room(): number {
    let set = 0;
    for (const bytes of this.reserved.values()) set += bytes;
    return this.limits.maxStoredBytes - this.stored - set;
  }

  /**
   * Sets a job's output cap aside in the store, before its dispatch is acknowledged; refuses (507) when there is
   * no room for it. Released once its outputs are kept.
   */
  reserve(jobId: bigint): void {
    const key = String(jobId);
    if (this.reserved.has(key)) return;
    if (this.room < this.limits.maxOutputBytes)
      throw new HostError(507, "The host has no room left for another job's outputs. Try another host, or later.");
    this.reserved.set(key, this.limits.maxOutputBytes);
  }

  /** Frees what `reserve` set aside for job `jobId` (once its outputs are kept, or it never ran). */
  release(jobId: bigint): void {
    this.reserved.delete(String(jobId));
  }

  /**
   * The folders job `jobId` runs with: its inputs as uploaded, and an empty outputs folder, the agent's (the
   * process runtime hands it to the job's user), or when the store mounts them a tmpfs of maxOutputBytes owned by
   * nobody, the user a container runs as.
   */
  async stage(jobId: bigint): Promise<StagedFiles> {
    const inputsDir = this.dir(jobId, "inputs");
    const outputsDir = this.dir(jobId, "outputs");
    await mkdir(inputsDir, { recursive: true, mode: 0o755 });
    await this.unmount(outputsDir);
    await rm(outputsDir, { recursive: true, force: true });
    await mkdir(outputsDir, { mode: 0o700 });
    if (this.mountOutputs) {
      const uid = 65534;
      const mounted = await command("mount", [
        "-t",
        "tmpfs",
        "-o",
        `size=${this.limits.maxOutputBytes},uid=${uid},gid=${uid},mode=0700,nosuid,nodev,noexec,nosymfollow`,
        "tmpfs",
        outputsDir,
      ]);
      if (mounted.code !== 0) throw new Error(`mounting job #${jobId}'s outputs: ${mounted.stderr.trim()}`);
      return { inputsDir, outputsDir, sized: true };
    }
    return { inputsDir, outputsDir, sized: false };
  }

  /**
   * Keeps the outputs of job `jobId`'s ended run and writes its manifest, once (later calls read it back): every
   * regular file under outputs/, links never followed, while the job's cap, the store's room and
   * MAX_OUTPUT_FILES allow; what is left out is counted. Then the outputs folder goes (a tmpfs is unmounted).
   */
  finish(jobId: bigint): Promise<FileManifest> {
    const key = String(jobId);
    let pending = this.collecting.get(key);
    if (!pending) {
      pending = this.collect(jobId).finally(() => this.collecting.delete(key));
      this.collecting.set(key, pending);
    }
    return pending;
  }

  private async collect(jobId: bigint): Promise<FileManifest> {
    const done = await this.manifest(jobId);
    if (done) return done;
    const outputsDir = this.dir(jobId, "outputs");
    const keptDir = this.dir(jobId, "kept");
    const inputs = await this.inputs(jobId);
    const outputs: FileEntry[] = [];
    let omitted = 0;
    let bytes = 0;
    // Its own reservation is its room, as far as the store's other jobs are concerned.
    const room = () =>
      Math.min(this.limits.maxOutputBytes - bytes, this.room + (this.reserved.get(String(jobId)) ?? 0) - bytes);
    await rm(keptDir, { recursive: true, force: true });
    const walk = async (relative: string, depth: number): Promise<void> => {
      // In name order, so which files fit under the caps does not depend on the order the filesystem lists
      // them; a folder's names are read up to MAX_DIRECTORY_ENTRIES, the rest counted as omitted.
      const entries: Dirent[] = [];
      try {
        for await (const entry of await opendir(path.join(outputsDir, relative))) {
          if (entries.length < MAX_DIRECTORY_ENTRIES) entries.push(entry);
          else omitted++;
        }
      } catch {
        return; // no outputs folder: a job that never ran here
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory() && depth < 8 && filePathProblem(rel) === undefined) {
          await walk(rel, depth + 1);
          continue;
        }
        if (!entry.isFile() || filePathProblem(rel) !== undefined || outputs.length >= MAX_OUTPUT_FILES) {
          omitted += entry.isDirectory() ? 0 : 1;
          continue;
        }
        const copied = await copyCapped(path.join(outputsDir, rel), path.join(keptDir, rel), room());
        if (!copied) {
          omitted++;
          continue;
        }
        bytes += copied.size;
        outputs.push({ path: rel, ...copied });
      }
    };
    await mkdir(keptDir, { recursive: true, mode: 0o700 });
    await walk("", 1);
    const manifest: FileManifest = { inputs, outputs: outputs.sort(byPath), omitted };
    await writeAtomic(this.dir(jobId, "manifest.json"), JSON.stringify(manifest));
    this.stored += bytes;
    this.release(jobId);
    await this.unmount(outputsDir);
    await rm(outputsDir, { recursive: true, force: true });
    return manifest;
  }

  /** Job `jobId`'s manifest once its outputs are kept. */
  async manifest(jobId: bigint): Promise<FileManifest | undefined> {
    try {
      return manifestSchema.parse(JSON.parse(await readFile(this.dir(jobId, "manifest.json"), "utf8")));
    } catch {
      return undefined;
    }
  }

  /** What the result hash covers of job `jobId`'s files: undefined when it had none (its hash is then what it
   * was before files existed). */
  async resultFiles(jobId: bigint): Promise<Hex | undefined> {
    const manifest = await this.finish(jobId);
    return isEmpty(manifest) ? undefined : manifestHash(manifest);
  }

  /** The manifest as listed before the run has ended: the inputs alone. */
  async listing(jobId: bigint): Promise<{ manifest: FileManifest; final: boolean; endedAtMs?: number }> {
    const manifest = await this.manifest(jobId);
    if (manifest) {
      const written = await stat(this.dir(jobId, "manifest.json"));
      return { manifest, final: true, endedAtMs: written.mtimeMs };
    }
    return { manifest: { ...EMPTY, inputs: await this.inputs(jobId) }, final: false };
  }

  /** A kept file of job `jobId` to send (`inputs/<name>` or `outputs/<path>`), or undefined. */
  async read(jobId: bigint, file: string): Promise<{ entry: FileEntry; stream: ReadStream } | undefined> {
    const [kind, ...rest] = file.split("/");
    const rel = rest.join("/");
    if ((kind !== "inputs" && kind !== "outputs") || filePathProblem(rel) !== undefined) return undefined;
    const listed = kind === "inputs" ? await this.inputs(jobId) : ((await this.manifest(jobId))?.outputs ?? []);
    const entry = listed.find((e) => e.path === rel);
    if (!entry) return undefined;
    const handle = await open(
      this.dir(jobId, kind === "inputs" ? "inputs" : "kept", rel),
      constants.O_RDONLY | constants.O_NOFOLLOW,
    ).catch(() => undefined);
    if (!handle) return undefined;
    return { entry, stream: handle.createReadStream({ end: Math.max(0, entry.size - 1), start: 0 }) };
  }

  /**
   * Deletes the files of jobs whose folder was last changed over retentionDays ago, and the uploads of jobs never
   * dispatched (`dispatched` says which were) after a day, unless `busy` names the job (under way here); returns
   * their ids.
   */
  async sweep(
    now: number,
    busy: (jobId: string) => boolean,
    dispatched: (jobId: string) => boolean,
  ): Promise<string[]> {
    const kept = now - this.limits.retentionDays * 86_400_000;
    const removed: string[] = [];
    const dir = await opendir(this.root);
    for await (const entry of dir) {
      if (!entry.isDirectory() || !/^\d{1,78}$/.test(entry.name) || busy(entry.name)) continue;
      const folder = path.join(this.root, entry.name);
      const manifest = await stat(path.join(folder, "manifest.json")).catch(() => undefined);
      const inputs = await stat(path.join(folder, "inputs.json")).catch(() => undefined);
      const last = Math.max(manifest?.mtimeMs ?? 0, inputs?.mtimeMs ?? 0, (await stat(folder)).mtimeMs);
      const cutoff = manifest || dispatched(entry.name) ? kept : now - UNDISPATCHED_UPLOADS_MS;
      if (last >= cutoff) continue;
      const size = await sizeOf(folder);
      await this.unmount(path.join(folder, "outputs"));
      await rm(folder, { recursive: true, force: true });
      this.stored = Math.max(0, this.stored - size);
      removed.push(entry.name);
    }
    return removed;
  }

  /** Unmounts a tmpfs the store mounted there, if one is. */
  private async unmount(dir: string) {
    if (!this.mountOutputs) return;
    const mounts = await readFile("/proc/self/mounts", "utf8").catch(() => "");
    if (mounts.split("\n").some((line) => line.split(" ")[1] === dir)) {
      const out = await command("umount", [dir]);
      if (out.code !== 0) throw new Error(`unmounting ${dir}: ${out.stderr.trim()}`);
    }
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Copies the regular file `from` (never through a link) to `to` while it fits in `room` bytes; its size and
 * hash, or undefined when it does not fit (nothing is left of the copy). */
async function copyCapped(from: string, to: string, room: number): Promise<{ size: number; sha256: Hex } | undefined> {
  const handle = await open(from, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    // A file linked twice may be another's (a hard link a job made to a file it could not read).
    if (!info.isFile() || info.nlink > 1 || info.size > room) return undefined;
    await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
    const hash = createHash("sha256");
    const out = createWriteStream(to, { mode: 0o600 });
    let size = 0;
    try {
      for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
        size += chunk.byteLength;
        if (size > room) throw new Error("grew past its room");
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      }
    } catch {
      out.destroy();
      await rm(to, { force: true });
      return undefined;
    } finally {
      if (!out.destroyed) await new Promise<void>((resolve) => out.end(resolve));
    }
    return { size, sha256: `0x${hash.digest("hex")}` };
  } finally {
    await handle.close();
  }
}

async function writeAtomic(file: string, text: string) {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, file);
}

/** Bytes of the regular files under `dir` (links not followed), mounts included. */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return info?.isFile() ? info.size : 0;
  for await (const entry of await opendir(dir)) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(full);
    else if (entry.isFile()) total += (await lstat(full)).size;
  }
  return total;
}
