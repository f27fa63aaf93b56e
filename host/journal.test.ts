import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
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

const base = {
  spec: { version: 1 as const, image: "node:22-slim", command: ["node"], env: {} },
  gpus: 1,
  maxDuration: 600,
  locked: "10",
};

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

  it("forgets finished jobs past the retention, with their logs, and keeps everything else", () => {
    const dir = fresh();
    const journal = new Journal(dir);
    journal.put({ ...base, jobId: "1", step: "submitted" });
    journal.put({ ...base, jobId: "2", step: "closed" });
    journal.put({ ...base, jobId: "3", step: "started" }); // unfinished: never forgotten
    for (const id of ["1", "2", "3", "4"]) writeFileSync(journal.eventsFile(id), "{}\n");
    const past = new Date(Date.now() - 20 * 86_400_000);
    utimesSync(journal.eventsFile("4"), past, past); // a log of a job never accepted here
    expect(journal.forgetFinishedBefore(Date.now() - 86_400_000)).toEqual(["4"]);
    expect(journal.forgetFinishedBefore(Date.now() + 1).sort()).toEqual(["1", "2"]);
    expect(readdirSync(dir).sort()).toEqual(["job-3.events.jsonl", "job-3.json"]);
  });
});
