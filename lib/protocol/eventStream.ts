/**
 * A job's event stream (server-sent events, as a host agent writes them and the events route relays them):
 * status changes and log lines, numbered from 1 so a reader that reconnects asks for what came after its last
 * id. The event as the host's log keeps it and as a reader gets it, and the reader.
 */

export type JobEventType = "status" | "log";

/** One event of a job's stream. */
export interface JobEvent {
  id: number;
  type: JobEventType;
  data: Record<string, unknown>;
}

const isJobEventType = (type: string): type is JobEventType => type === "status" || type === "log";

/**
 * Longest block (one event, or a comment) a reader holds while waiting for its end, in characters (UTF-16
 * units; at least as many UTF-8 bytes): 1 MiB of text. A host caps its own log lines far below this; without a
 * bound, a stream that never sends the blank line ending a block would be buffered until the tab runs out of
 * memory.
 */
export const MAX_EVENT_CHARS = 1 << 20;

/** A Last-Event-ID a reader may send: an event number, at most 15 digits (below 2^53, so exact as a JS number). */
export const LAST_EVENT_ID_PATTERN = /^\d{1,15}$/;

/** A stream sent a block longer than MAX_EVENT_CHARS: it was cancelled. Retrying would meet it again. */
export class EventTooLarge extends Error {
  constructor() {
    super("The job's event stream sent an event over 1 MiB, so the app stopped reading it.");
  }
}

/**
 * Reads a server-sent event stream block by block (each event or comment, its blank line stripped), calling
 * `onBlock` for each; when `onBlock` throws, or a block grows past MAX_EVENT_CHARS before its end, the stream is
 * cancelled and the error thrown. The job event reader below, and a service's streamed answers (an OpenAI
 * server's `data:` chunks), both read with it.
 */
export async function readBlocks(stream: ReadableStream<Uint8Array>, onBlock: (block: string) => Promise<void> | void) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let buffer = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    // Only the new text, and the one "\n" before it that could begin a "\n\n", is searched: a block that
    // arrives a byte at a time costs a scan of each byte once, not of the whole block per byte.
    let from = Math.max(0, buffer.length - 1);
    buffer += decoder.decode(chunk.value, { stream: true });
    let start = 0;
    let end: number;
    while ((end = buffer.indexOf("\n\n", from)) >= 0) {
      const block = buffer.slice(start, end);
      start = from = end + 2;
      try {
        await onBlock(block);
      } catch (error) {
        await reader.cancel();
        throw error;
      }
    }
    buffer = buffer.slice(start);
    if (buffer.length > MAX_EVENT_CHARS) {
      await reader.cancel();
      throw new EventTooLarge();
    }
  }
}

/** A block's `data:` field, if it has one. */
export const blockData = (block: string): string | undefined => /^data: ?(.*)$/m.exec(block)?.[1];

/**
 * Parses a job's event stream, calling `onEvent` for each event (comments, and events of a type no host sends,
 * skipped); when `onEvent` throws, or a block grows past MAX_EVENT_CHARS before its end, the stream is cancelled
 * and the error thrown.
 */
export async function readEvents(
  stream: ReadableStream<Uint8Array>,
  onEvent: (event: JobEvent) => Promise<void> | void,
) {
  await readBlocks(stream, async (block) => {
    const type = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (!type || !data || !isJobEventType(type)) return;
    await onEvent({
      id: Number(/^id: (.*)$/m.exec(block)?.[1]),
      type,
      data: JSON.parse(data) as Record<string, unknown>,
    });
  });
}
