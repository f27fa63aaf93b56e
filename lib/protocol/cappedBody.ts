/**
 * Reading a body with a size limit: a request body (the routes, the host agent) or a host's answer (the
 * route's relays). The limit holds on the stream itself: a declared length over it is refused before anything
 * is read, and a chunked body (no length, or a false one) is read chunk by chunk and abandoned as soon as it
 * passes the limit, so a sender can make the reader hold at most the limit plus the chunk that crossed it,
 * whatever it sends. Each caller answers a refusal its own way.
 */

/** What the routes and the host agent read of a request body at most. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** A body went past its limit (declared, or as it was read). */
export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`The body is over ${maxBytes / 1024} KiB.`);
  }
}

/** A web stream's chunks; left early (past the limit), it is cancelled: the source (a socket, under Next)
 * learns that nothing more is wanted. */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
    finished = true;
  } finally {
    if (!finished) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * The bytes of `body`, at most `maxBytes`: a web stream, or any async iterable of bytes (a Node stream, which
 * leaving its iteration destroys). `declaredBytes` (a Content-Length) over the limit is refused unread. Throws
 * BodyTooLarge past the limit; a body that fails or is cut short rejects with its own error.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
  maxBytes: number,
  declaredBytes?: number,
): Promise<Uint8Array> {
  if (declaredBytes !== undefined && declaredBytes > maxBytes) throw new BodyTooLarge(maxBytes);
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body instanceof ReadableStream ? chunksOf(body) : body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BodyTooLarge(maxBytes);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
