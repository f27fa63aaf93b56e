"use client";

import { toastStore, useToasts, type Toast } from "@/lib/hooks/toasts";

const LABEL: Record<Toast["status"], string> = {
  signing: "Waiting for your signature",
  pending: "Pending",
  confirmed: "Confirmed",
  failed: "Failed",
};

const TONE: Record<Toast["status"], string> = {
  signing: "border-stone-600",
  pending: "border-sky-500",
  confirmed: "border-emerald-500",
  failed: "border-rose-500",
};

const shortHash = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

/** Transaction progress, announced to screen readers as it changes. */
export function Toaster() {
  const toasts = useToasts();
  return (
    <ol aria-live="polite" className="fixed bottom-4 right-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2">
      {toasts.map((t) => (
        <li
          key={t.id}
          role="status"
          data-status={t.status}
          className={`rounded-lg border-l-4 bg-stone-900 p-3 shadow-lg ${TONE[t.status]}`}
        >
          <div className="flex items-start justify-between gap-2">
            <p className="font-medium text-stone-100">{t.title}</p>
            <button
              type="button"
              onClick={() => toastStore.dismiss(t.id)}
              className="text-stone-400 hover:text-stone-100"
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
          <p className="text-sm text-stone-300">
            {LABEL[t.status]}
            {t.status === "pending" && t.hash && (
              <>
                {" "}
                · <span className="font-mono">{shortHash(t.hash)}</span>
              </>
            )}
            {t.status === "confirmed" && t.blockNumber !== undefined && <> in block {t.blockNumber.toString()}</>}
          </p>
          {t.message && <p className="mt-1 text-sm text-rose-200">{t.message}</p>}
        </li>
      ))}
    </ol>
  );
}
