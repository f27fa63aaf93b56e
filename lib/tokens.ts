/** The tokens Hourglass shows, and how their amounts are written for people. */
import { formatUnits, parseUnits } from "viem";

export interface TokenInfo {
  symbol: string;
  decimals: number;
  /** Fraction digits worth showing: cents for dollars, more for credits and gas. */
  displayDecimals: number;
}

export const ETH: TokenInfo = { symbol: "ETH", decimals: 18, displayDecimals: 4 };
export const USDC: TokenInfo = { symbol: "USDC", decimals: 6, displayDecimals: 2 };
/** 1 SCU = one hour of the reference GPU (A100 80GB SXM). */
export const SCU: TokenInfo = { symbol: "SCU", decimals: 18, displayDecimals: 4 };

/**
 * `value` base units as a grouped decimal, rounded down to the token's display precision: 12,345.67.
 * Trailing zeros are dropped unless `minDecimals` keeps them (money keeps its cents: 1.40).
 */
export function formatAmount(
  value: bigint,
  token: TokenInfo,
  displayDecimals = token.displayDecimals,
  minDecimals = 0,
): string {
  const negative = value < 0n;
  const [whole, fraction = ""] = formatUnits(negative ? -value : value, token.decimals).split(".");
  const grouped = BigInt(whole!).toLocaleString("en-US");
  const kept = fraction.slice(0, displayDecimals).replace(/0+$/, "");
  const shown = kept.padEnd(Math.min(minDecimals, displayDecimals), "0");
  return `${negative ? "-" : ""}${grouped}${shown ? `.${shown}` : ""}`;
}

/** USDC base units as dollars, always with cents: $1.40, $12,345.67 (more places for a unit price: $1.4012). */
export const formatUsd = (value: bigint, displayDecimals = USDC.displayDecimals) =>
  `${value < 0n ? "-" : ""}$${formatAmount(value < 0n ? -value : value, USDC, displayDecimals, 2)}`;

/** The same with the symbol: 12,345.67 USDC */
export const formatToken = (value: bigint, token: TokenInfo) => `${formatAmount(value, token)} ${token.symbol}`;

/** Parses what a person typed ("1,000.5") into base units, or explains why it cannot. */
export function parseAmount(input: string, token: TokenInfo): { value: bigint } | { error: string } {
  const cleaned = input.replace(/[,_\s]/g, "");
  if (cleaned === "") return { error: "Enter an amount." };
  if (!/^\d*\.?\d*$/.test(cleaned) || cleaned === ".") return { error: "Enter a number, like 1000 or 2.5." };
  const fraction = cleaned.split(".")[1] ?? "";
  if (fraction.length > token.decimals) {
    return { error: `${token.symbol} has at most ${token.decimals} decimal places.` };
  }
  const value = parseUnits(cleaned, token.decimals);
  if (value === 0n) return { error: "Enter an amount above zero." };
  return { value };
}
