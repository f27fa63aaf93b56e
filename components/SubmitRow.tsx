/**
 * A trade form's end: the submit button (disabled while busy or while there is a reason it cannot act), the
 * reason, said under it, and the failure of the last attempt as a sentence.
 */
export function SubmitRow({
  label,
  busyLabel,
  busy,
  reason,
  error,
  errorTestId,
}: {
  label: string;
  busyLabel: string;
  busy: boolean;
  reason: string | undefined;
  error: string | undefined;
  errorTestId?: string;
}) {
  return (
    <>
      <button type="submit" className="btn-primary" disabled={Boolean(reason) || busy}>
        {busy ? busyLabel : label}
      </button>
      {/* A reason or error may carry a whole address: it wraps anywhere rather than widen a phone's page. */}
      <p className="min-h-5 text-sm text-stone-400 wrap-anywhere">{reason}</p>
      <p role="alert" className="min-h-5 text-sm text-rose-300 wrap-anywhere" data-testid={errorTestId}>
        {error}
      </p>
    </>
  );
}
