/**
 * Reading a request body with a size limit, for route handlers. The limit holds on the stream itself: a
 * declared Content-Length over it is refused before anything is read, and a chunked body (no length, or a
 * false one) is read chunk by chunk and abandoned as soon as it passes the limit, so a client can make the
 * server hold at most the limit plus the chunk that crossed it, whatever it sends.
 */
import type { RouteResult } from "./route";

export const MAX_REQUEST_BYTES = 64 * 1024;

export type BodyRead<T> = { ok: true; value: T } | { ok: false; result: RouteResult };

const tooLarge = (maxBytes: number): BodyRead<never> => ({
  ok: false,
  result: { status: 413, body: { error: `The request body is over ${maxBytes / 1024} KiB.` } },
});

/** The body's bytes, at most `maxBytes` of them; past that the stream is cancelled and the answer is a 413. */
export async function readBodyCapped(request: Request, maxBytes = MAX_REQUEST_BYTES): Promise<BodyRead<Uint8Array>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && !/^\d{1,15}$/.test(declared.trim())) {
    return { ok: false, result: { status: 400, body: { error: "Content-Length must be a number of bytes." } } };
  }
  if (declared !== null && Number(declared) > maxBytes) return tooLarge(maxBytes);
  if (request.body === null) return { ok: true, value: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // Stop pulling: cancelling tells the source (the socket, under Next) that nothing more is wanted.
        void reader.cancel().catch(() => undefined);
        return tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch {
    // The client went away or sent a broken stream: nobody is left to read a better answer.
    return { ok: false, result: { status: 400, body: { error: "The request body could not be read." } } };
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, value: bytes };
}

/** The body parsed as JSON, read under the same limit. */
export async function readJsonBody(request: Request, maxBytes = MAX_REQUEST_BYTES): Promise<BodyRead<unknown>> {
  const read = await readBodyCapped(request, maxBytes);
  if (!read.ok) return read;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.value);
  } catch {
    return { ok: false, result: { status: 400, body: { error: "The request body is not UTF-8 text." } } };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, result: { status: 400, body: { error: "The request body is not JSON." } } };
  }
}
