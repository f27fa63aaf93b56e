import type { Metadata } from "next";
import { ProviderView } from "@/components/provider/ProviderView";

export const metadata: Metadata = { title: "Provide GPUs · Hourglass" };

export default function ProviderPage() {
  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-stone-50">Provide GPUs</h1>
        <p className="mt-1 max-w-3xl text-sm text-stone-300">
          List your GPU hosts, mint SCU credits against their capacity and your USDC stake, sell the credits in the
          pool, and get paid when buyers run jobs on your hosts.
        </p>
      </div>
      <ProviderView />
    </div>
  );
}
