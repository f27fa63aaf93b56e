import { describe, expect, it } from "vitest";
import { isScuToken0, poolState, reservesByToken } from "./pool";

const scu = "0x00000000000000000000000000000000000000aA" as const;
const usdc = "0x00000000000000000000000000000000000000bb" as const;

describe("the pool's reserves named by token", () => {
  it("knows SCU is token0 whatever the address's case", () => {
    expect(isScuToken0(scu.toLowerCase() as `0x${string}`, scu)).toBe(true);
    expect(isScuToken0(usdc, scu)).toBe(false);
  });

  it("names (reserve0, reserve1) in either sort order", () => {
    expect(reservesByToken(true, 1n, 2n)).toEqual({ scu: 1n, usdc: 2n });
    expect(reservesByToken(false, 1n, 2n)).toEqual({ scu: 2n, usdc: 1n });
  });

  it("keeps the fee the pool charges", () => {
    expect(poolState(scu, scu, 10n, 20n, 30n)).toEqual({ scu: 10n, usdc: 20n, fee: 30n });
    expect(poolState(usdc, scu, 10n, 20n, 30n)).toEqual({ scu: 20n, usdc: 10n, fee: 30n });
  });
});
