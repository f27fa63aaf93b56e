"use client";

import { Providers } from "@/components/Providers";
import { WalletSlot } from "@/components/wallet/WalletSlot";
import type { LaunchRequest } from "@/lib/hooks/useLaunchJob";
import { LaunchActions } from "./LaunchActions";

/** The lazily loaded half of the compute page: the wallet stack around the launch buttons. */
export default function LaunchWallet(props: { job: LaunchRequest | undefined; blocker: string | undefined }) {
  return (
    <Providers>
      <WalletSlot />
      <LaunchActions {...props} />
    </Providers>
  );
}
