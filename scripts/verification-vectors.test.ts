/** The committed Solidity vectors are what lib/verification/work.ts computes today: a change to the work (or to
 * the file) fails here until `npm run verification:vectors` rewrites it and the Solidity agrees again. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { GPU_SHAPE, MAX_ROUNDS, tilesPerRound } from "../lib/verification/work";
import { throughputVectors, VECTORS_FILE, vectorsJson } from "./verification-vectors";

it("contracts/test/fixtures/throughput-vectors.json is current", () => {
  expect(readFileSync(VECTORS_FILE, "utf8")).toBe(vectorsJson());
});

it("writes every uint64 in full, as a decimal string", () => {
  const json = vectorsJson();
  // splitmix64's first output for seed 0 (word(0, 0, 0, 0, 0)), past 2^53.
  expect(json).toContain(`"word": "${0xe220a8397b1dcdafn}"`);
  expect(json).toContain(`"word": "`);
});

it("sorts every object's keys (forge decodes objects into structs in alphabetical key order)", () => {
  const check = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(check);
    if (value === null || typeof value !== "object") return;
    const keys = Object.keys(value);
    expect(keys).toEqual([...keys].sort());
    Object.values(value).forEach(check);
  };
  check(JSON.parse(readFileSync(VECTORS_FILE, "utf8")));
});

it("covers v2: A's words at round 0 only, B's at the last rounds, a GPU-shape group and element", () => {
  const v = throughputVectors();
  for (const w of v.words) if (w.matrix === 0) expect(w.round).toBe(0);
  expect(v.words.some((w) => w.matrix === 1 && w.round === MAX_ROUNDS - 1)).toBe(true);
  const gpu = v.groups.find((g) => g.shape.groupTiles === GPU_SHAPE.groupTiles);
  expect(gpu?.stats.length).toBe(2 + 2 * 8 * GPU_SHAPE.groupTiles);
  expect(v.elements.some((e) => e.shape.inner === GPU_SHAPE.inner)).toBe(true);
  expect(Math.max(...v.audits.map((a) => a.tileCount))).toBe(MAX_ROUNDS * tilesPerRound(GPU_SHAPE));
});
