import { WalletPanel } from "@/components/wallet/WalletPanel";

export default function Home() {
  return (
    <div className="grid gap-8">
      <section>
        <h1 className="text-3xl font-semibold tracking-tight text-stone-50">GPU compute, in one unit.</h1>
        <p className="mt-2 max-w-2xl text-stone-300">
          Hourglass prices every GPU in Standard Compute Units: 1 SCU is one hour of an A100 80GB. Buy credits, run jobs
          on any listed provider, or provide liquidity to the market that prices them.
        </p>
      </section>
      <WalletPanel />
    </div>
  );
}
