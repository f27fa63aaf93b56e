"use client";

import type { Address } from "viem";
import { DataTable } from "@/components/DataTable";
import { InfoTip } from "@/components/InfoTip";
import { useBalances } from "@/lib/hooks/useBalances";
import { useMint, useRetire } from "@/lib/hooks/useRegistryWrites";
import {
  backedUntil,
  formatRatio,
  mintBlocked,
  mintMaxWithLeeway,
  priceScenarios,
  retireBlocked,
} from "@/lib/provider/actions";
import type { ProviderDashboard } from "@/lib/provider/dashboard";
import { formatClock, formatDuration } from "@/lib/time";
import { formatToken, formatUsd, SCU } from "@/lib/tokens";
import { AmountAction } from "./AmountAction";

/** What sets "Most you can mint now", in a few words. */
const LIMITED_BY = {
  price: "no fresh price reading",
  capacity: "limited by the mint bound",
  stake: "limited by stake",
} as const;

/** Price moves the table shows the book under. */
const MOVES = [0.5, 0.8, 1, 1.25, 1.5, 2];

/** Mint credits against capacity and stake, with the live limits; retire them; the book if the price moves. */
export function CreditsPanel({
  account,
  d,
  spotPrice,
}: {
  account: Address;
  d: ProviderDashboard;
  spotPrice: bigint | undefined;
}) {
  const balances = useBalances(account);
  const mint = useMint(account);
  const retire = useRetire(account);
  const scu = balances.data?.scu;
  const { limits, params } = d;
  const retirable = scu === undefined ? undefined : scu < d.obligation ? scu : d.obligation;
  const cr = `${Number(params.collateralRatioBps) / 100}%`;
  const backed = backedUntil(d);

  return (
    <section className="panel grid content-start gap-4" aria-labelledby="credits-heading" data-testid="credits-panel">
      <h2 id="credits-heading" className="panel-title mb-0">
        Credits
      </h2>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
        <dt className="text-stone-400">
          Obligation
          <InfoTip text="SCU you minted and have not retired: hours of compute you owe to whoever holds the credits. Jobs your hosts serve pay it down." />
        </dt>
        <dd className="text-right font-mono tabular-nums" data-testid="credits-obligation">
          {formatToken(d.obligation, SCU)}
        </dd>
        <dt className="text-stone-400">
          Mint bound
          <InfoTip
            text={`${Number(params.mintRatioBps) / 100}% of the capacity your listings will still have ${formatDuration(params.mintHeadroom)} from now, at the GPU ratings in effect: Σ over unpaused hosts verified until then (a passed throughput challenge) of GPUs × rating × hours left then. A mint must leave your obligation within it, and a pause or a shortened listing within the same sum over every host that has not failed a challenge, so a fresh mint stays clear of liquidation for a day.`}
          />
        </dt>
        <dd className="text-right font-mono tabular-nums" data-testid="credits-mint-bound">
          {formatToken(d.mintBound, SCU)}
        </dd>
        <dt className="text-stone-400">
          Liquidation bound
          <InfoTip
            text={`${Number(params.mintRatioBps) / 100}% of your listed capacity now, each host counted at the rating you last minted against. A host that failed its last throughput challenge counts for nothing; one whose verification merely ran out still counts. It shrinks as listings run down; above it, anyone may liquidate you.`}
          />
        </dt>
        <dd className="text-right font-mono tabular-nums">{formatToken(d.obligationBound, SCU)}</dd>
        <dt className="text-stone-400">
          Most you can mint now
          <InfoTip
            text={`The smaller of what the mint bound and your stake allow, and nothing without a fresh price. Stake must cover ${cr} of the obligation plus open jobs at the reference price, plus what open disputes hold.`}
          />
        </dt>
        <dd className="text-right font-mono tabular-nums" data-testid="credits-max-mint">
          {formatToken(limits.maxMint, SCU)}
          <span className="block text-xs text-stone-400">{LIMITED_BY[limits.limitedBy]}</span>
        </dd>
        <dt className="text-stone-400">
          Reference price
          <InfoTip
            text={`The pool's time-weighted price over the last ${formatDuration(params.twapWindow)} to ${formatDuration(2 * params.twapWindow)}, never below the floor of ${formatUsd(params.floorPrice, 4)}: what the registry values your obligation at. Without a reading that old, there is no price: stake is booked at the floor, and minting, withdrawing against an obligation and liquidations wait.`}
          />
        </dt>
        <dd className="text-right font-mono tabular-nums" data-testid="credits-reference-price">
          {d.price.fresh ? formatUsd(d.price.price, 4) : "no fresh reading"}
          <span className="block text-xs text-stone-400">
            {d.price.fresh
              ? `TWAP ${formatUsd(d.price.twap, 4)}${d.price.twap < params.floorPrice ? ", below the floor" : ""}`
              : `stake booked at the floor ${formatUsd(d.price.bookingPrice, 4)}`}
          </span>
          {spotPrice !== undefined && (
            <span className="block text-xs text-stone-400">pool now {formatUsd(spotPrice, 4)}</span>
          )}
        </dd>
        <dt className="text-stone-400">
          Collateral ratio
          <InfoTip
            text={`Stake ÷ (obligation × reference price). Below ${cr}, or above the liquidation bound, anyone may liquidate you (only as much as restores it, plus 10%).`}
          />
        </dt>
        <dd
          className={`text-right font-mono tabular-nums ${d.liquidatable ? "text-rose-300" : ""}`}
          data-testid="credits-ratio"
        >
          {formatRatio(limits.collateralRatioWad)}
          {d.liquidatable && <span className="block text-xs">liquidatable now</span>}
        </dd>
        {backed !== undefined && (
          <>
            <dt className="text-stone-400">
              Listings back it until
              <InfoTip text="Capacity counts the hours left in each listing, so the liquidation bound falls every second. Past this time the obligation is above it and anyone may liquidate you: extend listings or retire credits before." />
            </dt>
            <dd
              className={`text-right font-mono tabular-nums ${backed - d.now < 7 * 86_400 ? "text-rose-300" : ""}`}
              data-testid="credits-backed-until"
            >
              {formatClock(backed)}
              <span className="block text-xs text-stone-400">
                {backed > d.now ? `in ${formatDuration(backed - d.now)}` : "not backed now"}
              </span>
            </dd>
          </>
        )}
        <dt className="text-stone-400">Liquidated if the price reaches</dt>
        <dd className="text-right font-mono tabular-nums">
          {limits.liquidationPrice === undefined ? "—" : formatUsd(limits.liquidationPrice, 4)}
        </dd>
      </dl>

      <AmountAction
        label="Mint credits"
        busyLabel="Minting…"
        token={SCU}
        hint={`up to ${formatToken(limits.maxMint, SCU)} now`}
        // A minute's run-down of the mint bound kept back, so Max still fits when the transaction lands.
        max={mintMaxWithLeeway(d)}
        testId="mint"
        reason={(amount) => mintBlocked(d, amount)}
        run={mint}
      />
      <AmountAction
        label="Retire credits"
        busyLabel="Retiring…"
        token={SCU}
        hint={scu === undefined ? undefined : `wallet ${formatToken(scu, SCU)}`}
        max={retirable}
        testId="retire"
        reason={(amount) => retireBlocked(d, amount, scu ?? 0n)}
        run={retire}
      />

      {d.obligation > 0n && (
        <div>
          <h3 className="mb-1 text-sm text-stone-300">If the reference price moves</h3>
          <DataTable
            caption="Your book if the reference price moves"
            columns={[
              { label: "Price" },
              { label: "Stake needed", align: "right" },
              { label: "Ratio", align: "right" },
              { label: "Then", align: "right" },
            ]}
          >
            {priceScenarios(d, MOVES).map((row) => (
              <tr key={row.factor} className={row.factor === 1 ? "text-stone-50" : "text-stone-300"}>
                <td className="py-1.5 pr-4 font-mono tabular-nums">
                  {formatUsd(row.price, 4)}{" "}
                  <span className="text-xs text-stone-400">{row.factor === 1 ? "now" : `×${row.factor}`}</span>
                </td>
                <td className="py-1.5 pr-4 text-right font-mono tabular-nums">{formatUsd(row.required)}</td>
                <td className="py-1.5 pr-4 text-right font-mono tabular-nums">{formatRatio(row.collateralRatioWad)}</td>
                <td className={`py-1.5 text-right ${row.liquidatable ? "text-rose-300" : ""}`}>
                  {row.liquidatable
                    ? "liquidatable"
                    : row.maxMint > 0n
                      ? `can mint ${formatToken(row.maxMint, SCU)}`
                      : "safe, no room to mint"}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </section>
  );
}
