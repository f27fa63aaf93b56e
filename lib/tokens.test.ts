import { describe, expect, it } from "vitest";
import { formatAmount, formatToken, formatUsd, parseAmount, SCU, USDC } from "./tokens";

describe("formatAmount", () => {
  it("groups thousands and keeps the token's display precision, rounding down", () => {
    expect(formatAmount(12_345_678_901n, USDC)).toBe("12,345.67");
    expect(formatAmount(1_000n * 10n ** 18n, SCU)).toBe("1,000");
    expect(formatAmount(123_456_789n * 10n ** 10n, SCU)).toBe("1.2345");
  });

  it("writes zero, dust and negatives plainly", () => {
    expect(formatAmount(0n, USDC)).toBe("0");
    expect(formatAmount(1n, USDC)).toBe("0");
    expect(formatAmount(-2_500_000n, USDC)).toBe("-2.5");
  });

  it("writes money with its cents", () => {
    expect(formatUsd(1_400_000n)).toBe("$1.40");
    expect(formatUsd(1_401_234n, 4)).toBe("$1.4012");
    expect(formatUsd(1_400_000n, 4)).toBe("$1.40");
    expect(formatUsd(12_345_000_000n)).toBe("$12,345.00");
    expect(formatUsd(-2_500_000n)).toBe("-$2.50");
    expect(formatUsd(0n)).toBe("$0.00");
  });

  it("names the token", () => {
    expect(formatToken(10_000_000_000n, USDC)).toBe("10,000 USDC");
  });
});

describe("parseAmount", () => {
  it("accepts what people type", () => {
    expect(parseAmount("1,000.5", USDC)).toEqual({ value: 1_000_500_000n });
    expect(parseAmount(" 42 ", USDC)).toEqual({ value: 42_000_000n });
    expect(parseAmount(".5", USDC)).toEqual({ value: 500_000n });
  });

  it("explains what it refuses", () => {
    expect(parseAmount("", USDC)).toEqual({ error: "Enter an amount." });
    expect(parseAmount("abc", USDC)).toEqual({ error: "Enter a number, like 1000 or 2.5." });
    expect(parseAmount("1.2.3", USDC)).toEqual({ error: "Enter a number, like 1000 or 2.5." });
    expect(parseAmount("0", USDC)).toEqual({ error: "Enter an amount above zero." });
    expect(parseAmount("1.0000001", USDC)).toEqual({ error: "USDC has at most 6 decimal places." });
  });
});
