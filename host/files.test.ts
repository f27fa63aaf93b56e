import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { JobFiles, type FilesLimits } from "./files";

const LIMITS: FilesLimits = { maxInputBytes: 1000, maxOutputBytes: 1000, maxStoredBytes: 1 << 20, retentionDays: 1 };
const open = (limits: Partial<FilesLimits> = {}) =>
  JobFiles.open(mkdtempSync(path.join(tmpdir(), "job-files-")), { ...LIMITS, ...limits });
const bytes = (n: number, fill = 1) => Readable.from([Buffer.alloc(n, fill)]);
/** A body that sends `n` chunks of 100 bytes, counting how many were read. */
function counted(n: number) {
  const read = { chunks: 0 };
  async function* body() {
    for (let i = 0; i < n; i++) {
      read.chunks++;
      yield new Uint8Array(100);
    }
  }
  return { body: body(), read };
}

describe("a job's inputs", () => {
  it("are counted as they stream: past the cap the upload stops being read and nothing of it is kept", async () => {
    const files = await open();
    const { body, read } = counted(1000);
    await expect(files.putInput(1n, "big.bin", body)).rejects.toMatchObject({ status: 413 });
    expect(read.chunks).toBe(11);
    expect(await files.inputs(1n)).toEqual([]);
    expect(readdirSync(path.join(files.root, "1", "inputs"))).toEqual([]);
    // A declared length over the cap is refused unread.
    await expect(files.putInput(1n, "big.bin", counted(1).body, 1001)).rejects.toMatchObject({ status: 413 });
  });

  it("count the job's other inputs, and a replaced one only once", async () => {
    const files = await open();
    await files.putInput(1n, "a", bytes(600));
    await expect(files.putInput(1n, "b", bytes(500))).rejects.toMatchObject({ status: 413 });
    await files.putInput(1n, "a", bytes(900)); // replaces the 600
    expect((await files.inputs(1n)).map((e) => [e.path, e.size])).toEqual([["a", 900]]);
  });

  it("stop at the store's room, whatever job they are for", async () => {
    const files = await open({ maxStoredBytes: 1500 });
    await files.putInput(1n, "a", bytes(1000));
    await expect(files.putInput(2n, "a", bytes(600))).rejects.toMatchObject({ status: 413, message: /no room left/ });
  });

  it("take one upload at a time per job, and refuse names that could leave the folder", async () => {
    const files = await open();
    let release!: () => void;
    async function* slow() {
      yield new Uint8Array(1);
      await new Promise<void>((r) => (release = r));
    }
    const first = files.putInput(1n, "a", slow());
    await new Promise((r) => setTimeout(r, 10));
    await expect(files.putInput(1n, "b", bytes(1))).rejects.toMatchObject({ status: 409 });
    release();
    await first;
    for (const name of ["../x", "..", ".env", "a/b", "", "a b"])
      await expect(files.putInput(1n, name, bytes(1)), name).rejects.toMatchObject({ status: 400 });
  });
});

describe("a job's outputs", () => {
  it("are kept once: regular files within the cap, links never followed, the rest counted as omitted", async () => {
    const files = await open();
    const staged = await files.stage(7n);
    writeFileSync(path.join(staged.outputsDir, "a.txt"), "hello");
    mkdirSync(path.join(staged.outputsDir, "deep"));
    writeFileSync(path.join(staged.outputsDir, "deep", "b.bin"), Buffer.alloc(900));
    writeFileSync(path.join(staged.outputsDir, "c.bin"), Buffer.alloc(500)); // in name order, b.bin then passes the cap
    symlinkSync("/etc/passwd", path.join(staged.outputsDir, "leak"));
    writeFileSync(path.join(staged.outputsDir, ".hidden"), "x");
    writeFileSync(path.join(staged.outputsDir, "twice"), "x");
    linkSync(path.join(staged.outputsDir, "twice"), path.join(staged.outputsDir, "twice-again"));
    const manifest = await files.finish(7n);
    expect(manifest.outputs.map((e) => [e.path, e.size])).toEqual([
      ["a.txt", 5],
      ["c.bin", 500],
    ]);
    expect(manifest.omitted).toBe(5); // b.bin past the cap, the link, the hidden file, the file linked twice (both names)
    expect(existsSync(staged.outputsDir)).toBe(false);
    // Again (a receipt signed anew after a restart): the same manifest, from disk.
    expect(await files.finish(7n)).toEqual(manifest);
    expect(await files.resultFiles(7n)).toMatch(/^0x[0-9a-f]{64}$/);
    // Served as listed, and nothing else.
    expect((await files.read(7n, "outputs/a.txt"))?.entry.size).toBe(5);
    for (const bad of ["outputs/leak", "outputs/deep/b.bin", "outputs/../manifest.json", "kept/a.txt", "inputs/a.txt"])
      expect(await files.read(7n, bad), bad).toBeUndefined();
  });

  it("a job with no files has no manifest hash: its result hash is what it was before files existed", async () => {
    const files = await open();
    await files.stage(8n);
    expect(await files.resultFiles(8n)).toBeUndefined();
  });

  it("go after their retention, unless the job is still under way", async () => {
    const files = await open();
    await files.putInput(1n, "a", bytes(10));
    await files.stage(2n);
    await files.finish(2n);
    const old = (Date.now() - 2 * 86_400_000) / 1000;
    for (const id of ["1", "2"]) {
      for (const name of ["", "inputs.json", "manifest.json"]) {
        const file = path.join(files.root, id, name);
        if (existsSync(file)) utimesSync(file, old, old);
      }
    }
    expect(
      await files.sweep(
        Date.now(),
        (id) => id === "1",
        () => true,
      ),
    ).toEqual(["2"]);
    expect(existsSync(path.join(files.root, "1"))).toBe(true);
    expect(existsSync(path.join(files.root, "2"))).toBe(false);
  });

  it("uploads for a job nobody dispatched go after a day, whatever the retention", async () => {
    const files = await open({ retentionDays: 30 });
    await files.putInput(3n, "a", bytes(10));
    const old = (Date.now() - 2 * 86_400_000) / 1000;
    for (const name of ["", "inputs.json"]) utimesSync(path.join(files.root, "3", name), old, old);
    expect(
      await files.sweep(
        Date.now(),
        () => false,
        () => true,
      ),
    ).toEqual([]);
    expect(
      await files.sweep(
        Date.now(),
        () => false,
        () => false,
      ),
    ).toEqual(["3"]);
  });
});

describe("the store's room", () => {
  it("is set aside for each dispatched job's outputs: jobs before it cannot leave it billed with nowhere to write", async () => {
    const files = await open({ maxStoredBytes: 2500 }); // room for two jobs' 1000-byte caps
    files.reserve(1n);
    files.reserve(2n);
    expect(() => files.reserve(3n)).toThrow(/no room left/);
    // Job 1 writes its whole cap; job 2 still has its own.
    writeFileSync(path.join((await files.stage(1n)).outputsDir, "a"), Buffer.alloc(1000));
    await files.finish(1n);
    // Uploads count job 2's reservation as taken: 500 bytes are left.
    await expect(files.putInput(5n, "x", bytes(600))).rejects.toMatchObject({ status: 413 });
    writeFileSync(path.join((await files.stage(2n)).outputsDir, "b"), Buffer.alloc(1000));
    expect((await files.finish(2n)).outputs).toHaveLength(1);
    // A job that never ran gives its room back.
    const empty = await open({ maxStoredBytes: 1500 });
    empty.reserve(9n);
    expect(() => empty.reserve(10n)).toThrow(/no room left/);
    empty.release(9n);
    empty.reserve(10n);
  });
});
