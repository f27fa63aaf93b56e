import { describe, expect, it } from "vitest";
import { mintLimits, requiredStake } from "./limits";

const SCU = 10n ** 18n;
const book = {
  stake: 15_000_000_000n,
  obligation: 0n,
  jobCredits: 0n,
  disputeStake: 0n,
  mintBound: 100_000n * SCU,
  priceFresh: true,
  bookingPrice: 1_000_000n,
  collateralRatioBps: 15_000n,
};
const required = (o: bigint, over: Partial<typeof book> = {}) => {
  const b = { ...book, ...over };
  return requiredStake(
    { obligation: o, jobCredits: b.jobCredits, disputeStake: b.disputeStake },
    b.bookingPrice,
    b.collateralRatioBps,
  );
};

describe("mintLimits", () => {
  it("is the stake's headroom when collateral binds, to the wei", () => {
    // $15,000 at $1 and 150% backs 10,000 SCU.
    const limits = mintLimits(book);
    expect(limits.limitedBy).toBe("stake");
    expect(required(limits.maxMint)).toBeLessThanOrEqual(book.stake);
    expect(required(limits.maxMint + 1n)).toBeGreaterThan(book.stake);
    expect(limits.maxMint / SCU).toBe(10_000n);
  });

  it("is the mint bound's headroom when listed hours bind", () => {
    const limits = mintLimits({ ...book, stake: 10n ** 15n, obligation: 40_000n * SCU });
    expect(limits).toMatchObject({ limitedBy: "capacity", maxMint: 60_000n * SCU });
  });

  it("mints nothing without a fresh price, whatever the headroom", () => {
    expect(mintLimits({ ...book, priceFresh: false })).toMatchObject({ limitedBy: "price", maxMint: 0n });
  });

  it("counts open jobs' credits and the stake held for disputes against the stake, and mints nothing past either bound", () => {
    expect(mintLimits({ ...book, jobCredits: 15_000n * SCU }).maxMint).toBe(0n);
    expect(mintLimits({ ...book, obligation: 200_000n * SCU, stake: 10n ** 15n }).maxMint).toBe(0n);
    // $3,000 held for a dispute leaves $12,000 to back credits: 8,000 SCU at $1 and 150%, to the wei.
    const disputed = { ...book, disputeStake: 3_000_000_000n };
    const limits = mintLimits(disputed);
    expect(limits.maxMint / SCU).toBe(8_000n);
    expect(required(limits.maxMint, disputed)).toBeLessThanOrEqual(book.stake);
    expect(required(limits.maxMint + 1n, disputed)).toBeGreaterThan(book.stake);
    expect(limits.required).toBe(3_000_000_000n);
    // A dispute holding more than the stake leaves nothing to mint against.
    expect(mintLimits({ ...book, disputeStake: book.stake + 1n }).maxMint).toBe(0n);
  });

  it("says where the price would make the obligation liquidatable, and the collateral ratio now", () => {
    const limits = mintLimits({ ...book, obligation: 5_000n * SCU });
    // $15,000 ÷ (5,000 SCU × 150%) = $2.00 per SCU; at $1 the stake is 300% of the obligation.
    expect(limits.liquidationPrice).toBe(2_000_000n);
    expect(limits.collateralRatioWad).toBe(3n * 10n ** 18n);
    expect(limits.required).toBe(7_500_000_000n);
  });
});
