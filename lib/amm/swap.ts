/** A swap at the SCU/USDC pool as the app offers it: buying SCU with USDC, or selling it for USDC. */
import type { Address } from "viem";
import { SCU, USDC, type TokenInfo } from "../tokens";

export type SwapDirection = "buy" | "sell";

/** What each direction pays and receives. */
export const SWAP_SIDES: Record<SwapDirection, { from: TokenInfo; to: TokenInfo }> = {
  buy: { from: USDC, to: SCU },
  sell: { from: SCU, to: USDC },
};

/** The router's path for `direction`: the token paid first, the token received last. */
export function swapPath(
  direction: SwapDirection,
  { USDC: usdc, ComputeCredit: scu }: { USDC: Address; ComputeCredit: Address },
): [Address, Address] {
  return direction === "buy" ? [usdc, scu] : [scu, usdc];
}
