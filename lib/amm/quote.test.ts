import { describe, expect, it } from "vitest";
import {
  protocolFeeShares,
  amountsForBurn,
  liquidityMinted,
  maximumSent,
  minimumReceived,
  MINIMUM_LIQUIDITY,
  QuoteError,
  quoteExactIn,
  quoteExactOut,
} from "./quote";
import { sqrt } from "../math";

describe("slippage bounds", () => {
  it("minimum received rounds down and maximum sent rounds up", () => {
    expect(minimumReceived(1_000_000n, 50n)).toBe(995_000n);
    expect(minimumReceived(999n, 50n)).toBe(994n);
    expect(maximumSent(1_000_000n, 50n)).toBe(1_005_000n);
    expect(maximumSent(999n, 50n)).toBe(1_004n);
  });
});

describe("quotes", () => {
  const pool = { reserveIn: 1_400_000n * 10n ** 6n, reserveOut: 1_000_000n * 10n ** 18n, fee: 30n };

  it("report each hop's fee in its input token", () => {
    const q = quoteExactIn(1_000n * 10n ** 6n, [pool]);
    expect(q.fees).toEqual([3n * 10n ** 6n]);
    expect(q.amounts[0]).toBe(1_000n * 10n ** 6n);
  });

  it("round-trip: the input an exact-out quote asks for buys at least that output", () => {
    const out = 123n * 10n ** 18n;
    const q = quoteExactOut(out, [pool]);
    expect(quoteExactIn(q.amounts[0]!, [pool]).amounts[1]).toBeGreaterThanOrEqual(out);
  });

  it("refuse an empty pool, an empty path and an output the pool cannot pay", () => {
    expect(() => quoteExactIn(1n, [{ ...pool, reserveIn: 0n }])).toThrow(QuoteError);
    expect(() => quoteExactIn(1n, [])).toThrow(QuoteError);
    expect(() => quoteExactOut(pool.reserveOut, [pool])).toThrow(/does not hold that much/);
  });
});

describe("liquidity", () => {
  it("sqrt is the floor of the square root", () => {
    expect(sqrt(0n)).toBe(0n);
    expect(sqrt(15n)).toBe(3n);
    expect(sqrt(16n)).toBe(4n);
    expect(sqrt(2n ** 224n - 1n)).toBe(2n ** 112n - 1n);
  });

  it("the first deposit mints √(a·b) less the locked minimum (as the pool's forge test)", () => {
    expect(liquidityMinted(4n * 10n ** 18n, 9n * 10n ** 6n, 0n, 0n, 0n)).toBe(
      sqrt(36n * 10n ** 24n) - MINIMUM_LIQUIDITY,
    );
    expect(liquidityMinted(1_000n, 1_000n, 0n, 0n, 0n)).toBe(0n);
  });

  it("later deposits mint pro rata of the smaller side, and burns pay pro rata", () => {
    expect(liquidityMinted(100n, 300n, 1_000n, 2_000n, 500n)).toBe(50n);
    expect(amountsForBurn(50n, 1_100n, 2_300n, 550n)).toEqual({ amount0: 100n, amount1: 209n });
  });
});

describe("protocolFeeShares", () => {
  it("mints the protocol its share of the growth in √k, as Pool._mintProtocolFee does, and nothing when off", () => {
    // √k grew from 1,000 to 1,100 with 1,000 shares out and a 1/6 share (1,667 bps):
    // 1,000 · 1,667 · 100 / (1,100 · 8,333 + 1,000 · 1,667) = 166,700,000 / 10,833,300 = 15.39… → 15.
    expect(protocolFeeShares(1_100n, 1_100n, 1_000n * 1_000n, 1_000n, 1_667n)).toBe(15n);
    expect(protocolFeeShares(1_100n, 1_100n, 1_000n * 1_000n, 1_000n, 0n)).toBe(0n);
    expect(protocolFeeShares(1_000n, 1_000n, 1_000n * 1_000n, 1_000n, 1_667n)).toBe(0n);
  });
});
