"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useAccount } from "wagmi";
import { describeError } from "@/lib/errors";
import { useProvider } from "@/lib/hooks/useProvider";
import { CreditsPanel } from "./CreditsPanel";
import { HostsPanel } from "./HostsPanel";
import { PriceStatus } from "./PriceStatus";
import { ProviderDashboardPanels } from "./ProviderDashboardPanels";
import { RegisterHostForm } from "./RegisterHostForm";
import { StakePanel } from "./StakePanel";

/** The connected provider's page: a newcomer starts at registering a host; a provider sees its dashboard,
 * hosts, stake and credits first. */
export function ProviderView() {
  const { address } = useAccount();
  const report = useProvider(address);

  if (!address) {
    return (
      <section className="panel">
        <p className="mb-3 text-stone-300">
          Connect the wallet you provide from: it owns your hosts, stake and obligation.
        </p>
        <ConnectButton />
      </section>
    );
  }
  if (report.error && !report.data) {
    return (
      <p role="alert" className="text-rose-300">
        {describeError(report.error)}
      </p>
    );
  }
  if (!report.data)
    return <div className="panel h-64 animate-pulse" aria-busy="true" aria-label="Loading your provider account" />;

  const { dashboard: d } = report.data;
  // Without a fresh price both panels wait: minting, and withdrawing against an obligation or open jobs.
  const money = (
    <div className="grid gap-6 lg:grid-cols-2">
      <PriceStatus d={d} />
      <StakePanel account={address} d={d} readAt={report.dataUpdatedAt} />
      <CreditsPanel account={address} d={d} spotPrice={report.data.spotPrice} />
    </div>
  );
  if (d.hosts.length === 0) {
    return (
      <div className="grid gap-6">
        <RegisterHostForm account={address} d={d} />
        {money}
      </div>
    );
  }
  return (
    <div className="grid gap-6">
      <ProviderDashboardPanels report={report.data} />
      <HostsPanel d={d} />
      {money}
      <RegisterHostForm account={address} d={d} />
    </div>
  );
}
