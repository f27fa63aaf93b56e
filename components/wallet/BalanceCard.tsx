"use client";

import type { Address } from "viem";
import { describeError } from "@/lib/errors";
import { useBalances } from "@/lib/hooks/useBalances";
import { ETH, formatAmount, SCU, USDC, type TokenInfo } from "@/lib/tokens";
import { Panel } from "./WalletPanel";

const ROWS: { key: "eth" | "usdc" | "scu"; token: TokenInfo; note: string }[] = [
  { key: "eth", token: ETH, note: "pays for gas" },
  { key: "usdc", token: USDC, note: "buys compute credits" },
  { key: "scu", token: SCU, note: "1 SCU = 1 A100-hour" },
];

export function BalanceCard({ account }: { account: Address }) {
  const { data, error, isPending } = useBalances(account);
  return (
    <Panel>
      <h2 className="panel-title">Your balances</h2>
      {error && (
        <p role="alert" className="mb-3 text-sm text-rose-300">
          {describeError(error)}
        </p>
      )}
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {ROWS.map(({ key, token, note }) => (
          <div key={key} className="rounded-lg bg-stone-950/60 p-3">
            <dt className="text-xs text-stone-400">
              {token.symbol} <span className="text-stone-400">· {note}</span>
            </dt>
            <dd className="mt-1 h-8 font-mono text-xl tabular-nums text-stone-100" data-testid={`balance-${key}`}>
              {isPending || !data ? (
                <span className="inline-block h-6 w-24 animate-pulse rounded bg-stone-800" aria-label="Loading" />
              ) : (
                formatAmount(data[key], token)
              )}
            </dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}
