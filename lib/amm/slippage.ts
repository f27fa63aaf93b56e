/**
 * Trade settings: how far the price may move against a trade before it reverts (slippage), and how long a
 * signed trade stays valid (deadline). One module for the swap, the compute page and the pool page.
 */
import type { Field } from "../forms";

export const DEFAULT_SLIPPAGE = "0.5";
export const DEFAULT_DEADLINE_MINUTES = "30";

/** Slippage typed as a percentage ("0.5", "1%"), in basis points; from 0.01% to 50%. */
export function parseSlippage(input: string): Field<bigint> {
  const trimmed = input.trim().replace(/%$/, "");
  if (!/^\d*\.?\d{0,2}$/.test(trimmed) || trimmed === "" || trimmed === ".") {
    return { error: "Enter the slippage as a percentage with at most two decimals, like 0.5." };
  }
  const bps = Math.round(Number(trimmed) * 100);
  if (bps < 1 || bps > 5000) return { error: "Slippage must be from 0.01% to 50%." };
  return { value: BigInt(bps) };
}

/** What a slippage setting risks: above 1% a worse price may be accepted, above 5% a sandwich is likely. */
export function slippageWarning(bps: bigint): string | undefined {
  if (bps > 500n) return "Above 5%: a trader who sees your transaction can move the price against you by that much.";
  if (bps > 100n) return "Above 1%: you may pay noticeably more than quoted if the price moves.";
  return undefined;
}

/** A deadline in whole minutes, from 1 to 4,320 (three days). */
export function parseDeadlineMinutes(input: string): Field<number> {
  const trimmed = input.trim();
  if (!/^\d+$/.test(trimmed)) return { error: "Enter the deadline in whole minutes, like 30." };
  const minutes = Number(trimmed);
  if (minutes < 1 || minutes > 4320) return { error: "The deadline must be from 1 to 4,320 minutes (three days)." };
  return { value: minutes };
}
