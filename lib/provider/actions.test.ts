import { describe, expect, it } from "vitest";
import { gpuClass, ratingWad } from "../scu/ratings";
import { backedUntil, hostCapacity, listingBlocked, mintBlocked, mintMaxWithLeeway, pauseBlocked, priceScenarios, retireBlocked, withdrawBlocked } from "./actions";
import { mintLimits } from "./limits";
import type { ProviderDashboard, ProviderHost } from "./read";

const SCU = 10n ** 18n;
const USD = 10n ** 6n;
const NOW = 1_000_000;
const host: ProviderHost = {
  hostId: 1, classId: "a100-80gb-sxm", gpuCount: 1, gpusBusy: 0, paused: false, listedUntil: NOW + 100 * 3600, endpoint: "https://h",
  region: "eu", signer: "0x0000000000000000000000000000000000000001", registeredAt: NOW - 10,
};

/** A provider with one A100 listed for 100 h (100 SCU of capacity, all mintable), $150 staked, collateral 150%. */
function dashboard(over: Partial<ProviderDashboard> = {}): ProviderDashboard {
  const base = {
    account: "0x0000000000000000000000000000000000000002" as const, now: NOW, stake: 150n * USD, obligation: 50n * SCU, jobCredits: 0n,
    capacity: 100n * SCU, obligationBound: 100n * SCU, referencePrice: 1n * USD,
    params: { mintRatioBps: 10_000n, collateralRatioBps: 15_000n, floorPrice: USD / 2n },
    liquidatable: false, unbonding: { amount: 0n, unlocksAt: 0, delay: 9 * 86_400 },
    reliability: { scoreBps: 5_000, completed: 0, noShows: 0, disputesLost: 0, openDisputes: 0 }, hosts: [host], jobs: [],
    ...over,
  };
  const limits = mintLimits({ ...base, collateralRatioBps: base.params.collateralRatioBps });
  return { ...base, limits, ...over } as ProviderDashboard;
}

describe("provider action reasons", () => {
  it("a host's capacity is GPUs × rating × hours left (an A100 is the reference: 1 SCU an hour)", () => {
    expect(ratingWad(gpuClass("a100-80gb-sxm"))).toBe(SCU);
    expect(hostCapacity(host, NOW)).toBe(100n * SCU);
    expect(hostCapacity(host, host.listedUntil + 1)).toBe(0n);
  });

  it("says which limit a mint runs into", () => {
    const d = dashboard();
    expect(d.limits).toMatchObject({ maxMint: 50n * SCU, limitedBy: "capacity" });
    expect(mintBlocked(d, 50n * SCU)).toBeUndefined();
    expect(mintBlocked(d, 50n * SCU + 1n)).toMatch(/^Your listed capacity backs at most 50 SCU more/);
    const poor = dashboard({ stake: 90n * USD });
    expect(poor.limits).toMatchObject({ maxMint: 10n * SCU, limitedBy: "stake" });
    expect(mintBlocked(poor, 11n * SCU)).toMatch(/^Your stake covers at most 10 SCU more at the reference price \$1\.00:/);
  });

  it("offers as Max what stays mintable for a minute while the listing runs down", () => {
    // 100 h at 1 SCU/h: a minute later the bound is 1/60 SCU lower.
    expect(mintMaxWithLeeway(dashboard())).toBe(50n * SCU - SCU / 60n - 1n);
    // Bound by stake, the stake limit stands.
    expect(mintMaxWithLeeway(dashboard({ stake: 90n * USD }))).toBe(10n * SCU);
  });

  it("retires no more than the obligation or the wallet holds", () => {
    expect(retireBlocked(dashboard(), 51n * SCU, 100n * SCU)).toMatch(/obligation is 50 SCU/);
    expect(retireBlocked(dashboard(), 20n * SCU, 10n * SCU)).toMatch(/You hold 10 SCU/);
    expect(retireBlocked(dashboard(), 10n * SCU, 10n * SCU)).toBeUndefined();
  });

  it("withdraws only after the delay, with no dispute open, leaving enough stake", () => {
    expect(withdrawBlocked(dashboard())).toMatch(/^Nothing is unbonding/);
    const unbonding = { amount: 50n * USD, unlocksAt: NOW + 9 * 86_400, delay: 9 * 86_400 };
    expect(withdrawBlocked(dashboard({ unbonding }))).toBe("Unbonding stake unlocks in 9 days, at 1970-01-21 13:46 UTC.");
    const due = { ...unbonding, unlocksAt: NOW };
    expect(withdrawBlocked(dashboard({ unbonding: due, reliability: { ...dashboard().reliability, openDisputes: 1 } }))).toMatch(/^1 dispute is open/);
    // $75 is needed for 50 SCU at $1 and 150%: $50 may leave, $100 may not.
    expect(withdrawBlocked(dashboard({ unbonding: due }))).toBeUndefined();
    expect(withdrawBlocked(dashboard({ unbonding: { ...due, amount: 100n * USD } }))).toBe(
      "After $100.00 leaves, $50.00 of stake would remain, below the $75.00 your obligation and open jobs need: retire credits first.",
    );
  });

  it("pauses a host only while the rest still backs the obligation", () => {
    expect(pauseBlocked(dashboard(), host)).toMatch(/^Without this host your capacity backs 0 SCU, less than your 50 SCU obligation: retire 50 SCU first/);
    expect(pauseBlocked(dashboard({ obligation: 0n }), host)).toBeUndefined();
    expect(pauseBlocked(dashboard(), { ...host, paused: true })).toBeUndefined(); // resuming
  });

  it("shows the book under a moved price, floored as the registry floors it", () => {
    const rows = priceScenarios(dashboard(), [0.25, 1, 2, 3]);
    expect(rows.map((r) => [r.price, r.required, r.liquidatable])).toEqual([
      [USD / 2n, 37_500_000n, false], // $0.25 is under the $0.50 floor
      [USD, 75n * USD, false],
      [2n * USD, 150n * USD, false], // exactly covered
      [3n * USD, 225n * USD, true],
    ]);
    expect(rows[1]!.collateralRatioWad).toBe(3n * 10n ** 18n); // $150 against 50 SCU × $1
  });
});

describe("listing run-down", () => {
  it("finds the last second the shrinking capacity still backs the obligation", () => {
    // 100 h listed at 1 SCU/h backs 100 SCU now and 50 SCU 50 h from now: a 50 SCU obligation is backed for 50 h.
    expect(backedUntil(dashboard())).toBe(NOW + 50 * 3600);
    expect(backedUntil(dashboard({ obligation: 0n }))).toBeUndefined();
    expect(backedUntil(dashboard({ obligation: 101n * SCU }))).toBe(NOW);
    // With a second host listed for 200 h, the first runs out at 100 h; the second alone backs 50 SCU until 150 h.
    const longer = { ...host, hostId: 2, listedUntil: NOW + 200 * 3600 };
    expect(backedUntil(dashboard({ hosts: [host, longer] }))).toBe(NOW + 150 * 3600);
  });

  it("moves a listing's end only to the future, within two years, and not below the obligation", () => {
    const d = dashboard();
    expect(listingBlocked(d, host, NOW)).toBe("A listing must end in the future.");
    expect(listingBlocked(d, host, NOW + 731 * 86_400)).toBe("A listing may run at most 730 days from now.");
    expect(listingBlocked(d, host, NOW + 500 * 3600)).toBeUndefined(); // longer
    expect(listingBlocked(d, host, NOW + 50 * 3600)).toBeUndefined(); // shorter, still 50 SCU
    expect(listingBlocked(d, host, NOW + 49 * 3600)).toBe("Ending the listing then, your capacity backs 49 SCU, less than your 50 SCU obligation.");
  });
});
