/**
 * A job's event stream: status changes and log lines, numbered from 1, appended to a file in the journal folder
 * as they happen. Only the log's count and size stay in memory: readers read the file back at their own pace
 * (EventCursor), so a client that reconnects with `Last-Event-ID` or a restarted host gets everything after its
 * last id, and a reader that does not read costs one read buffer, never a copy of the log.
 */
import { keccak_256 } from "@noble/hashes/sha3";
import { closeSync, existsSync, openSync, readSync, statSync, truncateSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { bytesToHex, type Hex } from "viem";
import type { JobEvent, JobEventType } from "../lib/protocol/eventStream";

/** The most characters one log event carries; longer output is split into several. JSON escapes a control
 * byte as six characters, so an event's line is at most ~50 KiB on disk. */
export const MAX_LOG_TEXT_CHARS = 8 * 1024;
/** An event line read back longer than this is not one this log wrote (the file was tampered with). */
const MAX_LINE_BYTES = 256 * 1024;
/** What a reader reads from the file at a time. */
const READ_BYTES = 64 * 1024;

export class EventLog {
  private count = 0;
  private bytes = 0;
  private open = 0;
  private ended = false;
  private failed: Error | undefined;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    // Counted, not loaded. A line torn by a crash mid-append is cut off: its event was never sent to anyone.
    const fd = openSync(file, "r");
    const buffer = Buffer.alloc(READ_BYTES);
    let offset = 0;
    let complete = 0;
    try {
      for (let n; (n = readSync(fd, buffer, 0, READ_BYTES, offset)) > 0; offset += n) {
        for (let i = buffer.indexOf(10); i !== -1 && i < n; i = buffer.indexOf(10, i + 1)) {
          this.count++;
          complete = offset + i + 1;
        }
      }
    } finally {
      closeSync(fd);
    }
    if (complete < statSync(file).size) truncateSync(file, complete);
    this.bytes = complete;
    this.ended = complete > 0 && isFinal(lastLine(file, complete));
  }

  /** Cursors not yet closed. */
  get readers(): number {
    return this.open;
  }

  /** Whether the job's final status is written: nothing follows it. */
  get final(): boolean {
    return this.ended;
  }

  /** The first write that failed (a full disk), if any: events after it are not kept. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** Events written so far; the next one's id is this plus one. */
  get length(): number {
    return this.count;
  }

  /** Appends an event (a log text over MAX_LOG_TEXT_CHARS as several) and wakes every reader; returns the last.
   * Never throws: a write that fails (the disk is full) is kept as `failure` for the agent to act on, and the
   * event is not numbered, so the file and the ids stay in step. */
  append(type: JobEventType, data: Record<string, unknown>): JobEvent {
    if (type === "log" && typeof data.text === "string" && data.text.length > MAX_LOG_TEXT_CHARS) {
      let event: JobEvent | undefined;
      for (const text of splitText(data.text)) event = this.write(type, { ...data, text });
      return event!;
    }
    return this.write(type, data);
  }

  private write(type: JobEventType, data: Record<string, unknown>): JobEvent {
    const event = { id: this.count + 1, type, data };
    const line = Buffer.from(`${JSON.stringify(event)}\n`);
    try {
      const fd = openSync(this.file, "a");
      try {
        writeSync(fd, line);
      } catch (error) {
        // A partial line would shift every later event: cut the file back to the last whole one.
        truncateSync(this.file, this.bytes);
        throw error;
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      this.failed ??= error instanceof Error ? error : new Error(String(error));
      return event;
    }
    this.count++;
    this.bytes += line.length;
    if (isFinal(event)) this.ended = true;
    const woken = [...this.waiting];
    this.waiting.clear();
    for (const wake of woken) wake();
    return event;
  }

  /** A reader of the events after `afterId`, in order, that can wait for new ones. */
  cursor(afterId: number): EventCursor {
    this.open++;
    const onAppend = (wake: () => void) => {
      this.waiting.add(wake);
      return () => this.waiting.delete(wake);
    };
    return new EventCursor(
      this.file,
      () => this.bytes,
      Math.max(0, Math.floor(afterId)),
      onAppend,
      () => this.open--,
    );
  }

  /**
   * The receipt's result hash: keccak256 of `JSON.stringify({ endReason, exitCode, files, output })`, where `output` is
   * everything the job printed, in order (the buyer recomputes it from the event stream). Hashed as the file is
   * read, so a job's whole output never sits in memory.
   */
  async resultHash(endReason: string | undefined, exitCode: number | null | undefined, files?: Hex): Promise<Hex> {
    // `output` is the last key: the JSON is this prefix, the escaped texts in order, then `"}`. Escaping a string
    // piece by piece gives the escaping of the whole, since no piece splits a surrogate pair (splitText, and text
    // decoded from bytes, never does). `files`, the hash of the job's file manifest (lib/protocol/files.ts), is
    // there only for a job that had files, so a job without keeps the hash it had before files existed.
    const empty = JSON.stringify({ endReason, exitCode, files, output: "" });
    const hash = keccak_256.create();
    const encoder = new TextEncoder();
    hash.update(encoder.encode(empty.slice(0, -2)));
    const cursor = this.cursor(0);
    try {
      for (let events = await cursor.read(); events.length > 0; events = await cursor.read()) {
        for (const e of events)
          if (e.type === "log") hash.update(encoder.encode(JSON.stringify(String(e.data.text)).slice(1, -1)));
      }
    } finally {
      await cursor.close();
    }
    hash.update(encoder.encode('"}'));
    return bytesToHex(hash.digest());
  }
}

/** Reads a log's events from its file, a bounded batch at a time. */
export class EventCursor {
  private handle: Awaited<ReturnType<typeof open>> | undefined;
  private offset = 0;
  private skipped = 0;
  private partial = Buffer.alloc(0);

  constructor(
    private readonly file: string,
    private readonly size: () => number,
    private readonly afterId: number,
    private readonly onAppend: (wake: () => void) => () => void,
    private readonly onClose: () => void,
  ) {}

  /** The next events written so far (at most one read's worth); none when the reader has caught up. */
  async read(): Promise<JobEvent[]> {
    const events: JobEvent[] = [];
    while (events.length === 0 && this.offset < this.size()) {
      this.handle ??= await open(this.file, "r");
      const length = Math.min(READ_BYTES, this.size() - this.offset);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await this.handle.read(buffer, 0, length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      let data = Buffer.concat([this.partial, buffer.subarray(0, bytesRead)]);
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10)) {
        const line = data.subarray(0, newline);
        data = data.subarray(newline + 1);
        if (++this.skipped > this.afterId) events.push(JSON.parse(line.toString("utf8")) as JobEvent);
      }
      if (data.length > MAX_LINE_BYTES) throw new Error(`${this.file}: an event line over ${MAX_LINE_BYTES} bytes`);
      this.partial = Buffer.from(data);
    }
    return events;
  }

  /** Resolves when an event is appended after the reader caught up (at once if one already was), or on `signal`. */
  waitForMore(signal: AbortSignal): Promise<void> {
    if (this.offset < this.size() || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        forget();
        signal.removeEventListener("abort", done);
        resolve();
      };
      const forget = this.onAppend(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Releases the file; call once. */
  async close(): Promise<void> {
    this.onClose();
    await this.handle?.close();
    this.handle = undefined;
  }
}

const isFinal = (event: JobEvent | undefined) => event?.type === "status" && event.data.final === true;

/** The last whole event of a log file `size` bytes long (it ends with a newline), if it parses. */
function lastLine(file: string, size: number): JobEvent | undefined {
  const length = Math.min(size, MAX_LINE_BYTES);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString("utf8", 0, length - 1);
  try {
    return JSON.parse(text.slice(text.lastIndexOf("\n") + 1)) as JobEvent;
  } catch {
    return undefined;
  }
}

/** Splits a text into pieces of at most MAX_LOG_TEXT_CHARS, never between the two halves of a surrogate pair. */
function splitText(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + MAX_LOG_TEXT_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
