import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BodyTooLarge, readCapped } from "./cappedBody";

/** A web stream of `count` chunks of `size` bytes, pulled one at a time, that counts what was pulled. */
function webStream(count: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled === count) return controller.close();
        seen.pulled++;
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

describe("readCapped", () => {
  it("reads a web stream or a Node stream whole when it is within the limit", async () => {
    expect((await readCapped(webStream(4, 10).stream, 40)).length).toBe(40);
    expect(new TextDecoder().decode(await readCapped(Readable.from([Buffer.from("ab"), Buffer.from("cd")]), 4))).toBe(
      "abcd",
    );
    expect((await readCapped(null, 4)).length).toBe(0);
  });

  it("stops at the chunk that crosses the limit and cancels a web stream", async () => {
    const { stream, seen } = webStream(1000, 10);
    await expect(readCapped(stream, 95)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(seen).toEqual({ pulled: 10, cancelled: true });
  });

  it("destroys a Node stream past the limit", async () => {
    const source = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(1024);
      })(),
    );
    await expect(readCapped(source, 4096)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(source.destroyed).toBe(true);
  });

  it("refuses a declared length over the limit without reading", async () => {
    const { stream, seen } = webStream(1, 10);
    await expect(readCapped(stream, 5, 6)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(seen.pulled).toBe(0);
  });

  it("rejects with the stream's own error when it fails", async () => {
    const failing = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new Error("gone")) });
    await expect(readCapped(failing, 10)).rejects.toThrow("gone");
  });
});
