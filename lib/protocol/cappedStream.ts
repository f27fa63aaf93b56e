/**
 * A body passed on as it streams, with a size limit (Node streams: the route's relay and the host agent's
 * forwarding to a job's service): the bytes go through untouched until the limit, and the stream fails with
 * BodyTooLarge (lib/protocol/cappedBody.ts) on the chunk that passes it, so a relay never sends on more than
 * the limit plus that chunk.
 */
import { Transform } from "node:stream";
import { BodyTooLarge } from "./cappedBody";

export function cappedStream(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _, done) {
      seen += chunk.length;
      done(seen > maxBytes ? new BodyTooLarge(maxBytes) : null, chunk);
    },
  });
}
