"use client";

import { ConnectButton, useConnectModal } from "@rainbow-me/rainbowkit";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useAccount } from "wagmi";
import { WrongNetwork } from "@/components/wallet/WrongNetwork";
import { useBalances } from "@/lib/hooks/useBalances";
import {
  DispatchFailed,
  useLaunchJob,
  type LaunchMode,
  type LaunchRequest,
  type LaunchStep,
} from "@/lib/hooks/useLaunchJob";
import { formatAmount, formatUsd, SCU } from "@/lib/tokens";
import { appChain } from "@/lib/wagmi/config";

const STEP_TEXT: Record<LaunchStep, string> = {
  permit: "Sign the permit in your wallet…",
  fund: "Funding the job…",
  upload: "Sign for the job's files; uploading its inputs…",
  dispatch: "Sign the dispatch; sending the job to its host…",
};

/** Buy & launch, or launch with credits already held; each button says why when it cannot act. */
export function LaunchActions({ job, blocker }: { job: LaunchRequest | undefined; blocker: string | undefined }) {
  const { address, chainId, isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const router = useRouter();
  const balances = useBalances(address);
  const launch = useLaunchJob(address);

  // The buyer asked to connect: open the wallet picker once, rather than make them click again.
  const opened = useRef(false);
  useEffect(() => {
    if (!isConnected && openConnectModal && !opened.current) {
      opened.current = true;
      openConnectModal();
    }
  }, [isConnected, openConnectModal]);

  if (!isConnected || !address) {
    return (
      <section className="panel" aria-label="Launch">
        <p className="mb-3 text-sm text-stone-300">Connect a wallet to launch this job.</p>
        <ConnectButton />
      </section>
    );
  }
  if (chainId !== appChain.id) return <WrongNetwork walletChainId={chainId} />;

  const purchase = job?.quote.purchase;
  const held = balances.data;
  const buyReason =
    blocker ??
    (!job || !purchase ? "Fill in the job first." : undefined) ??
    (purchase && "error" in purchase ? purchase.error : undefined) ??
    (!held ? "Reading your balances…" : undefined) ??
    (purchase && "maxUsdcIn" in purchase && held && held.usdc < purchase.maxUsdcIn
      ? `Not enough USDC: this needs up to ${formatUsd(purchase.maxUsdcIn)} and you have ${formatUsd(held.usdc)}.`
      : undefined);
  const creditsReason =
    blocker ??
    (!job ? "Fill in the job first." : undefined) ??
    (!held ? "Reading your balances…" : undefined) ??
    (job && held && held.scu < job.quote.scu
      ? `You hold ${formatAmount(held.scu, SCU)} SCU; this job locks ${formatAmount(job.quote.scu, SCU)}.`
      : undefined);

  const start = (mode: LaunchMode) =>
    job && launch.mutate({ mode, job }, { onSuccess: (jobId) => router.push(`/jobs/${jobId}`) });
  const failed = launch.error;

  return (
    <section className="panel grid gap-3" aria-label="Launch">
      <LaunchButton
        label={
          purchase && "maxUsdcIn" in purchase ? `Buy & launch · ≤ ${formatUsd(purchase.maxUsdcIn)}` : "Buy & launch"
        }
        reason={buyReason}
        busy={launch.isPending}
        onClick={() => start("buy")}
        primary
        id="buy"
      />
      <LaunchButton
        label={job ? `Use my credits · ${formatAmount(job.quote.scu, SCU)} SCU` : "Use my credits"}
        reason={creditsReason}
        busy={launch.isPending}
        onClick={() => start("credits")}
        id="credits"
      />
      <p className="min-h-5 text-sm text-stone-300" aria-live="polite">
        {launch.step ? STEP_TEXT[launch.step] : ""}
      </p>
      {failed && (
        <p role="alert" className="text-sm text-rose-300">
          {failed.message}{" "}
          {failed instanceof DispatchFailed && (
            <Link href={`/jobs/${failed.jobId}`} prefetch={false} className="underline">
              Open job #{String(failed.jobId)} to send it again or cancel it.
            </Link>
          )}
        </p>
      )}
    </section>
  );
}

function LaunchButton({
  label,
  reason,
  busy,
  onClick,
  primary,
  id,
}: {
  label: string;
  reason: string | undefined;
  busy: boolean;
  onClick: () => void;
  primary?: boolean;
  id: string;
}) {
  return (
    <div>
      <button
        type="button"
        className={`${primary ? "btn-primary" : "btn-secondary"} w-full`}
        disabled={Boolean(reason) || busy}
        onClick={onClick}
        aria-describedby={`${id}-reason`}
      >
        {label}
      </button>
      <p id={`${id}-reason`} className="mt-1 min-h-4 text-xs text-stone-400">
        {reason}
      </p>
    </div>
  );
}
