import {
  VERIFICATION_LABELS,
  verificationDetail,
  verificationSummary,
  type VerificationKind,
  type VerificationView,
} from "@/lib/verification/status";

const TONE: Record<VerificationKind, string> = {
  verified: "text-emerald-300",
  proving: "text-amber-300",
  unverified: "text-stone-400",
  failed: "text-rose-300",
};

/** A host's verification in a table cell: the state in a word, a few words under it, the whole sentence (measured
 * against rated throughput and when, or the challenge's deadline) on hover and for screen readers. */
export function VerificationStatus({ view, now, testId }: { view: VerificationView; now: number; testId?: string }) {
  const detail = verificationDetail(view, now);
  return (
    <span className="block" title={detail} data-testid={testId} data-verification={view.kind}>
      <span className={TONE[view.kind]}>{VERIFICATION_LABELS[view.kind]}</span>
      <span className="block text-xs text-stone-400" aria-hidden="true">
        {verificationSummary(view, now)}
      </span>
      <span className="sr-only">{detail}</span>
    </span>
  );
}
