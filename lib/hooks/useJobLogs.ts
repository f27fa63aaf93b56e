/**
 * A job's live event stream from its host, through the events route: status changes and log lines. Signs one
 * Access message per session (useJobSignatures), and reconnects by itself with Last-Event-ID after a drop, so
 * every event arrives once and in order; keeps the host's acknowledgement its `accepted` event carries. Stops
 * when the host says the stream is final, or on a refusal that retrying cannot fix. A stream that ends without
 * its final event (the route ends every stream at its lifetime, a proxy drops it) is followed by a reconnect.
 *
 * What it renders is a window (lib/jobs/logwindow.ts): the last log events and the status events, folded in at
 * most once per RENDER_EVERY_MS, so a job that prints without end costs linear work and bounded memory; the
 * last event id (where a reconnect resumes) counts every event, shown or not.
 */
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { describeError } from "../errors";
import { EventTooLarge, readEvents } from "../protocol/eventStream";
import { EMPTY_WINDOW, EventBuffer, type EventWindow } from "../jobs/logwindow";
import { fetchEvents, routeError } from "../jobs/routeClient";
import { rememberAck } from "./signatureStore";
import { appDeployment } from "../wagmi/config";
import { useJobSignatures } from "./useJobSignatures";

export type LogState = "idle" | "signing" | "connecting" | "live" | "reconnecting" | "done" | "failed";

/** The route refused for a reason retrying cannot fix (a 4xx): shown as it is. */
class Refused extends Error {}

/** Route answers worth retrying: the host or chain is briefly unreachable, or we were rate limited. */
const RETRYABLE = new Set([429, 502, 503, 504]);

/** Longest events wait before they are shown: one render per batch, however fast a job prints. */
const RENDER_EVERY_MS = 50;

export function useJobLogs(jobId: bigint, account: Address | undefined, enabled: boolean) {
  const { access } = useJobSignatures(appDeployment!.contracts.JobEscrow);
  const [log, setLog] = useState<EventWindow>(EMPTY_WINDOW);
  const [state, setState] = useState<LogState>("idle");
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!enabled || !account) return;
    const abort = new AbortController();
    let lastId = 0;
    let final = false;
    const buffer = new EventBuffer();
    let render: ReturnType<typeof setTimeout> | undefined;
    const show = () => {
      render = undefined;
      setLog(buffer.window());
    };

    async function follow(buyer: Address) {
      setState("signing");
      const signed = await access(jobId, "events", buyer);
      for (let attempt = 0; !final; attempt++) {
        setState(attempt === 0 ? "connecting" : "reconnecting");
        try {
          const response = await fetchEvents(jobId, signed, lastId, abort.signal);
          if (!response.ok || !response.body) {
            const reason = (await routeError(response)).message;
            if (!RETRYABLE.has(response.status)) throw new Refused(reason);
            setError(reason);
          } else {
            setState("live");
            setError(undefined);
            attempt = 0;
            await readEvents(response.body, (event) => {
              if (event.id <= lastId) return;
              lastId = event.id;
              if (event.data.final === true) final = true;
              // The host's acknowledgement comes with its acceptance: kept, it proves a no-show on-chain.
              if (event.type === "status" && event.data.status === "accepted") rememberAck(jobId, event.data.ack);
              buffer.push(event);
              render ??= setTimeout(show, RENDER_EVERY_MS);
            });
          }
        } catch (caught) {
          // A dropped connection (network, a restarting server) is retried; a refusal, an event too large to
          // read (it would come again), or leaving the page is not.
          if (caught instanceof Refused || caught instanceof EventTooLarge || abort.signal.aborted) throw caught;
        }
        if (!final) await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 8_000)));
      }
      setState("done");
    }

    follow(account).catch((caught: unknown) => {
      if (abort.signal.aborted) return;
      setState("failed");
      setError(caught instanceof Refused || caught instanceof EventTooLarge ? caught.message : describeError(caught));
    });
    return () => {
      abort.abort();
      clearTimeout(render);
    };
  }, [jobId, account, enabled, access]);

  return { events: log.events, hidden: log.hidden, state, error };
}
