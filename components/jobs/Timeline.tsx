import type { JobDetails } from "@/lib/jobs/details";
import { formatClock } from "@/lib/time";
import { formatAmount, SCU } from "@/lib/tokens";

type StageState = "done" | "current" | "upcoming" | "skipped";

interface Stage {
  label: string;
  state: StageState;
  detail: string;
}

/** funded → dispatched → running → receipt → disputable until … → finalized, each with when it happened
 * or what it waits for. A cancelled or expired job ends the line where it stopped. */
export function Timeline({ job, dispatched }: { job: JobDetails; dispatched: boolean }) {
  const stages = stagesOf(job, dispatched);
  return (
    <ol className="grid gap-0" aria-label="Job timeline" data-testid="timeline">
      {stages.map((stage, i) => (
        <li
          key={stage.label}
          className="relative flex gap-3 pb-4 last:pb-0"
          data-state={stage.state}
          aria-current={stage.state === "current" ? "step" : undefined}
        >
          {i < stages.length - 1 && (
            <span aria-hidden className="absolute left-[0.4375rem] top-5 h-full w-px bg-stone-700" />
          )}
          <span
            aria-hidden
            className={`mt-1 h-4 w-4 shrink-0 rounded-full border-2 ${
              stage.state === "done"
                ? "border-amber-400 bg-amber-400"
                : stage.state === "current"
                  ? "animate-pulse border-amber-400 bg-stone-900"
                  : "border-stone-600 bg-stone-900"
            }`}
          />
          <div>
            <p
              className={stage.state === "upcoming" || stage.state === "skipped" ? "text-stone-400" : "text-stone-100"}
            >
              {stage.label}
              <span className="sr-only"> ({stage.state})</span>
            </p>
            <p className="text-xs text-stone-400">{stage.detail}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}

function stagesOf(job: JobDetails, dispatched: boolean): Stage[] {
  const { status, outcome } = job;
  const started = job.startedAt > 0;
  const receipt = job.endedAt > 0 && (status === "submitted" || status === "disputed" || status === "settled");
  const state = (done: boolean, current: boolean): StageState => (done ? "done" : current ? "current" : "upcoming");

  const stages: Stage[] = [
    {
      label: "Funded",
      state: "done",
      detail: `${formatAmount(job.locked, SCU)} SCU locked at ${formatClock(job.createdAt)}`,
    },
    {
      label: "Dispatched",
      state: state(dispatched || started, status === "created"),
      detail:
        dispatched || started
          ? "The host accepted the job."
          : `The host must start it by ${formatClock(job.startDeadline)}.`,
    },
    {
      label: "Running",
      state: state(started && status !== "running", status === "running"),
      detail: started
        ? `Started at ${formatClock(job.startedAt)}${job.stoppedAt ? `; you stopped it at ${formatClock(job.stoppedAt)}` : ""}`
        : "Not started yet.",
    },
    {
      label: "Receipt",
      state: state(receipt, false),
      detail: receipt
        ? `Ended at ${formatClock(job.endedAt)}: ${formatAmount(job.used, SCU)} SCU used.`
        : started
          ? `Due by ${formatClock(job.receiptDeadline)}.`
          : "After the job ends, the host signs what it used.",
    },
    {
      label: job.disputeEndsAt ? `Disputable until ${formatClock(job.disputeEndsAt)}` : "Disputable",
      state: state(
        status === "settled" || (receipt && job.now >= job.disputeEndsAt),
        status === "submitted" || status === "disputed",
      ),
      detail: job.dispute
        ? `You disputed the receipt; the arbiter decides. It rules by ${formatClock(job.dispute.ruleBy)}, or the receipt stands.`
        : "You may confirm the receipt early, or dispute it (posting a bond).",
    },
    {
      label: "Finalized",
      state: state(status === "settled", false),
      detail:
        outcome?.kind === "settled"
          ? `Provider paid ${formatAmount(outcome.paid, SCU)} SCU; ${formatAmount(outcome.refunded, SCU)} SCU back to you.`
          : "The provider is paid and the unused credits come back to you.",
    },
  ];
  if (status === "cancelled" || status === "expired") {
    // The line stops where the job did; the rest never happens.
    const cut = status === "cancelled" ? 2 : 4;
    const refunded = !outcome
      ? "Refunded."
      : outcome.paid > 0n
        ? `${formatAmount(outcome.paid, SCU)} SCU reservation fee to the provider; ${formatAmount(outcome.refunded, SCU)} SCU back to you.`
        : `${formatAmount(outcome.refunded, SCU)} SCU back to you.`;
    return [
      ...stages.slice(0, cut).map((s) => (s.state === "done" ? s : { ...s, state: "skipped" as const })),
      {
        label:
          status === "cancelled"
            ? outcome?.noShow
              ? "Cancelled: the host's no-show"
              : "Cancelled"
            : "Expired: no receipt in time",
        state: "done",
        detail: refunded,
      },
    ];
  }
  return stages;
}
