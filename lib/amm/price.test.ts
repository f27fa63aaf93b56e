import { describe, expect, it } from "vitest";
import { WAD } from "../math";
import { scuInUsdc, spotUsdcPerScu, usdcPerGpuHour } from "./price";

describe("prices from the pool's reserves", () => {
  it("prices a whole SCU in USDC base units, rounded down", () => {
    // 1,000 SCU against 2,500 USDC: $2.50 an SCU.
    expect(spotUsdcPerScu(1_000n * WAD, 2_500_000_000n)).toBe(2_500_000n);
    // 3 SCU against 1 USDC: 333,333.33… base units, rounded down.
    expect(spotUsdcPerScu(3n * WAD, 1_000_000n)).toBe(333_333n);
  });

  it("has no price while the pool holds no SCU", () => {
    expect(spotUsdcPerScu(0n, 0n)).toBeUndefined();
    expect(spotUsdcPerScu(0n, 1_000_000n)).toBeUndefined();
  });

  it("values SCU in USDC at a price, rounded down", () => {
    expect(scuInUsdc(4n * WAD, 2_500_000n)).toBe(10_000_000n);
    expect(scuInUsdc(WAD / 2n, 3n)).toBe(1n);
    expect(scuInUsdc(0n, 2_500_000n)).toBe(0n);
  });

  it("prices a GPU-hour as the SCU price times the class's rating", () => {
    expect(usdcPerGpuHour(2_500_000n, WAD)).toBe(2_500_000n);
    // A rating of 2.283 SCU per GPU-hour at $2.50: $5.7075.
    expect(usdcPerGpuHour(2_500_000n, 2_283n * 10n ** 15n)).toBe(5_707_500n);
    // Rounded down to a base unit.
    expect(usdcPerGpuHour(1n, WAD / 3n)).toBe(0n);
  });
});
