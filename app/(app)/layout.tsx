import type { ReactNode } from "react";
import { Providers } from "@/components/Providers";
import { WalletSlot } from "@/components/wallet/WalletSlot";

/** Pages that need a wallet: the wallet stack, and the connect button placed into the header's slot. */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <WalletSlot />
      {children}
    </Providers>
  );
}
