"use client";

import { useMutation } from "@tanstack/react-query";
import type { Address } from "viem";
import { useBalances } from "@/lib/hooks/useBalances";
import { useChallenge, useChallengeSteps } from "@/lib/hooks/useVerification";
import { formatAmount, SCU } from "@/lib/tokens";
import {
  challengeBlocked,
  dueStep,
  verificationView,
  type ChallengeStep,
  type HostVerification,
  type VerifierWindows,
} from "@/lib/verification/status";

/** A host as a challenge needs it: whether it may be challenged, whether its open challenge can move on. */
export interface ChallengeTarget {
  hostId: number;
  /** The host's provider: it proves its own host at no fee. */
  provider: Address;
  paused: boolean;
  listedUntil: number;
  gpusBusy: number;
  verification: HostVerification;
  /** SCU a challenge costs now; undefined when the verifier cannot price one. */
  fee: bigint | undefined;
}

const STEP_LABEL: Record<ChallengeStep, string> = { begin: "Begin", expire: "Expire", finalize: "Finalize" };
const STEP_TEXT: Record<ChallengeStep, string> = {
  begin: "The host's jobs have ended: anyone may begin the challenge, and the next block's hash seeds it.",
  expire:
    "The host missed its deadline: anyone may fail the challenge; the fee goes back to its challenger, who also gets the slashed stake.",
  finalize: "No wrong value was proven in the fraud window: anyone may pass the challenge and verify the host.",
};

/**
 * Challenge a host (anyone, for its fee in SCU), or move its open challenge on (begin, expire, finalize). Each
 * button is disabled with its reason: the host's listing, an open challenge, the duty cycle, the wallet's SCU.
 */
export function ChallengeActions({
  account,
  target,
  windows,
  now,
  label = "Challenge",
}: {
  account: Address | undefined;
  target: ChallengeTarget;
  windows: VerifierWindows;
  now: number;
  label?: string;
}) {
  const balances = useBalances(account);
  const challenge = useChallenge(account);
  const steps = useChallengeSteps();
  const open = useMutation({ mutationFn: () => challenge(target.hostId) });
  const move = useMutation({ mutationFn: ({ step, id }: { step: ChallengeStep; id: bigint }) => steps[step](id) });

  const view = verificationView(target.verification, windows, now);
  const step = dueStep(view, target.gpusBusy);
  // A provider challenging its own host pays nothing (it would pay itself): SupplyVerifier.challenge.
  const own = account !== undefined && account.toLowerCase() === target.provider.toLowerCase();
  const fee = own ? 0n : target.fee;
  const held = balances.data?.scu;
  const reason =
    challengeBlocked(target, target.verification, now) ??
    (fee === undefined ? "The verifier cannot price a challenge of this host now." : undefined) ??
    (!account ? "Connect a wallet to challenge." : undefined) ??
    (fee === 0n ? undefined : held === undefined ? "Reading your balances…" : undefined) ??
    (held !== undefined && fee !== undefined && held < fee
      ? `You hold ${formatAmount(held, SCU)} SCU; a challenge of host #${target.hostId} costs ${formatAmount(fee, SCU)}: buy SCU in the pool (Swap) first.`
      : undefined);
  const error = open.error ?? move.error;
  const reasonId = `challenge-${target.hostId}-reason`;

  return (
    <div className="grid gap-1" data-testid={`challenge-actions-${target.hostId}`}>
      {step && view.kind === "proving" && (
        <>
          <button
            type="button"
            className="btn-secondary px-3 py-1 text-sm"
            disabled={move.isPending}
            onClick={() => move.mutate({ step, id: view.challengeId })}
          >
            {move.isPending ? "Sending…" : `${STEP_LABEL[step]} challenge #${view.challengeId}`}
          </button>
          <p className="max-w-64 text-xs text-stone-400">{STEP_TEXT[step]}</p>
        </>
      )}
      <button
        type="button"
        className="btn-secondary px-3 py-1 text-sm"
        disabled={Boolean(reason) || open.isPending}
        aria-describedby={reasonId}
        onClick={() => open.mutate()}
      >
        {open.isPending
          ? "Challenging…"
          : fee === undefined
            ? label
            : `${label} · ${fee === 0n ? "no fee" : `${formatAmount(fee, SCU)} SCU`}`}
      </button>
      <p id={reasonId} className="max-w-64 text-xs text-stone-400">
        {reason ??
          (own
            ? "Proving your own host costs no fee. If it misses a deadline or reveals a wrong value, it counts in no bound until a later challenge passes."
            : "The fee is the host's price for the challenge's span: its provider gets it if the host passes; if it fails, you get it back and up to ten times it from its provider's stake (the rest of the slash is burned).")}
      </p>
      {error && (
        <p role="alert" className="max-w-64 text-xs text-rose-300">
          {error.message}
        </p>
      )}
    </div>
  );
}
