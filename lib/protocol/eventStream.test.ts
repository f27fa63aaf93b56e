import { describe, expect, it } from "vitest";
import { EventTooLarge, MAX_EVENT_CHARS, readEvents, type JobEvent } from "./eventStream";

/** A stream of `chunks` (pulled one at a time) that records how many were pulled and whether it was cancelled. */
function source(chunks: Iterable<string>) {
  const encoder = new TextEncoder();
  const it = chunks[Symbol.iterator]();
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = it.next();
        if (next.done) return controller.close();
        seen.pulled++;
        controller.enqueue(encoder.encode(next.value));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

const event = (id: number, text: string) =>
  `id: ${id}\nevent: log\ndata: ${JSON.stringify({ stream: "stdout", text })}\n\n`;

describe("readEvents", () => {
  it("parses events split anywhere across chunks, comments skipped", async () => {
    const text = `: hello\n\n${event(1, "a\n")}${event(2, "é".repeat(3000))}: ping\n\n${event(3, "c")}`;
    const pieces = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => text.slice(i * 7, i * 7 + 7));
    const seen: JobEvent[] = [];
    await readEvents(source(pieces).stream, (e) => void seen.push(e));
    expect(seen.map((e) => [e.id, e.type, String(e.data.text).length])).toEqual([
      [1, "log", 2],
      [2, "log", 3000],
      [3, "log", 1],
    ]);
  });

  it("accepts an event just under the bound", async () => {
    const big = event(1, "x".repeat(MAX_EVENT_CHARS - 100));
    expect(big.length).toBeLessThanOrEqual(MAX_EVENT_CHARS);
    const seen: JobEvent[] = [];
    await readEvents(source([big.slice(0, 1000), big.slice(1000)]).stream, (e) => void seen.push(e));
    expect(seen).toHaveLength(1);
  });

  it("refuses a block that never ends past the bound, cancelling the stream after reading at most the bound and a chunk", async () => {
    // A host (or anything between) that sends one endless event: 8 MiB of it, in 64 KiB chunks.
    const chunk = "y".repeat(64 * 1024);
    const endless = function* () {
      yield "id: 1\nevent: log\ndata: ";
      for (let i = 0; i < 128; i++) yield chunk;
    };
    const { stream, seen } = source(endless());
    const failure = await readEvents(stream, () => undefined).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(seen.pulled * chunk.length, "characters read").toBeLessThanOrEqual(2 ** 20 + 2 * chunk.length);
    expect(seen.cancelled).toBe(true);
    expect(failure).toBeInstanceOf(EventTooLarge);
    expect(String((failure as Error).message)).toMatch(/over 1 MiB/);
  });
});
