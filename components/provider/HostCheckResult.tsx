import type { Address } from "viem";
import type { HostCheck } from "@/lib/provider/hostcheck";
import { formatClock } from "@/lib/time";

/** What a host agent said about itself in the host check: its signer, the provider it is configured for
 * (whether that is `account`, the connected wallet), its consent when one was asked, its GPUs, benchmark and
 * runtime. */
export function HostCheckResult({ check, account }: { check: HostCheck; account: Address }) {
  const gflops = check.benchmark?.cpuMatmulGflops;
  const forThisWallet = check.provider !== null && check.provider.toLowerCase() === account.toLowerCase();
  return (
    <dl
      className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-md border border-emerald-800/60 bg-emerald-950/30 p-3 text-sm"
      data-testid="host-check"
    >
      <dt className="text-stone-400">Agent</dt>
      <dd>
        Hourglass host agent {check.version}, {check.runtime} runtime, {check.slots.free} of {check.slots.max} job slots
        free
      </dd>
      <dt className="text-stone-400">Signer</dt>
      <dd className="break-all font-mono" data-testid="host-check-signer">
        {check.signer}
      </dd>
      <dt className="text-stone-400">Serves</dt>
      <dd data-testid="host-check-provider" data-for-this-wallet={forThisWallet}>
        {check.provider === null ? (
          "no provider: its config names none"
        ) : (
          <>
            <span className="break-all font-mono">{check.provider}</span>{" "}
            <span className={forThisWallet ? "text-emerald-300" : "text-rose-300"}>
              {forThisWallet ? "(this wallet)" : "(not this wallet)"}
            </span>
          </>
        )}
      </dd>
      {(check.consent || check.consentRefused) && (
        <>
          <dt className="text-stone-400">Consent</dt>
          <dd data-testid="host-check-consent" className={`wrap-anywhere ${check.consent ? "" : "text-rose-300"}`}>
            {check.consent
              ? `its signer consents to serve this wallet until ${formatClock(Number(check.consent.deadline))}`
              : check.consentRefused}
          </dd>
        </>
      )}
      <dt className="text-stone-400">GPUs</dt>
      <dd>
        {check.gpus.length === 0
          ? "none detected (no nvidia-smi on the machine)"
          : check.gpus
              .map((g) => `${g.name}${g.memoryMiB ? ` (${Math.round(g.memoryMiB / 1024)} GiB)` : ""}`)
              .join(", ")}
      </dd>
      <dt className="text-stone-400">Benchmark</dt>
      <dd>{typeof gflops === "number" ? `CPU matmul ${gflops.toFixed(2)} GFLOPS` : "—"}</dd>
      <dt className="text-stone-400">Registered</dt>
      <dd>
        {check.hostId == null
          ? "not yet: it serves the host registered with its signer"
          : `serves host #${check.hostId}`}
      </dd>
    </dl>
  );
}
