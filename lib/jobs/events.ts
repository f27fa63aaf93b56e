/**
 * Reading a job's event stream (server-sent events, as a host agent and the events route send them): status
 * changes and log lines, numbered from 1 so a reader that reconnects asks for what came after its last id.
 */

/** One event of a job's stream. */
export interface StreamEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

/**
 * Parses a server-sent event stream, calling `onEvent` for each event (comments skipped); when `onEvent`
 * throws, the stream is cancelled and the error rethrown.
 */
export async function readEvents(stream: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => Promise<void> | void) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let buffer = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!type || !data) continue;
      try {
        await onEvent({ id: Number(/^id: (.*)$/m.exec(block)?.[1]), type, data: JSON.parse(data) as Record<string, unknown> });
      } catch (error) {
        await reader.cancel();
        throw error;
      }
    }
  }
}
