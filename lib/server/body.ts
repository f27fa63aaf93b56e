/** Reading a JSON request body with a size limit, for route handlers. */
import type { RouteResult } from "./route";

export const MAX_REQUEST_BYTES = 64 * 1024;

export async function readJsonBody(request: Request, maxBytes = MAX_REQUEST_BYTES): Promise<{ ok: true; value: unknown } | { ok: false; result: RouteResult }> {
  const tooLarge = { ok: false as const, result: { status: 413, body: { error: `The request body is over ${maxBytes / 1024} KiB.` } } };
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return tooLarge;
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) return tooLarge;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, result: { status: 400, body: { error: "The request body is not JSON." } } };
  }
}
