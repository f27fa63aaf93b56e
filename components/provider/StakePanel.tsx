"use client";

import { useMutation } from "@tanstack/react-query";
import type { Address } from "viem";
import { InfoTip } from "@/components/InfoTip";
import { SubmitRow } from "@/components/SubmitRow";
import { useBalances } from "@/lib/hooks/useBalances";
import { useChainClock } from "@/lib/hooks/useClock";
import { useRequestUnbond, useStake, useWithdrawStake } from "@/lib/hooks/useRegistryWrites";
import { freeStake, unbondBlocked, unbondExpiresAt, withdrawBlocked } from "@/lib/provider/actions";
import type { ProviderDashboard } from "@/lib/provider/dashboard";
import { formatClock, formatDuration, formatElapsed } from "@/lib/time";
import { formatUsd, USDC } from "@/lib/tokens";
import { AmountAction } from "./AmountAction";

/** The provider's USDC stake: what it holds, what its obligation, open jobs and open disputes lock, what is
 * unbonding, when it unlocks and until when it may leave; add stake, start unbonding, withdraw. */
export function StakePanel({ account, d, readAt }: { account: Address; d: ProviderDashboard; readAt: number }) {
  const balances = useBalances(account);
  const stake = useStake(account);
  const requestUnbond = useRequestUnbond();
  const withdrawStake = useWithdrawStake(account);
  const blocked = withdrawBlocked(d);
  const withdraw = useMutation({ mutationFn: () => withdrawStake(d.unbonding.amount) });
  const held = balances.data?.usdc;

  return (
    <section className="panel grid content-start gap-4" aria-labelledby="stake-heading" data-testid="stake-panel">
      <h2 id="stake-heading" className="panel-title mb-0">
        Stake
      </h2>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
        <dt className="text-stone-400">Staked</dt>
        <dd className="text-right font-mono tabular-nums" data-testid="stake-total">
          {formatUsd(d.stake)}
        </dd>
        <dt className="text-stone-400">
          Locked
          <InfoTip text="What your obligation, open jobs and open disputes need: (collateral ratio × obligation + SCU in open jobs) × the reference price (the floor while there is no fresh one), plus the stake each open dispute holds for its ruling. It cannot leave." />
        </dt>
        <dd className="text-right font-mono tabular-nums" data-testid="stake-locked">
          {formatUsd(d.limits.required)}
          {d.disputeStake > 0n && (
            <span className="block text-xs text-stone-400" data-testid="stake-disputes">
              {formatUsd(d.disputeStake)} held for {d.reliability.openDisputes} open dispute
              {d.reliability.openDisputes === 1 ? "" : "s"}
            </span>
          )}
        </dd>
        <dt className="text-stone-400">Free to unbond</dt>
        <dd className="text-right font-mono tabular-nums">{formatUsd(freeStake(d))}</dd>
        <dt className="text-stone-400">Unbonding</dt>
        <dd className="text-right font-mono tabular-nums" data-testid="stake-unbonding">
          {d.unbonding.amount === 0n ? "—" : formatUsd(d.unbonding.amount)}
        </dd>
        {d.unbonding.amount > 0n && (
          <UnlockTimer
            unlocksAt={d.unbonding.unlocksAt}
            expiresAt={unbondExpiresAt(d)}
            chainNow={d.now}
            readAt={readAt}
          />
        )}
      </dl>

      <AmountAction
        label="Add stake"
        busyLabel="Staking…"
        token={USDC}
        hint={held === undefined ? undefined : `wallet ${formatUsd(held)}`}
        max={held}
        testId="stake"
        reason={(amount) => (held !== undefined && amount > held ? `Your wallet holds ${formatUsd(held)}.` : undefined)}
        run={stake}
      />
      <AmountAction
        label="Start unbonding"
        busyLabel="Requesting…"
        token={USDC}
        hint={`withdrawable ${formatDuration(d.unbonding.delay)} later, for ${formatDuration(d.unbonding.window)}${d.unbonding.amount > 0n ? "; replaces the current request" : ""}`}
        max={d.stake}
        testId="unbond"
        reason={(amount) => unbondBlocked(d, amount)}
        run={requestUnbond}
      />
      <form
        className="grid gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) withdraw.mutate();
        }}
      >
        <SubmitRow
          label="Withdraw unbonded stake"
          busyLabel="Withdrawing…"
          busy={withdraw.isPending}
          reason={blocked}
          error={withdraw.error?.message}
          errorTestId="withdraw-error"
        />
      </form>
    </section>
  );
}

/** When the unbonding stake unlocks and until when it may leave, counting down in chain time; then that the
 * request lapsed. Its own component: it re-renders every second. */
function UnlockTimer({
  unlocksAt,
  expiresAt,
  chainNow,
  readAt,
}: {
  unlocksAt: number;
  expiresAt: number;
  chainNow: number;
  readAt: number;
}) {
  const now = useChainClock(chainNow, readAt);
  const [label, at, text] =
    now < unlocksAt
      ? ["Unlocks", unlocksAt, `in ${countdown(unlocksAt - now)}`]
      : now < expiresAt
        ? ["Withdrawable until", expiresAt, `${countdown(expiresAt - now)} left`]
        : ["Lapsed", expiresAt, "request again"];
  return (
    <>
      <dt className="text-stone-400">{label}</dt>
      <dd className="text-right font-mono tabular-nums" data-testid="stake-unlocks">
        {text}
        <span className="block text-xs text-stone-400">{formatClock(at)}</span>
      </dd>
    </>
  );
}

/** A span as "2 d 3:04:05" (days only when there are any). */
const countdown = (left: number) =>
  `${left >= 86_400 ? `${Math.floor(left / 86_400)} d ` : ""}${formatElapsed(left % 86_400)}`;
