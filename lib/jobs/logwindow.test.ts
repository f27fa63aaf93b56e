import { describe, expect, it } from "vitest";
import type { JobEvent } from "../protocol/eventStream";
import { appendEvents, EMPTY_WINDOW, EventBuffer, MAX_LOG_EVENTS, MAX_OTHER_EVENTS } from "./logwindow";

const log = (id: number): JobEvent => ({ id, type: "log", data: { stream: "stdout", text: `line ${id}\n` } });
const status = (id: number, name: string): JobEvent => ({ id, type: "status", data: { status: name } });

describe("the log window", () => {
  it("keeps the last log events and every status event, in order, counting what it hid", () => {
    const batch = [
      status(1, "accepted"),
      ...Array.from({ length: 10 }, (_, i) => log(i + 2)),
      status(12, "started"),
      log(13),
    ];
    const window = appendEvents(EMPTY_WINDOW, batch, { logs: 4, others: 10 });
    expect(window.events.map((e) => e.id)).toEqual([1, 9, 10, 11, 12, 13]);
    expect(window.hidden).toBe(7);
    const next = appendEvents(window, [log(14), status(15, "ended")], { logs: 4, others: 10 });
    expect(next.events.map((e) => e.id)).toEqual([1, 10, 11, 12, 13, 14, 15]);
    expect(next.hidden).toBe(8);
  });

  it("bounds status events too (a host can send any number), dropping the oldest past the bound", () => {
    const window = appendEvents(
      EMPTY_WINDOW,
      Array.from({ length: 30 }, (_, i) => status(i + 1, "x")),
      { logs: 4, others: 20 },
    );
    expect(window.events.map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 11));
  });

  it("takes 200,000 events one at a time in linear time, holding at most the window", () => {
    const buffer = new EventBuffer();
    const started = performance.now();
    let largest = 0;
    for (let id = 1; id <= 200_000; id++) {
      buffer.push(id % 1000 === 1 ? status(id, "x") : log(id));
      // A render every 100 events (the hook renders at most every 50 ms, however fast events come).
      if (id % 100 === 0) largest = Math.max(largest, buffer.window().events.length);
    }
    const window = buffer.window();
    const ms = performance.now() - started;
    expect(window.events.at(-1)!.id).toBe(200_000);
    expect(window.events.filter((e) => e.type === "log")).toHaveLength(MAX_LOG_EVENTS);
    expect(window.events.filter((e) => e.type === "status")).toHaveLength(200); // every one, under its bound
    expect(largest).toBeLessThanOrEqual(MAX_LOG_EVENTS + MAX_OTHER_EVENTS);
    expect(window.hidden).toBe(200_000 - 200 - MAX_LOG_EVENTS);
    // Copying the whole list per event took ~20 s for 50,000; the window does 200,000 in well under a second
    // alone (a generous bound: this machine is shared).
    expect(ms, `${Math.round(ms)} ms`).toBeLessThan(5_000);
  });

  it("returns the same window when nothing arrived, so React renders nothing new", () => {
    const buffer = new EventBuffer();
    buffer.push(log(1));
    const first = buffer.window();
    expect(buffer.window()).toBe(first);
  });
});
