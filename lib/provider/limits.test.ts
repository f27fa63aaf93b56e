import { describe, expect, it } from "vitest";
import { mintLimits, requiredStake } from "./limits";

const SCU = 10n ** 18n;
const book = { stake: 15_000_000_000n, obligation: 0n, jobCredits: 0n, obligationBound: 100_000n * SCU, referencePrice: 1_000_000n, collateralRatioBps: 15_000n };

describe("mintLimits", () => {
  it("is the stake's headroom when collateral binds, to the wei", () => {
    // $15,000 at $1 and 150% backs 10,000 SCU.
    const limits = mintLimits(book);
    expect(limits.limitedBy).toBe("stake");
    expect(requiredStake(limits.maxMint, 0n, book.referencePrice, book.collateralRatioBps)).toBeLessThanOrEqual(book.stake);
    expect(requiredStake(limits.maxMint + 1n, 0n, book.referencePrice, book.collateralRatioBps)).toBeGreaterThan(book.stake);
    expect(limits.maxMint / SCU).toBe(10_000n);
  });

  it("is the capacity's headroom when listed hours bind", () => {
    const limits = mintLimits({ ...book, stake: 10n ** 15n, obligation: 40_000n * SCU });
    expect(limits).toMatchObject({ limitedBy: "capacity", maxMint: 60_000n * SCU });
  });

  it("counts open jobs' credits against the stake and mints nothing past either bound", () => {
    expect(mintLimits({ ...book, jobCredits: 15_000n * SCU }).maxMint).toBe(0n);
    expect(mintLimits({ ...book, obligation: 200_000n * SCU, stake: 10n ** 15n }).maxMint).toBe(0n);
  });

  it("says where the price would make the obligation liquidatable, and the collateral ratio now", () => {
    const limits = mintLimits({ ...book, obligation: 5_000n * SCU });
    // $15,000 ÷ (5,000 SCU × 150%) = $2.00 per SCU; at $1 the stake is 300% of the obligation.
    expect(limits.liquidationPrice).toBe(2_000_000n);
    expect(limits.collateralRatioWad).toBe(3n * 10n ** 18n);
    expect(limits.required).toBe(7_500_000_000n);
  });
});
