import { describe, expect, it } from "vitest";
import { canonicalJson, jobSpecSchema, parseSpecJson, specHash, type JobSpec } from "./spec";

const spec: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: ["node", "-e", "console.log(1)"],
  env: { SIZE: "512" },
};

describe("job spec", () => {
  it("hashes the same spec the same way whatever its key order", () => {
    const reordered = JSON.parse(
      '{"env":{"SIZE":"512"},"command":["node","-e","console.log(1)"],"image":"node:22-slim","version":1}',
    );
    expect(specHash(reordered)).toBe(specHash(spec));
    expect(specHash({ ...spec, env: { SIZE: "513" } })).not.toBe(specHash(spec));
  });

  it("writes canonical JSON with sorted keys and no whitespace", () => {
    expect(canonicalJson({ b: [2, { d: 1, c: "x" }], a: null })).toBe('{"a":null,"b":[2,{"c":"x","d":1}]}');
  });

  it("refuses unknown fields, reserved env names and a shell-less empty command", () => {
    expect(jobSpecSchema.safeParse({ ...spec, privileged: true }).success).toBe(false);
    expect(jobSpecSchema.safeParse({ ...spec, env: { LD_PRELOAD: "/x.so" } }).success).toBe(false);
    expect(jobSpecSchema.safeParse({ ...spec, env: { lower: "x" } }).success).toBe(false);
    expect(jobSpecSchema.safeParse({ ...spec, command: [] }).success).toBe(false);
    expect(jobSpecSchema.safeParse({ ...spec, image: "Bad Image" }).success).toBe(false);
  });
});

describe("parseSpecJson", () => {
  it("reads a spec a person wrote, filling defaults", () => {
    expect(parseSpecJson('{"version":1,"image":"node:22-slim","command":["node","-v"]}')).toEqual({
      spec: { version: 1, image: "node:22-slim", command: ["node", "-v"], env: {} },
    });
  });

  it("says what is wrong, by field", () => {
    expect(parseSpecJson("{")).toEqual({ error: "The custom spec is not valid JSON." });
    expect(parseSpecJson('{"version":1,"image":"node:22-slim","command":[]}')).toHaveProperty(
      "error",
      expect.stringMatching(/^The custom spec's command is wrong/),
    );
    expect(parseSpecJson('{"version":1,"image":"node","command":["x"],"env":{"PATH":"/"}}')).toHaveProperty(
      "error",
      expect.stringMatching(/env\.PATH is wrong: reserved/),
    );
  });
});
