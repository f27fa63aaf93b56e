import { describe, expect, it } from "vitest";
import { parseDeadlineMinutes, parseSlippage, slippageWarning } from "./slippage";

describe("trade settings", () => {
  it("reads slippage as a percentage into basis points", () => {
    expect(parseSlippage("0.5")).toEqual({ value: 50n });
    expect(parseSlippage(" 1% ")).toEqual({ value: 100n });
    expect(parseSlippage("0.01")).toEqual({ value: 1n });
    expect(parseSlippage("50")).toEqual({ value: 5000n });
  });

  it("refuses what is not a sane slippage, saying why", () => {
    expect(parseSlippage("")).toHaveProperty("error");
    expect(parseSlippage("abc")).toHaveProperty("error");
    expect(parseSlippage("0.001")).toHaveProperty("error");
    expect(parseSlippage("0")).toEqual({ error: "Slippage must be from 0.01% to 50%." });
    expect(parseSlippage("51")).toEqual({ error: "Slippage must be from 0.01% to 50%." });
  });

  it("warns above 1% and more loudly above 5%", () => {
    expect(slippageWarning(50n)).toBeUndefined();
    expect(slippageWarning(100n)).toBeUndefined();
    expect(slippageWarning(101n)).toMatch(/^Above 1%/);
    expect(slippageWarning(501n)).toMatch(/^Above 5%/);
  });

  it("reads a deadline in minutes", () => {
    expect(parseDeadlineMinutes("30")).toEqual({ value: 30 });
    expect(parseDeadlineMinutes("0")).toHaveProperty("error");
    expect(parseDeadlineMinutes("1.5")).toHaveProperty("error");
  });
});
