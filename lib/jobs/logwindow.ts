/**
 * What the buyer's log view holds of a job's event stream: a window, not everything. A job may print without
 * end (a host caps its output, but at megabytes), and the view re-rendered a copy of the whole list for every
 * event: 50,000 events took ~20 s. So events are gathered as they arrive and folded in by batch (at most one
 * render per batch), and only the last MAX_LOG_EVENTS log events are kept. Status events are few (a handful per
 * job) and components derive things from them (the acceptance that proves a dispatch, when to re-read the
 * chain), so they are kept, all of them, up to MAX_OTHER_EVENTS, a bound only a misbehaving host reaches.
 */
import type { JobEvent } from "../protocol/eventStream";

/** Log events kept (the oldest are dropped first). */
export const MAX_LOG_EVENTS = 5_000;
/** Other events (status) kept: every one of a real job's; the oldest dropped past it. */
export const MAX_OTHER_EVENTS = 1_000;

export interface EventWindow {
  /** The events kept, in the order they came. */
  events: readonly JobEvent[];
  /** Events dropped from the window so far. */
  hidden: number;
}

export const EMPTY_WINDOW: EventWindow = { events: [], hidden: 0 };

export interface WindowLimits {
  logs: number;
  others: number;
}

/** `window` with `batch` after it, trimmed to `limits`: one pass over both, whatever the batch's size. */
export function appendEvents(
  window: EventWindow,
  batch: readonly JobEvent[],
  limits: WindowLimits = { logs: MAX_LOG_EVENTS, others: MAX_OTHER_EVENTS },
): EventWindow {
  if (batch.length === 0) return window;
  const all = window.events.concat(batch);
  let logs = 0;
  for (const e of all) if (e.type === "log") logs++;
  let dropLogs = Math.max(0, logs - limits.logs);
  let dropOthers = Math.max(0, all.length - logs - limits.others);
  if (dropLogs + dropOthers === 0) return { events: all, hidden: window.hidden };
  const hidden = window.hidden + dropLogs + dropOthers;
  const kept = all.filter((e) => {
    if (e.type === "log" ? dropLogs === 0 : dropOthers === 0) return true;
    if (e.type === "log") dropLogs--;
    else dropOthers--;
    return false;
  });
  return { events: kept, hidden };
}

/**
 * Events as they arrive, folded into a window when one is asked for (a render), and on their own every
 * window's worth of events, so what waits between renders (a background tab renders seldom) stays bounded too.
 * Each fold copies at most a window and its batch: work in all is linear in the events.
 */
export class EventBuffer {
  private pending: JobEvent[] = [];
  private current: EventWindow = EMPTY_WINDOW;

  constructor(private readonly limits: WindowLimits = { logs: MAX_LOG_EVENTS, others: MAX_OTHER_EVENTS }) {}

  push(event: JobEvent): void {
    this.pending.push(event);
    if (this.pending.length >= this.limits.logs + this.limits.others) this.fold();
  }

  /** The window with every event pushed so far; the same object when none has been since the last call. */
  window(): EventWindow {
    this.fold();
    return this.current;
  }

  private fold(): void {
    this.current = appendEvents(this.current, this.pending, this.limits);
    this.pending = [];
  }
}
