import type { Metadata } from "next";
import { SwapForm } from "@/components/swap/SwapForm";

export const metadata: Metadata = { title: "Swap · Hourglass" };

export default function SwapPage() {
  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-stone-50">Swap</h1>
        <p className="mt-1 max-w-2xl text-stone-300">
          USDC for SCU credits and back, at the one pool that prices every GPU class.
        </p>
      </div>
      <SwapForm />
    </div>
  );
}
