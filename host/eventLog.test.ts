import { appendFileSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { keccak256, stringToBytes } from "viem";
import { describe, expect, it } from "vitest";
import type { JobEvent } from "../lib/protocol/eventStream";
import { EventLog, MAX_LOG_TEXT_CHARS } from "./eventLog";

const fresh = () => path.join(mkdtempSync(path.join(tmpdir(), "events-")), "job-1.events.jsonl");

async function readAll(log: EventLog, after = 0): Promise<JobEvent[]> {
  const cursor = log.cursor(after);
  const all: JobEvent[] = [];
  for (let events = await cursor.read(); events.length > 0; events = await cursor.read()) all.push(...events);
  await cursor.close();
  return all;
}

describe("a job's event log", () => {
  it("numbers events from 1, reads them back after any id, and counts them again from disk", async () => {
    const file = fresh();
    const log = new EventLog(file);
    log.append("status", { status: "accepted" });
    log.append("log", { stream: "stdout", text: "one\n" });
    log.append("status", { status: "ended", final: true });
    expect((await readAll(log)).map((e) => e.id)).toEqual([1, 2, 3]);
    expect(await readAll(log, 2)).toEqual([{ id: 3, type: "status", data: { status: "ended", final: true } }]);
    const again = new EventLog(file);
    expect(again.length).toBe(3);
    expect(again.append("status", { status: "more" }).id).toBe(4);
  });

  it("knows a log is final from its last event, written now or read back after a restart", () => {
    const file = fresh();
    const log = new EventLog(file);
    log.append("status", { status: "started" });
    expect(log.final).toBe(false);
    expect(new EventLog(file).final).toBe(false);
    log.append("status", { status: "submitted", final: true });
    expect(log.final).toBe(true);
    expect(new EventLog(file).final).toBe(true);
  });

  it("splits long output into bounded events, never inside a surrogate pair", async () => {
    const log = new EventLog(fresh());
    const text = `${"a".repeat(MAX_LOG_TEXT_CHARS - 1)}😀${"b".repeat(MAX_LOG_TEXT_CHARS * 2)}`;
    log.append("log", { stream: "stdout", text });
    const events = await readAll(log);
    expect(events.length).toBe(4);
    for (const e of events) expect(String(e.data.text).length).toBeLessThanOrEqual(MAX_LOG_TEXT_CHARS);
    expect(events.map((e) => e.data.text).join("")).toBe(text);
    expect(String(events[0]!.data.text).endsWith("a")).toBe(true); // the emoji moved whole into the next
  });

  it("hashes the result as keccak256 of the whole JSON, reading the output from disk", async () => {
    const log = new EventLog(fresh());
    const pieces = ["plain\n", '\u0001\u0002\t"quoted"\\', "😀 ünïcødé\n", "x".repeat(MAX_LOG_TEXT_CHARS * 3 + 7)];
    log.append("status", { status: "started" });
    for (const text of pieces) log.append("log", { stream: "stdout", text });
    log.append("status", { status: "ended" });
    const output = pieces.join("");
    for (const [endReason, exitCode] of [
      ["exited", 0],
      ["time-limit", null],
      [undefined, undefined],
    ] as const) {
      expect(await log.resultHash(endReason, exitCode)).toBe(
        keccak256(stringToBytes(JSON.stringify({ endReason, exitCode, output }))),
      );
    }
  });

  it("cuts a line torn by a crash mid-append, so the next event follows the last whole one", async () => {
    const file = fresh();
    new EventLog(file).append("status", { status: "accepted" });
    appendFileSync(file, '{"id":2,"type":"log","data":{"te');
    const log = new EventLog(file);
    expect(log.length).toBe(1);
    log.append("status", { status: "started" });
    expect(
      readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as JobEvent).id),
    ).toEqual([1, 2]);
  });

  it("wakes a reader that caught up when an event is appended, and on abort", async () => {
    const log = new EventLog(fresh());
    const cursor = log.cursor(0);
    expect(await cursor.read()).toEqual([]);
    const closed = new AbortController();
    const woken = cursor.waitForMore(closed.signal);
    log.append("status", { status: "accepted" });
    await woken;
    expect((await cursor.read()).map((e) => e.data.status)).toEqual(["accepted"]);
    const aborted = cursor.waitForMore(closed.signal);
    closed.abort();
    await aborted;
    expect(log.readers).toBe(1);
    await cursor.close();
    expect(log.readers).toBe(0);
  });

  it("keeps only its count and size in memory: a reader reads a bounded batch at a time", async () => {
    const file = fresh();
    const log = new EventLog(file);
    for (let i = 0; i < 200; i++) log.append("log", { stream: "stdout", text: "\u0001".repeat(MAX_LOG_TEXT_CHARS) });
    expect(statSync(file).size).toBeGreaterThan(200 * MAX_LOG_TEXT_CHARS * 6); // JSON escapes each byte as six
    const cursor = log.cursor(0);
    const batch = await cursor.read();
    await cursor.close();
    // One 64 KiB read holds at most one or two of these ~48 KiB lines.
    expect(batch.length).toBeGreaterThanOrEqual(1);
    expect(batch.length).toBeLessThanOrEqual(2);
  });
});
