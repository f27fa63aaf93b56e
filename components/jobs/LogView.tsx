"use client";

import { useEffect, useRef } from "react";
import type { LogState } from "@/lib/hooks/useJobLogs";
import type { JobEvent } from "@/lib/protocol/eventStream";

const STATE_TEXT: Record<LogState, string> = {
  idle: "Logs are shown to the job's buyer.",
  signing: "Sign the access message in your wallet to read the logs…",
  connecting: "Connecting to the host…",
  live: "Live",
  reconnecting: "Connection lost: reconnecting…",
  done: "The host has finished with this job.",
  failed: "Cannot read the logs.",
};

/** How a host's status event reads in the log: "● started", "● ended (exit 0)", "● error: <what failed>". */
function statusLine(data: Record<string, unknown>): string {
  const extra =
    typeof data.exitCode === "number"
      ? ` (exit ${data.exitCode})`
      : data.reason
        ? ` (${String(data.reason)})`
        : data.message
          ? `: ${String(data.message)}`
          : "";
  return `● ${String(data.status)}${extra}`;
}

/**
 * The job's output as it streams, and where the stream stands. Keeps to the bottom while new lines arrive.
 * `events` is a window of the stream (lib/jobs/logwindow.ts); `hidden` says how many earlier events it dropped.
 */
export function LogView({
  events,
  hidden = 0,
  state,
  error,
}: {
  events: readonly JobEvent[];
  hidden?: number;
  state: LogState;
  error: string | undefined;
}) {
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [events.length]);

  return (
    <section aria-labelledby="logs-heading" className="panel">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h2 id="logs-heading" className="panel-title mb-0">
          Logs
        </h2>
        <p className="text-xs text-stone-400" data-testid="log-state" data-state={state}>
          {state === "live" && <span aria-hidden className="mr-1 inline-block h-2 w-2 rounded-full bg-emerald-400" />}
          {STATE_TEXT[state]}
        </p>
      </div>
      <pre
        ref={box}
        role="log"
        aria-live="polite"
        tabIndex={0}
        className="h-72 overflow-auto whitespace-pre-wrap break-words rounded-lg bg-stone-950 p-3 font-mono text-xs text-stone-200"
        data-testid="logs"
      >
        {hidden > 0 && (
          <span className="block text-stone-500" data-testid="logs-hidden">
            … {hidden.toLocaleString("en-US")} earlier {hidden === 1 ? "event" : "events"} not shown
          </span>
        )}
        {events.map((e) =>
          e.type === "log" ? (
            <span key={e.id} className={e.data.stream === "stderr" ? "text-rose-300" : undefined}>
              {String(e.data.text)}
            </span>
          ) : (
            <span key={e.id} className="block text-stone-400">
              {statusLine(e.data)}
            </span>
          ),
        )}
      </pre>
      {error && (
        <p role="alert" className="mt-2 text-sm text-rose-300">
          {error}
        </p>
      )}
    </section>
  );
}
