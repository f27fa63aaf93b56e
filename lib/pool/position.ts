/**
 * What an LP position holds and earned, from the pool's events alone (lib/pool/history.ts), explained in the
 * terms a person checks against:
 * - value now: the account's shares as a part of today's reserves;
 * - fees earned: for every swap while the account held shares, its part (shares ÷ supply then) of the fee
 *   that swap left in the pool, in the token paid in, less the protocol's cut when that is on;
 * - against holding: what the deposited tokens would be worth now had they stayed in the wallet; withdrawals
 *   take their part of that basis pro rata. The difference not explained by fees is impermanent loss.
 * Shares that came or went by a plain transfer have no deposit price: the report says the history is
 * incomplete instead of inventing one.
 */
import type { Address } from "viem";
import { reservesByToken } from "../amm/pool";
import { scuInUsdc } from "../amm/price";
import { FEE_DENOMINATOR } from "../amm/quote";
import { WAD } from "../math";
import type { PoolEvent } from "./history";

/** Amounts of the pool's two tokens, named. */
export interface Pair {
  usdc: bigint;
  scu: bigint;
}

export interface PositionReport {
  shares: bigint;
  totalSupply: bigint;
  /** Tokens the shares are worth at today's reserves. */
  value: Pair;
  /** Fees earned since the first deposit, in the token each was paid in. */
  fees: Pair;
  /** The deposits still in the position, as tokens (what holding would have kept). */
  basis: Pair;
  deposits: { t: number; txHash: `0x${string}`; usdc: bigint; scu: bigint; shares: bigint }[];
  withdrawals: { t: number; txHash: `0x${string}`; usdc: bigint; scu: bigint; shares: bigint }[];
  /** "none": never held shares; "transfers": shares moved by plain transfer, so no basis for them. */
  history: "complete" | "none" | "transfers";
}

export interface PositionInput {
  events: PoolEvent[];
  account: Address;
  /** Whether SCU is the pool's token0 (the pool sorts its tokens by address). */
  scuIsToken0: boolean;
  reserves: Pair;
  /** The protocol's part of swap fees, in basis points (0 when off). */
  protocolShareBps: bigint;
}

export function positionOf({
  events,
  account,
  scuIsToken0,
  reserves,
  protocolShareBps,
}: PositionInput): PositionReport {
  const me = account.toLowerCase();
  const named = (a0: bigint, a1: bigint): Pair => reservesByToken(scuIsToken0, a0, a1);
  let supply = 0n;
  let held = 0n;
  // Fee numerators scaled by WAD, divided once at the end: a sum of exact parts, one rounding.
  let feeUsdc = 0n;
  let feeScu = 0n;
  const basis: Pair = { usdc: 0n, scu: 0n };
  const deposits: PositionReport["deposits"] = [];
  const withdrawals: PositionReport["withdrawals"] = [];
  let transfers = false;
  let everHeld = false;

  // A Mint or Burn follows its share Transfer in the same transaction: remember whose shares moved.
  const sharesMovedBy = new Map<string, { shares: bigint; mine: boolean }>();
  for (const e of events) {
    if (e.kind === "transfer") {
      const from = e.from.toLowerCase();
      const to = e.to.toLowerCase();
      const zero = /^0x0{40}$/;
      if (zero.test(from)) supply += e.value;
      if (zero.test(to)) supply -= e.value;
      if (from === me) held -= e.value;
      if (to === me) held += e.value;
      if (to === me || from === me) everHeld = true;
      const minted = zero.test(from);
      const burned = zero.test(to);
      if ((to === me || from === me) && !minted && !burned) transfers = true;
      if (minted || burned) sharesMovedBy.set(e.txHash, { shares: e.value, mine: (minted ? to : from) === me });
      continue;
    }
    if (e.kind === "swap") {
      if (held > 0n && supply > 0n) {
        const part = (e.fee * held * WAD * (FEE_DENOMINATOR - protocolShareBps)) / (supply * FEE_DENOMINATOR);
        // The fee is in the token paid in: token0 when zeroForOne.
        const feeIsScu = e.zeroForOne === scuIsToken0;
        if (feeIsScu) feeScu += part;
        else feeUsdc += part;
      }
      continue;
    }
    if (e.kind === "mint" || e.kind === "burn") {
      const moved = sharesMovedBy.get(e.txHash);
      if (!moved?.mine) continue;
      const amounts = named(e.amount0, e.amount1);
      if (e.kind === "mint") {
        basis.usdc += amounts.usdc;
        basis.scu += amounts.scu;
        deposits.push({ t: e.t, txHash: e.txHash, ...amounts, shares: e.liquidity });
      } else {
        // `held` is already after the burn: the basis leaves in the part the burned shares were of the whole.
        const before = held + e.liquidity;
        basis.usdc -= (basis.usdc * e.liquidity) / before;
        basis.scu -= (basis.scu * e.liquidity) / before;
        withdrawals.push({ t: e.t, txHash: e.txHash, ...amounts, shares: e.liquidity });
      }
    }
  }

  const value =
    supply === 0n
      ? { usdc: 0n, scu: 0n }
      : { usdc: (held * reserves.usdc) / supply, scu: (held * reserves.scu) / supply };
  return {
    shares: held,
    totalSupply: supply,
    value,
    fees: { usdc: feeUsdc / WAD, scu: feeScu / WAD },
    basis,
    deposits,
    withdrawals,
    history: !everHeld ? "none" : transfers ? "transfers" : "complete",
  };
}

/** A pair's worth in USDC base units at `usdcPerScu` (USDC base units per whole SCU). */
export const inUsdc = ({ usdc, scu }: Pair, usdcPerScu: bigint) => usdc + scuInUsdc(scu, usdcPerScu);
