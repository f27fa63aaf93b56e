import { DataTable } from "@/components/DataTable";
import type { ClassRow } from "@/lib/market/overview";
import { REFERENCE_CLASS } from "@/lib/scu/ratings";
import { formatUsd } from "@/lib/tokens";

const ratingText = (wad: bigint) => (Number(wad) / 1e18).toFixed(3);

/** Every GPU class priced in dollars an hour (the SCU price × its rating), with the rating's working one click
 * away, and what is listed of it now. Server-rendered: no JavaScript. */
export function GpuIndex({ classes }: { classes: ClassRow[] }) {
  const ref = REFERENCE_CLASS;
  return (
    <DataTable
      caption="GPU price index: US dollars per GPU-hour for every class, and listed capacity"
      columns={[
        { label: "GPU class" },
        { label: "Rating (SCU/h)", align: "right" },
        { label: "USD per GPU-hour", align: "right" },
        { label: "Listed GPUs (busy)", align: "right" },
      ]}
    >
      {classes.map(({ gpu, ratingWad, usdcPerHour, listedGpus, busyGpus, hosts, verifiedHosts }) => (
        <tr key={gpu.id} data-testid={`index-${gpu.id}`}>
          <td className="py-2 pr-4 align-top">
            <details>
              <summary className="cursor-pointer text-stone-100">{gpu.name}</summary>
              <p className="mt-1 max-w-md text-xs text-stone-400">
                √(({gpu.bf16DenseTflops} TFLOPS ÷ {ref.bf16DenseTflops}) × ({gpu.memoryBandwidthTBps} TB/s ÷{" "}
                {ref.memoryBandwidthTBps})) = {ratingText(ratingWad)}: dense BF16 throughput and memory bandwidth
                against the {ref.name}, from the {gpu.source}.
              </p>
            </details>
          </td>
          <td className="py-2 pr-4 text-right align-top tabular-nums">{ratingText(ratingWad)}</td>
          <td className="py-2 pr-4 text-right align-top tabular-nums" data-testid="usd-per-hour">
            {usdcPerHour === undefined ? "—" : formatUsd(usdcPerHour)}
          </td>
          <td className="py-2 text-right align-top tabular-nums">
            {listedGpus === 0 ? (
              <span className="text-stone-400">none listed</span>
            ) : (
              <>
                {listedGpus} ({busyGpus}){" "}
                <span className="text-stone-400">
                  on {hosts} host{hosts === 1 ? "" : "s"}
                  <span
                    className="block text-xs"
                    title="Hosts that proved their GPUs' throughput to a challenge in the past week"
                  >
                    {verifiedHosts === hosts
                      ? hosts === 1
                        ? "verified"
                        : "all verified"
                      : `${verifiedHosts} verified`}
                  </span>
                </span>
              </>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
