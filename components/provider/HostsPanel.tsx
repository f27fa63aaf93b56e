"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { Address } from "viem";
import { DataTable } from "@/components/DataTable";
import { SubmitRow } from "@/components/SubmitRow";
import { parseWhole } from "@/lib/forms";
import { useHostCheck } from "@/lib/hooks/useHostCheck";
import { useHostSettings } from "@/lib/hooks/useHostWrites";
import { listingBlocked, pauseBlocked } from "@/lib/provider/actions";
import type { ProviderDashboard, ProviderHost } from "@/lib/provider/dashboard";
import { HOST_LIMITS } from "@/lib/contracts/constants";
import { parseEndpointInput } from "@/lib/provider/register";
import { gpuClass } from "@/lib/scu/ratings";
import { formatClock, formatDuration } from "@/lib/time";
import { formatAmount, SCU } from "@/lib/tokens";
import { isVerified, nextExpiry, verificationView } from "@/lib/verification/status";
import { onLocalChain } from "@/lib/wagmi/config";
import { ChallengeActions } from "@/components/verification/ChallengeActions";
import { VerificationStatus } from "@/components/verification/VerificationStatus";
import { HostCheckResult } from "./HostCheckResult";

const status = (h: ProviderHost, now: number) =>
  h.listedUntil <= now ? "listing ended" : h.paused ? "paused" : "active";

/** The provider's hosts (one at least: the page shows the register form alone before): class, GPUs busy,
 * endpoint, listing, verification; pause or resume, move a host's endpoint or its listing's end, request a
 * challenge that verifies it. */
export function HostsPanel({ d }: { d: ProviderDashboard }) {
  const [editing, setEditing] = useState<{ hostId: number; what: Editing }>();
  return (
    <section className="panel" aria-labelledby="hosts-heading" data-testid="hosts-panel">
      <h2 id="hosts-heading" className="panel-title">
        Your hosts
      </h2>
      <VerificationSummary d={d} />
      <DataTable
        caption="Your hosts"
        columns={[
          { label: "Host" },
          { label: "GPUs" },
          { label: "Busy", align: "right" },
          { label: "Endpoint" },
          { label: "Listed until" },
          { label: "Status" },
          { label: "Verification" },
          { label: "Actions", hidden: true },
        ]}
      >
        {d.hosts.map((h) => (
          <HostRow
            key={h.hostId}
            d={d}
            host={h}
            editing={editing?.hostId === h.hostId ? editing.what : undefined}
            onEdit={(what) => setEditing(what ? { hostId: h.hostId, what } : undefined)}
          />
        ))}
      </DataTable>
    </section>
  );
}

/** How many hosts are verified and which verification ends next: only verified hosts back new credits. */
function VerificationSummary({ d }: { d: ProviderDashboard }) {
  const verified = d.hosts.filter((h) => isVerified(h.verification, d.now)).length;
  const next = nextExpiry(d.hosts, d.now);
  return (
    <p className="mb-3 text-sm text-stone-300" data-testid="verification-summary">
      {verified} of {d.hosts.length} host{d.hosts.length === 1 ? "" : "s"} verified.{" "}
      {next
        ? `The next verification to end is host #${next.host.hostId}'s, at ${formatClock(next.at)} (in ${formatDuration(next.at - d.now)}). `
        : ""}
      <span className="text-stone-400">
        Minting counts only hosts verified at least {formatDuration(d.params.mintHeadroom)} ahead: request a challenge
        to verify a host, or to renew its verification before it ends.
      </span>
    </p>
  );
}

type Editing = "endpoint" | "listing" | undefined;

function HostRow({
  d,
  host,
  editing,
  onEdit,
}: {
  d: ProviderDashboard;
  host: ProviderHost;
  editing: Editing;
  onEdit: (what: Editing) => void;
}) {
  const { setPaused } = useHostSettings(host.hostId);
  const blocked = pauseBlocked(d, host);
  const pause = useMutation({ mutationFn: () => setPaused(!host.paused) });
  return (
    <>
      <tr data-testid={`host-row-${host.hostId}`}>
        <td className="py-2 pr-4 font-mono">#{host.hostId}</td>
        <td className="py-2 pr-4">
          {host.gpuCount} × {gpuClass(host.classId).name}
          {host.region && <span className="block text-xs text-stone-400">{host.region}</span>}
          <span
            className="block text-xs text-stone-400"
            title="The class's rating in effect counts toward minting; the rating you last minted against counts toward liquidation."
          >
            {formatAmount(host.ratingWad, SCU)} SCU/GPU-h
            {host.countedRatingWad !== host.ratingWad && ` (counted at ${formatAmount(host.countedRatingWad, SCU)})`}
          </span>
        </td>
        <td className="py-2 pr-4 text-right font-mono tabular-nums">{host.gpusBusy}</td>
        <td className="max-w-56 truncate py-2 pr-4 font-mono text-xs" title={host.endpoint}>
          {host.endpoint}
        </td>
        <td className="py-2 pr-4 text-xs">{formatClock(host.listedUntil)}</td>
        <td className="py-2 pr-4" data-testid={`host-status-${host.hostId}`}>
          {status(host, d.now)}
        </td>
        <td className="py-2 pr-4">
          <VerificationStatus
            view={verificationView(host.verification, d.verifier, d.now)}
            now={d.now}
            testId={`host-verification-${host.hostId}`}
          />
        </td>
        <td className="py-2">
          <div className="flex gap-2">
            <button
              type="button"
              className="btn-secondary px-3 py-1 text-sm"
              disabled={Boolean(blocked) || pause.isPending}
              title={blocked}
              onClick={() => pause.mutate()}
            >
              {host.paused ? "Resume" : "Pause"}
            </button>
            <button
              type="button"
              className="btn-secondary px-3 py-1 text-sm"
              aria-expanded={editing === "endpoint"}
              onClick={() => onEdit(editing === "endpoint" ? undefined : "endpoint")}
            >
              Endpoint
            </button>
            <button
              type="button"
              className="btn-secondary px-3 py-1 text-sm"
              aria-expanded={editing === "listing"}
              onClick={() => onEdit(editing === "listing" ? undefined : "listing")}
            >
              Listing
            </button>
          </div>
          {(blocked || pause.error) && (
            <p className="mt-1 max-w-64 text-xs text-stone-400">{pause.error?.message ?? blocked}</p>
          )}
          <div className="mt-2">
            <ChallengeActions
              account={d.account}
              target={{ ...host, provider: d.account, fee: host.challengeFee }}
              windows={d.verifier}
              now={d.now}
              label="Request a challenge"
            />
          </div>
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={8} className="pb-4">
            {editing === "endpoint" ? (
              <EndpointForm account={d.account} host={host} onDone={() => onEdit(undefined)} />
            ) : (
              <ListingForm d={d} host={host} onDone={() => onEdit(undefined)} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** A new endpoint for a host: checked first, and only one whose agent signs as this host's signer. */
function EndpointForm({ account, host, onDone }: { account: Address; host: ProviderHost; onDone: () => void }) {
  const [input, setInput] = useState(host.endpoint);
  const check = useHostCheck();
  const { setEndpoint } = useHostSettings(host.hostId);
  const endpoint = parseEndpointInput(input, onLocalChain);
  const checked = check.data && check.data.asked.endpoint === input ? check.data : undefined;
  const reason =
    "error" in endpoint
      ? endpoint.error
      : input.trim() === host.endpoint
        ? "This is the host's endpoint now."
        : !checked
          ? "Check the endpoint first."
          : checked.signer.toLowerCase() !== host.signer.toLowerCase()
            ? `The agent there signs as ${checked.signer}, not as host #${host.hostId}'s signer ${host.signer}.`
            : undefined;
  const save = useMutation({
    mutationFn: () => setEndpoint(input.trim()),
    onSuccess: onDone,
  });
  return (
    <EditForm
      label="Save endpoint"
      busy={save.isPending}
      reason={reason}
      error={save.error?.message}
      onSave={() => save.mutate()}
    >
      <label className="field">
        New endpoint for host #{host.hostId}
        <span className="flex gap-2">
          <input
            className="min-w-0 flex-1"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            autoComplete="off"
            data-testid="endpoint-input"
          />
          <button
            type="button"
            className="btn-secondary px-3"
            disabled={"error" in endpoint || check.isPending}
            title={"error" in endpoint ? endpoint.error : "Your wallet signs the check."}
            onClick={() => check.mutate({ endpoint: input, provider: account })}
          >
            {check.isPending ? "Checking…" : "Check"}
          </button>
        </span>
      </label>
      {check.error && (
        <p role="alert" className="text-sm text-rose-300">
          {check.error.message}
        </p>
      )}
      {checked && <HostCheckResult check={checked} account={account} />}
    </EditForm>
  );
}

/** A new end for a host's listing, in days from now: longer adds capacity and always goes through; shorter must
 * leave the obligation within the mint bound. */
function ListingForm({ d, host, onDone }: { d: ProviderDashboard; host: ProviderHost; onDone: () => void }) {
  const [input, setInput] = useState(String(Math.max(1, Math.round((host.listedUntil - d.now) / 86_400))));
  const { setListedUntil } = useHostSettings(host.hostId);
  const days = parseWhole(input, "listing length in days", 1, HOST_LIMITS.maxListingDays);
  const until = "value" in days ? d.now + days.value * 86_400 : undefined;
  const reason = until === undefined ? ("error" in days ? days.error : undefined) : listingBlocked(d, host, until);
  const save = useMutation({
    mutationFn: setListedUntil,
    onSuccess: onDone,
  });
  return (
    <EditForm
      label="Save listing"
      busy={save.isPending}
      reason={reason}
      error={save.error?.message}
      onSave={() => until !== undefined && save.mutate(until)}
    >
      <label className="field">
        <span>
          List host #{host.hostId} for (days from now){" "}
          {until !== undefined && <span className="text-stone-400">· until {formatClock(until)}</span>}
        </span>
        <input
          inputMode="numeric"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          data-testid="listing-days"
        />
      </label>
    </EditForm>
  );
}

/** A host's inline edit: its fields, then the save button, disabled with `reason` while there is one. */
function EditForm({
  label,
  busy,
  reason,
  error,
  onSave,
  children,
}: {
  label: string;
  busy: boolean;
  reason: string | undefined;
  error: string | undefined;
  onSave: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className="grid gap-2 rounded-md border border-stone-800 p-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason) onSave();
      }}
    >
      {children}
      <SubmitRow label={label} busyLabel="Saving…" busy={busy} reason={reason} error={error} />
    </form>
  );
}
