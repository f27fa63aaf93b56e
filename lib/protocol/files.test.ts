import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { filePathProblem, formatBytes, inputsProblem, manifestHash, MAX_INPUT_FILES, type FileManifest } from "./files";

describe("job file paths", () => {
  it("take plain relative names, in folders for outputs", () => {
    for (const ok of ["a", "data.txt", "ckpt/step-000100.pt", "A_b-c.1/x"])
      expect(filePathProblem(ok), ok).toBeUndefined();
    expect(filePathProblem("ckpt/step.pt", { flat: true })).toMatch(/without folders/);
  });

  it("refuse traversal, hidden and odd names, absolute paths, and what is too deep or long", () => {
    for (const bad of ["", "..", "../x", "a/../b", ".env", "/etc/passwd", "a//b", "a/", "a b", "a%2Fb", "a\\b", "é"])
      expect(filePathProblem(bad), bad).toBeDefined();
    expect(filePathProblem(Array(9).fill("a").join("/"))).toMatch(/deep/);
    expect(filePathProblem("a".repeat(129))).toBeDefined();
  });

  it("check a buyer's chosen inputs before anything is sent", () => {
    expect(inputsProblem([{ name: "a.txt", size: 1 }])).toBeUndefined();
    expect(
      inputsProblem([
        { name: "a.txt", size: 1 },
        { name: "a.txt", size: 2 },
      ]),
    ).toMatch(/Two inputs/);
    expect(inputsProblem([{ name: ".secret", size: 1 }])).toMatch(/cannot be sent/);
    expect(inputsProblem(Array.from({ length: MAX_INPUT_FILES + 1 }, (_, i) => ({ name: `f${i}`, size: 1 })))).toMatch(
      /at most/,
    );
  });
});

describe("the manifest hash", () => {
  it("is SHA-256 of the canonical JSON: key order does not change it, a byte of content does", () => {
    const entry = { path: "a", size: 1, sha256: `0x${"11".repeat(32)}` };
    const manifest: FileManifest = { inputs: [], outputs: [entry], omitted: 0 };
    const reordered = JSON.parse(
      '{"omitted":0,"outputs":[{"sha256":"0x' + "11".repeat(32) + '","size":1,"path":"a"}],"inputs":[]}',
    );
    expect(manifestHash(reordered)).toBe(manifestHash(manifest));
    // What a buyer recomputes with any SHA-256: the keys sorted, no whitespace (docs/jobs.md).
    const canonical = `{"inputs":[],"omitted":0,"outputs":[{"path":"a","sha256":"0x${"11".repeat(32)}","size":1}]}`;
    expect(manifestHash(manifest)).toBe(`0x${createHash("sha256").update(canonical).digest("hex")}`);
    expect(manifestHash({ ...manifest, omitted: 1 })).not.toBe(manifestHash(manifest));
  });

  it("sizes read as people read them", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3 * 2 ** 30)).toBe("3.0 GiB");
  });
});
