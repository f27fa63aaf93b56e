"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { InfoTip } from "@/components/InfoTip";
import { describeError } from "@/lib/errors";
import { usePool } from "@/lib/hooks/usePool";
import { parseWithBigints } from "@/lib/json";
import { WAD } from "@/lib/math";
import { inUsdc, type Pair, type PositionReport } from "@/lib/pool/position";
import { formatAmount, formatUsd, SCU, USDC } from "@/lib/tokens";

const pair = ({ usdc, scu }: Pair) => `${formatAmount(usdc, USDC, 6)} USDC + ${formatAmount(scu, SCU, 6)} SCU`;
const pct = (wad: bigint) => `${(Number(wad) / 1e16).toFixed(4)}%`;

/** The connected account's LP position: what it holds, what it earned, and how it compares with holding. */
export function PositionPanel({ pool }: { pool: Address }) {
  const { address } = useAccount();
  const state = usePool(address);
  const position = useQuery({
    // Keyed by the block's shares and reserves: a new swap or deposit fetches again, a quiet block does not.
    queryKey: ["position", pool, address, String(state.data?.reserve0), String(state.data?.shares)],
    queryFn: async () => {
      const response = await fetch(`/api/pools/${pool}/position/${address}`);
      const text = await response.text();
      if (!response.ok)
        throw new Error((JSON.parse(text) as { error?: string }).error ?? `The route answered ${response.status}.`);
      return parseWithBigints<PositionReport>(text);
    },
    enabled: Boolean(address && state.data),
    placeholderData: (previous) => previous,
  });

  if (!address) {
    return (
      <section className="panel" aria-labelledby="position-heading">
        <h2 id="position-heading" className="panel-title">
          Your position
        </h2>
        <p className="mb-3 text-sm text-stone-300">Connect a wallet to see your position.</p>
        <ConnectButton />
      </section>
    );
  }
  const report = position.data;
  const price = state.data && state.data.scu > 0n ? (state.data.usdc * WAD) / state.data.scu : undefined;
  return (
    <section className="panel" aria-labelledby="position-heading" data-testid="position">
      <h2 id="position-heading" className="panel-title">
        Your position
      </h2>
      {position.error && (
        <p role="alert" className="text-sm text-rose-300">
          {describeError(position.error)}
        </p>
      )}
      {!report || price === undefined ? (
        <div
          className="h-48 animate-pulse rounded-lg bg-stone-900"
          aria-busy="true"
          aria-label="Loading your position"
        />
      ) : report.history === "none" ? (
        <p className="text-sm text-stone-300" data-testid="position-none">
          This account has not provided liquidity to this pool: no position, nothing earned.
        </p>
      ) : (
        <Figures report={report} price={price} />
      )}
    </section>
  );
}

function Figures({ report, price }: { report: PositionReport; price: bigint }) {
  const value = inUsdc(report.value, price);
  const fees = inUsdc(report.fees, price);
  const hold = inUsdc(report.basis, price);
  const share = report.totalSupply === 0n ? 0n : (report.shares * WAD) / report.totalSupply;
  // Against holding: the part of the difference that fees do not explain is impermanent loss.
  const il = value - hold - fees;
  const complete = report.history === "complete";
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-3 text-sm">
      <dt className="text-stone-400">LP shares</dt>
      <dd
        className="text-right font-mono tabular-nums"
        data-testid="position-shares"
        data-value={String(report.shares)}
      >
        {formatAmount(report.shares, SCU, 6)}
      </dd>
      <dt className="text-stone-400">
        Share of the pool
        <InfoTip text="Your LP shares ÷ all LP shares. You own that part of both reserves." />
      </dt>
      <dd className="text-right font-mono tabular-nums">{pct(share)}</dd>
      <dt className="text-stone-400">
        Value now
        <InfoTip text="Your share of today's reserves, both tokens, the SCU at the pool's price." />
      </dt>
      <dd className="text-right">
        <span className="font-mono tabular-nums" data-testid="position-value">
          {formatUsd(value)}
        </span>
        <span className="block text-xs text-stone-400">{pair(report.value)}</span>
      </dd>
      {complete ? (
        <>
          <dt className="text-stone-400">
            Fees earned
            <InfoTip text="For every swap while you held shares: your shares ÷ all shares at that moment × the fee that swap left in the pool, in the token it was paid in (less the protocol's cut when that is on). Since your first deposit." />
          </dt>
          <dd className="text-right">
            <span
              className="font-mono tabular-nums text-emerald-300"
              data-testid="position-fees"
              data-usdc={String(report.fees.usdc)}
              data-scu={String(report.fees.scu)}
            >
              {formatUsd(fees, 4)}
            </span>
            <span className="block text-xs text-stone-400">{pair(report.fees)}</span>
          </dd>
          <dt className="text-stone-400">
            Had you held
            <InfoTip text="The tokens you deposited (less the part of them you withdrew), valued at today's price: what they would be worth had they stayed in your wallet." />
          </dt>
          <dd className="text-right">
            <span className="font-mono tabular-nums">{formatUsd(hold)}</span>
            <span className="block text-xs text-stone-400">{pair(report.basis)}</span>
          </dd>
          <dt className="text-stone-400">
            Impermanent loss
            <InfoTip text="Value now − had you held − fees earned: what the price moving cost the position, fees aside. Zero when the price is where you deposited." />
          </dt>
          <dd className="text-right font-mono tabular-nums" data-testid="position-il">
            {formatUsd(il, 4)}
            {hold > 0n && (
              <span className="block text-xs text-stone-400">
                {((Number(il) / Number(hold)) * 100).toFixed(3)}% of holding
              </span>
            )}
          </dd>
          <dt className="text-stone-400">History</dt>
          <dd className="text-right text-xs text-stone-400">
            {report.deposits.length} deposit{report.deposits.length === 1 ? "" : "s"}, {report.withdrawals.length}{" "}
            withdrawal
            {report.withdrawals.length === 1 ? "" : "s"}
          </dd>
        </>
      ) : (
        <p className="col-span-2 text-sm text-amber-300">
          Some of these shares came or went by a plain transfer, which has no deposit price: fees earned and the
          comparison with holding are not shown rather than guessed.
        </p>
      )}
    </dl>
  );
}
