/**
 * A job's event stream: status changes and log lines, numbered from 1, appended to disk as they happen so a
 * client that reconnects with `Last-Event-ID` (or a restarted host) gets everything after it.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";

export type JobEventType = "status" | "log";

export interface JobEvent {
  id: number;
  type: JobEventType;
  data: Record<string, unknown>;
}

export class EventLog {
  private readonly events: JobEvent[] = [];
  private readonly listeners = new Set<(event: JobEvent) => void>();

  constructor(private readonly file: string) {
    if (existsSync(file)) {
      for (const line of readFileSync(file, "utf8").split("\n")) if (line) this.events.push(JSON.parse(line) as JobEvent);
    }
  }

  append(type: JobEventType, data: Record<string, unknown>): JobEvent {
    const event = { id: this.events.length + 1, type, data };
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Everything the job printed, in order (what the result hash covers). */
  logText(): string {
    return this.events.filter((e) => e.type === "log").map((e) => String(e.data.text)).join("");
  }

  /** Replays events after `afterId`, then calls `listener` for new ones until unsubscribed. */
  subscribe(afterId: number, listener: (event: JobEvent) => void): () => void {
    for (const event of this.events.slice(Math.max(afterId, 0))) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
