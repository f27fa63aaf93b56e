import type { HostCheck } from "@/lib/hooks/useHostCheck";

/** What a host agent said about itself in the host check: its signer, GPUs, benchmark and runtime. */
export function HostCheckResult({ check }: { check: HostCheck }) {
  const gflops = check.benchmark?.cpuMatmulGflops;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-md border border-emerald-800/60 bg-emerald-950/30 p-3 text-sm" data-testid="host-check">
      <dt className="text-stone-400">Agent</dt>
      <dd>
        Hourglass host agent {check.version}, {check.runtime} runtime, {check.slots.free} of {check.slots.max} job slots free
      </dd>
      <dt className="text-stone-400">Signer</dt>
      <dd className="break-all font-mono" data-testid="host-check-signer">
        {check.signer}
      </dd>
      <dt className="text-stone-400">GPUs</dt>
      <dd>
        {check.gpus.length === 0
          ? "none detected (no nvidia-smi on the machine)"
          : check.gpus.map((g) => `${g.name}${g.memoryMiB ? ` (${Math.round(g.memoryMiB / 1024)} GiB)` : ""}`).join(", ")}
      </dd>
      <dt className="text-stone-400">Benchmark</dt>
      <dd>{typeof gflops === "number" ? `CPU matmul ${gflops.toFixed(2)} GFLOPS` : "—"}</dd>
      <dt className="text-stone-400">Registered</dt>
      <dd>{check.hostId == null ? "not yet: it serves the host registered with its signer" : `serves host #${check.hostId}`}</dd>
    </dl>
  );
}
