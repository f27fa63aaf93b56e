import { expect, it } from "vitest";
import { parseWithBigints, stringifyWithBigints } from "./json";

it("round-trips bigints of any size beside ordinary values", () => {
  const value = { a: 2n ** 200n, b: [-1n, 0n], c: "text", d: { $bigint: 1, other: true }, e: null };
  expect(parseWithBigints(stringifyWithBigints(value))).toEqual(value);
});
