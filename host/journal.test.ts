import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Journal } from "./journal";

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "journal-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const base = { spec: { version: 1 as const, image: "node:22-slim", command: ["node"], env: {} }, gpus: 1, maxDuration: 600, locked: "10" };

describe("journal", () => {
  it("reads back what a previous process wrote, and lists what is unfinished", () => {
    const dir = fresh();
    new Journal(dir).put({ ...base, jobId: "1", step: "started", startedAt: 100, pid: 42 });
    new Journal(dir).put({ ...base, jobId: "2", step: "submitted" });
    const again = new Journal(dir);
    expect(again.get("1")).toMatchObject({ step: "started", pid: 42 });
    expect(again.unfinished().map((e) => e.jobId)).toEqual(["1"]);
    expect(readdirSync(dir).some((f) => f.endsWith(".tmp"))).toBe(false);
  });

  it("refuses a job id that is not a number (no path tricks)", () => {
    expect(() => new Journal(fresh()).put({ ...base, jobId: "../x", step: "accepted" })).toThrow(/not a job id/);
  });
});
