"use client";

import { useMutation } from "@tanstack/react-query";
import { useObservePrice } from "@/lib/hooks/useRegistryWrites";
import { freshAt } from "@/lib/provider/actions";
import type { ProviderDashboard } from "@/lib/provider/dashboard";
import { formatClock, formatDuration } from "@/lib/time";

/** While the registry has no fresh price: when a reading already recorded makes it fresh, or, with none young
 * enough, the button that records one (anyone may; keepers and host agents normally do). Nothing while the
 * price is fresh. */
export function PriceStatus({ d }: { d: ProviderDashboard }) {
  const observe = useObservePrice();
  const record = useMutation({ mutationFn: observe });
  if (d.price.fresh) return null;
  const at = freshAt(d);
  return (
    <div
      className="grid gap-2 rounded-md border border-amber-800/60 bg-amber-950/30 p-3 text-sm lg:col-span-2"
      data-testid="price-status"
    >
      {at === undefined ? (
        <>
          <p>
            The registry has no fresh price reading: minting, and withdrawing while you owe credits or serve jobs, wait
            for one. A reading is usable {formatDuration(d.params.twapWindow)} after it is recorded.
          </p>
          <button
            type="button"
            className="btn-secondary justify-self-start"
            disabled={record.isPending}
            onClick={() => record.mutate()}
          >
            {record.isPending ? "Recording…" : "Record a price reading"}
          </button>
        </>
      ) : (
        <p>
          A price reading was recorded at {formatClock(d.price.newestObservation)}: the price is fresh from{" "}
          {formatClock(at)}, in {formatDuration(at - d.now)}.
        </p>
      )}
      {record.error && (
        <p role="alert" className="text-rose-300">
          {record.error.message}
        </p>
      )}
    </div>
  );
}
