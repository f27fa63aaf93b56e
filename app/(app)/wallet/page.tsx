import type { Metadata } from "next";
import { WalletPanel } from "@/components/wallet/WalletPanel";

export const metadata: Metadata = { title: "Wallet · Hourglass" };

export default function WalletPage() {
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-50">Wallet</h1>
      <WalletPanel />
    </div>
  );
}
