"use client";

import { Providers } from "@/components/Providers";
import { ChallengePanel, type ChallengeRequest } from "@/components/verification/ChallengePanel";
import { WalletSlot } from "@/components/wallet/WalletSlot";
import type { LaunchRequest } from "@/lib/hooks/useLaunchJob";
import { LaunchActions } from "./LaunchActions";

/** The lazily loaded half of the compute page: the wallet stack around the launch buttons and a host's challenge. */
export default function LaunchWallet({
  challenge,
  ...launch
}: {
  job: LaunchRequest | undefined;
  blocker: string | undefined;
  challenge: ChallengeRequest | undefined;
}) {
  return (
    <Providers>
      <WalletSlot />
      <LaunchActions {...launch} />
      {challenge && <ChallengePanel {...challenge} />}
    </Providers>
  );
}
