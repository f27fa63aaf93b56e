import { expect, it } from "vitest";
import { ranOutOfGas, withGasMargin } from "./gas";

it("adds a fifth to an estimate", () => {
  expect(withGasMargin(307_352n)).toBe(368_822n);
});

it("tells a transaction that ran out of gas (63/64 of its limit used) from one that reverted with gas left", () => {
  expect(ranOutOfGas(304_893n, 307_352n)).toBe(true); // the CI failure: 99.2% used
  expect(ranOutOfGas(302_550n, 307_352n)).toBe(true); // just over 63/64
  expect(ranOutOfGas(250_000n, 307_352n)).toBe(false);
});
