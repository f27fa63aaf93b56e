/** The committed Solidity vectors are what lib/verification/work.ts computes today: a change to the work (or to
 * the file) fails here until `npm run verification:vectors` rewrites it and the Solidity agrees again. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { VECTORS_FILE, vectorsJson } from "./verification-vectors";

it("contracts/test/fixtures/throughput-vectors.json is current", () => {
  expect(readFileSync(VECTORS_FILE, "utf8")).toBe(vectorsJson());
});

it("writes every uint64 in full, as a plain JSON number", () => {
  const json = vectorsJson();
  // splitmix64's first output for seed 0 (word(0, 0, 0, 0, 0)), past 2^53.
  expect(json).toContain(`"word": ${0xe220a8397b1dcdafn}`);
  expect(json).not.toContain("#bigint");
});
