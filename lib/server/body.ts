/**
 * Reading a request body for route handlers, under the wire's limit (lib/protocol/cappedBody.ts): a declared
 * Content-Length over it is refused before anything is read, a chunked body abandoned as soon as it passes it.
 */
import "server-only";
import { BodyTooLarge, MAX_REQUEST_BYTES, readCapped } from "../protocol/cappedBody";
import type { RouteResult } from "./route";

export type BodyRead<T> = { ok: true; value: T } | { ok: false; result: RouteResult };

const refusal = (status: number, error: string): BodyRead<never> => ({
  ok: false,
  result: { status, body: { error } },
});

/** The body's bytes, at most `maxBytes` of them; past that the stream is cancelled and the answer is a 413. */
async function readBodyCapped(request: Request, maxBytes = MAX_REQUEST_BYTES): Promise<BodyRead<Uint8Array>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && !/^\d{1,15}$/.test(declared.trim()))
    return refusal(400, "Content-Length must be a number of bytes.");
  try {
    return {
      ok: true,
      value: await readCapped(request.body, maxBytes, declared === null ? undefined : Number(declared)),
    };
  } catch (error) {
    if (error instanceof BodyTooLarge) return refusal(413, `The request body is over ${maxBytes / 1024} KiB.`);
    // The client went away or sent a broken stream: nobody is left to read a better answer.
    return refusal(400, "The request body could not be read.");
  }
}

/** The body parsed as JSON, read under the same limit. */
export async function readJsonBody(request: Request, maxBytes = MAX_REQUEST_BYTES): Promise<BodyRead<unknown>> {
  const read = await readBodyCapped(request, maxBytes);
  if (!read.ok) return read;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.value);
  } catch {
    return refusal(400, "The request body is not UTF-8 text.");
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return refusal(400, "The request body is not JSON.");
  }
}
