"use client";

import { useAccount } from "wagmi";
import { verificationDetail, verificationView, type VerifierWindows } from "@/lib/verification/status";
import { ChallengeActions, type ChallengeTarget } from "./ChallengeActions";

/** What the compute page hands its wallet column to challenge a host. */
export interface ChallengeRequest {
  target: ChallengeTarget;
  windows: VerifierWindows;
  /** Chain time of the page's read. */
  now: number;
  onClose: () => void;
}

/** The challenge of one host, in the compute page's wallet column: its verification in a sentence, then the
 * challenge (or the step its open challenge is due for) from the connected wallet. */
export function ChallengePanel({ target, windows, now, onClose }: ChallengeRequest) {
  const { address } = useAccount();
  const view = verificationView(target.verification, windows, now);
  return (
    <section className="panel grid gap-3" aria-labelledby="challenge-heading" data-testid="challenge-panel">
      <div className="flex items-start justify-between gap-2">
        <h2 id="challenge-heading" className="panel-title mb-0">
          Challenge host #{target.hostId}
        </h2>
        <button type="button" className="text-xs text-stone-400 hover:text-stone-200" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="text-sm text-stone-300">{verificationDetail(view, now)}</p>
      <p className="text-xs text-stone-400">
        The host must compute matrix products from a seed it cannot know in advance and commit the result before a
        deadline its rated throughput sets; then it reveals audited parts, which anyone can check.
      </p>
      <ChallengeActions account={address} target={target} windows={windows} now={now} />
    </section>
  );
}
