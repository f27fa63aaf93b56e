import type { Metadata } from "next";
import { ComputeForm } from "@/components/compute/ComputeForm";
import { readOffers } from "@/lib/market/offers";
import { serverChain } from "@/lib/server/context";

export const metadata: Metadata = { title: "Rent GPUs · Hourglass" };
// Free GPUs and the pool move with every block.
export const dynamic = "force-dynamic";

/** Rent GPUs: the offers are read on the server; quoting happens in the browser; the wallet loads on demand. */
export default async function ComputePage() {
  const { client, deployment } = serverChain();
  const offers = await readOffers(client, deployment.contracts);
  return (
    <div className="grid grid-cols-1 gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-stone-50">Rent GPUs</h1>
        <p className="mt-1 max-w-2xl text-stone-300">
          Pick a GPU class, how many and for how long. The price is in SCU (1 SCU = one A100-hour), bought from the pool
          in the same transaction that funds the job; what the job does not use comes back to you.
        </p>
      </div>
      <ComputeForm offers={offers} />
    </div>
  );
}
