import { zeroAddress, type Address } from "viem";
import { describe, expect, it } from "vitest";
import type { PoolEvent } from "./history";
import { positionOf } from "./position";

const A = "0x000000000000000000000000000000000000000a" as Address;
const B = "0x000000000000000000000000000000000000000b" as Address;
const ROUTER = "0x00000000000000000000000000000000000000f0" as Address;
let n = 0;
const at = (tx: string) => ({ blockNumber: BigInt(++n), logIndex: 0, t: 1000 + n, txHash: tx as `0x${string}` });
const shares = (tx: string, from: Address, to: Address, value: bigint): PoolEvent => ({
  ...at(tx),
  kind: "transfer",
  from,
  to,
  value,
});
// token0 = USDC here (scuIsToken0 false): amount0 is USDC.
const mint = (tx: string, to: Address, usdc: bigint, scu: bigint, liquidity: bigint): PoolEvent => ({
  ...at(tx),
  kind: "mint",
  sender: ROUTER,
  to,
  amount0: usdc,
  amount1: scu,
  liquidity,
  reserve0: 0n,
  reserve1: 0n,
});
const burn = (tx: string, usdc: bigint, scu: bigint, liquidity: bigint): PoolEvent => ({
  ...at(tx),
  kind: "burn",
  sender: ROUTER,
  to: A,
  amount0: usdc,
  amount1: scu,
  liquidity,
  reserve0: 0n,
  reserve1: 0n,
});
const swapUsdcIn = (fee: bigint): PoolEvent => ({
  ...at(`0xs${n}`),
  kind: "swap",
  sender: ROUTER,
  to: B,
  zeroForOne: true,
  amountIn: fee * 333n,
  amountOut: 1n,
  fee,
  reserve0: 0n,
  reserve1: 0n,
});

const history = (): PoolEvent[] => [
  shares("0x1", zeroAddress, B, 900n),
  mint("0x1", B, 9_000n, 900n, 900n),
  shares("0x2", zeroAddress, A, 100n),
  mint("0x2", A, 1_000n, 100n, 100n),
  swapUsdcIn(3_000n),
];

describe("positionOf", () => {
  const input = { account: A, scuIsToken0: false, reserves: { usdc: 10_000n, scu: 1_000n }, protocolShareBps: 0n };

  it("earns its part of each swap's fee while it holds shares, and holds its part of the reserves", () => {
    const report = positionOf({ ...input, events: history() });
    expect(report.history).toBe("complete");
    expect(report.shares).toBe(100n);
    expect(report.totalSupply).toBe(1_000n);
    expect(report.fees).toEqual({ usdc: 300n, scu: 0n }); // 3,000 × 100/1,000
    expect(report.value).toEqual({ usdc: 1_000n, scu: 100n });
    expect(report.basis).toEqual({ usdc: 1_000n, scu: 100n });
    expect(report.deposits).toHaveLength(1);
  });

  it("leaves the protocol's cut out when the protocol fee is on", () => {
    expect(positionOf({ ...input, events: history(), protocolShareBps: 1_000n }).fees.usdc).toBe(270n);
  });

  it("earns nothing from swaps before its deposit or after its withdrawal, and takes the basis out pro rata", () => {
    const events = [
      swapUsdcIn(5_000n),
      ...history(),
      shares("0x3", A, zeroAddress, 50n),
      burn("0x3", 500n, 50n, 50n),
      swapUsdcIn(950n), // supply 950, A holds 50: 50
    ];
    const report = positionOf({ ...input, events });
    expect(report.fees.usdc).toBe(300n + 50n);
    expect(report.basis).toEqual({ usdc: 500n, scu: 50n });
    expect(report.withdrawals).toHaveLength(1);
  });

  it("says when it has no history, and when shares came by transfer (no deposit price to compare with)", () => {
    expect(
      positionOf({ ...input, events: history(), account: "0x00000000000000000000000000000000000000cc" }).history,
    ).toBe("none");
    const events = [...history(), shares("0x4", B, A, 10n)];
    expect(positionOf({ ...input, events }).history).toBe("transfers");
  });
});
