import { describe, expect, it } from "vitest";
import {
  backedUntil,
  freshAt,
  hostCapacity,
  listingBlocked,
  mintBlocked,
  mintBoundAt,
  mintableBoundAt,
  mintMaxWithLeeway,
  obligationBoundAt,
  pauseBlocked,
  priceBlocked,
  priceScenarios,
  retireBlocked,
  withdrawBlocked,
} from "./actions";
import { mintLimits } from "./limits";
import type { ProviderDashboard, ProviderHost } from "./dashboard";

const SCU = 10n ** 18n;
const USD = 10n ** 6n;
const NOW = 1_000_000;
const HOUR = 3600;
const DAY = 86_400;
/** One A100 (the reference: 1 SCU an hour) listed for 100 h. */
const host: ProviderHost = {
  hostId: 1,
  classId: "a100-80gb-sxm",
  gpuCount: 1,
  gpusBusy: 0,
  paused: false,
  listedUntil: NOW + 100 * HOUR,
  endpoint: "https://h",
  region: "eu",
  signer: "0x0000000000000000000000000000000000000001",
  ratingWad: SCU,
  countedRatingWad: SCU,
  registeredAt: NOW - 10,
  // Verified for a week: its capacity backs a mint.
  verification: {
    verifiedUntil: NOW + 7 * 24 * 3600,
    measuredMflops: 300_000_000,
    ratedMflops: 312_000_000,
    measuredAt: NOW - 3600,
    nextChallengeAt: 0,
    failed: false,
    challenge: undefined,
  },
  challengeFee: SCU / 10n,
};
const fresh = { fresh: true, twap: USD, price: USD, bookingPrice: USD, newestObservation: NOW - 20 * 60 };
const stale = { fresh: false, twap: 0n, price: 0n, bookingPrice: USD / 2n, newestObservation: 0 };

/**
 * A provider with that host (100 SCU of capacity now, 76 SCU a day from now, all mintable), $150 staked,
 * collateral 150%, 50 SCU owed, a 30-minute TWAP window and a three-day unbonding window. The bounds and
 * limits are what the registry would answer for it.
 */
function dashboard(over: Partial<ProviderDashboard> = {}): ProviderDashboard {
  const base: ProviderDashboard = {
    account: "0x0000000000000000000000000000000000000002",
    now: NOW,
    stake: 150n * USD,
    obligation: 50n * SCU,
    jobCredits: 0n,
    disputeStake: 0n,
    obligationBound: 0n,
    mintBound: 0n,
    price: fresh,
    params: {
      mintRatioBps: 10_000n,
      collateralRatioBps: 15_000n,
      floorPrice: USD / 2n,
      twapWindow: 30 * 60,
      mintHeadroom: DAY,
    },
    limits: undefined as never,
    liquidatable: false,
    unbonding: { amount: 0n, unlocksAt: 0, delay: 9 * DAY, window: 3 * DAY },
    reliability: {
      scoreBps: 5_000,
      completed: 0,
      noShows: 0,
      disputesLost: 0,
      challengesFailed: 0,
      openDisputes: 0,
      servedGpuSeconds: 0,
      failedGpuSeconds: 0,
    },
    hosts: [host],
    jobs: [],
    verifier: { revealWindow: 600, fraudWindow: 3_600 },
    ...over,
  };
  const d = {
    ...base,
    obligationBound: obligationBoundAt(base, base.now),
    mintBound: mintableBoundAt(base, base.now),
    ...over,
  };
  const limits = mintLimits({
    ...d,
    priceFresh: d.price.fresh,
    bookingPrice: d.price.bookingPrice,
    collateralRatioBps: d.params.collateralRatioBps,
  });
  return { ...d, limits };
}

describe("the registry's bounds", () => {
  it("a host's capacity is GPUs × rating × hours left", () => {
    expect(hostCapacity(host, SCU, NOW)).toBe(100n * SCU);
    expect(hostCapacity(host, 2n * SCU, NOW + 50 * HOUR)).toBe(100n * SCU);
    expect(hostCapacity(host, SCU, host.listedUntil + 1)).toBe(0n);
  });

  it("mints against the listings a day from now at the ratings in effect, and liquidates against them now at the counted ratings", () => {
    const d = dashboard();
    expect(d.obligationBound).toBe(100n * SCU);
    expect(d.mintBound).toBe(76n * SCU);
    // A rating that fell since the last mint lowers what may be minted, never what was minted against.
    const fell = { ...host, ratingWad: SCU / 2n };
    expect(obligationBoundAt(dashboard({ hosts: [fell] }), NOW)).toBe(100n * SCU);
    expect(mintBoundAt(dashboard({ hosts: [fell] }), NOW)).toBe(38n * SCU);
    // A listing that ends within the day counts nothing toward minting; a paused host counts for neither.
    expect(mintBoundAt(dashboard({ hosts: [{ ...host, listedUntil: NOW + 23 * HOUR }] }), NOW)).toBe(0n);
    expect(obligationBoundAt(dashboard({ hosts: [{ ...host, paused: true }] }), NOW)).toBe(0n);
  });

  it("mints only against hosts verified a day ahead; a failed host counts for nothing, a lapsed one still holds", () => {
    const lapsing = { ...host, verification: { ...host.verification, verifiedUntil: NOW + DAY - 1 } };
    const failed = { ...host, verification: { ...host.verification, failed: true } };
    // Verified until a second short of the headroom: nothing to mint against, as ProviderRegistry._mintBound.
    expect(mintableBoundAt(dashboard({ hosts: [lapsing] }), NOW)).toBe(0n);
    expect(
      mintableBoundAt(
        dashboard({ hosts: [{ ...lapsing, verification: { ...lapsing.verification, verifiedUntil: NOW + DAY } }] }),
        NOW,
      ),
    ).toBe(76n * SCU);
    // Lapsing still backs what was minted (liquidation, pause, shortening); failing backs nothing at all.
    expect(obligationBoundAt(dashboard({ hosts: [lapsing] }), NOW)).toBe(100n * SCU);
    expect(mintBoundAt(dashboard({ hosts: [lapsing] }), NOW)).toBe(76n * SCU);
    expect(obligationBoundAt(dashboard({ hosts: [failed] }), NOW)).toBe(0n);
    expect(mintBoundAt(dashboard({ hosts: [failed] }), NOW)).toBe(0n);
    expect(mintableBoundAt(dashboard({ hosts: [failed] }), NOW)).toBe(0n);
    // The Max mint follows: nothing while no host is verified far enough ahead.
    expect(mintMaxWithLeeway(dashboard({ hosts: [lapsing], obligation: 0n }))).toBe(0n);
  });

  it("a host never proven (or whose challenge was withdrawn) backs nothing, as ProviderRegistry counts it", () => {
    const unproven = { ...host, verification: { ...host.verification, verifiedUntil: 0 } };
    expect(obligationBoundAt(dashboard({ hosts: [unproven] }), NOW)).toBe(0n);
    expect(mintBoundAt(dashboard({ hosts: [unproven] }), NOW)).toBe(0n);
    expect(mintableBoundAt(dashboard({ hosts: [unproven] }), NOW)).toBe(0n);
  });
});

describe("minting", () => {
  it("says which limit a mint runs into", () => {
    const d = dashboard();
    expect(d.limits).toMatchObject({ maxMint: 26n * SCU, limitedBy: "capacity" });
    expect(mintBlocked(d, 26n * SCU)).toBeUndefined();
    expect(mintBlocked(d, 26n * SCU + 1n)).toBe(
      "Your verified listings, counted a day from now, back at most 26 SCU more: verify more hosts (request a challenge), list more GPUs, or list them for longer.",
    );
    const poor = dashboard({ stake: 90n * USD });
    expect(poor.limits).toMatchObject({ maxMint: 10n * SCU, limitedBy: "stake" });
    expect(mintBlocked(poor, 11n * SCU)).toMatch(
      /^Your stake covers at most 10 SCU more at the reference price \$1\.00:/,
    );
  });

  it("offers as Max what stays within the mint bound for a minute while the listing runs down", () => {
    // At 1 SCU an hour, a minute later the bound is 1/60 SCU lower (rounded down, as the registry rounds).
    expect(mintMaxWithLeeway(dashboard())).toBe(26n * SCU - SCU / 60n - 1n);
    // Bound by stake, the stake limit stands.
    expect(mintMaxWithLeeway(dashboard({ stake: 90n * USD }))).toBe(10n * SCU);
    expect(mintMaxWithLeeway(dashboard({ price: stale }))).toBe(0n);
  });

  it("refuses to mint without a fresh price, and says when minting opens", () => {
    expect(mintBlocked(dashboard({ price: stale }), 1n)).toBe(
      "No fresh price reading: anyone can record one; minting opens 30 minutes after.",
    );
    // A reading of 10 minutes ago is usable 20 minutes from now; a reading 2 hours old is of no use.
    const recent = dashboard({ price: { ...stale, newestObservation: NOW - 600 } });
    expect(freshAt(recent)).toBe(NOW + 1200);
    expect(mintBlocked(recent, 1n)).toBe(
      "No fresh price reading yet: minting opens at 1970-01-12 14:06 UTC (in 20 minutes), a TWAP window after the reading of 1970-01-12 13:36 UTC.",
    );
    expect(freshAt(dashboard({ price: { ...stale, newestObservation: NOW - 2 * HOUR } }))).toBeUndefined();
    expect(priceBlocked(dashboard(), "minting")).toBeUndefined();
  });

  it("retires no more than the obligation or the wallet holds", () => {
    expect(retireBlocked(dashboard(), 51n * SCU, 100n * SCU)).toMatch(/obligation is 50 SCU/);
    expect(retireBlocked(dashboard(), 20n * SCU, 10n * SCU)).toMatch(/You hold 10 SCU/);
    expect(retireBlocked(dashboard(), 10n * SCU, 10n * SCU)).toBeUndefined();
  });
});

describe("unbonding", () => {
  const due = { amount: 50n * USD, unlocksAt: NOW, delay: 9 * DAY, window: 3 * DAY };

  it("withdraws only from the unlock until the request lapses, leaving enough stake", () => {
    expect(withdrawBlocked(dashboard())).toBe(
      "Nothing is unbonding: start unbonding first, then withdraw after the delay.",
    );
    expect(withdrawBlocked(dashboard({ unbonding: { ...due, unlocksAt: NOW + 9 * DAY } }))).toBe(
      "Unbonding stake unlocks in 9 days, at 1970-01-21 13:46 UTC.",
    );
    // $75 is needed for 50 SCU at $1 and 150%: $50 may leave, $100 may not.
    expect(withdrawBlocked(dashboard({ unbonding: due }))).toBeUndefined();
    expect(withdrawBlocked(dashboard({ unbonding: { ...due, amount: 100n * USD } }))).toBe(
      "After $100.00 leaves, $50.00 of stake would remain, below the $75.00 your obligation, open jobs and open disputes need: unbond less, or retire credits first.",
    );
    // Withdrawable until three days after the unlock, not at that second.
    expect(withdrawBlocked(dashboard({ unbonding: { ...due, unlocksAt: NOW - 3 * DAY + 1 } }))).toBeUndefined();
    expect(withdrawBlocked(dashboard({ unbonding: { ...due, unlocksAt: NOW - 3 * DAY } }))).toBe(
      "Your unbonding request lapsed at 1970-01-12 13:46 UTC, 3 days after it unlocked: start unbonding again.",
    );
  });

  it("holds only the stake at risk in open disputes, not the whole stake", () => {
    const disputed = {
      reliability: { ...dashboard().reliability, openDisputes: 1 },
      disputeStake: 10n * USD,
      unbonding: due,
    };
    expect(withdrawBlocked(dashboard(disputed))).toBeUndefined();
    expect(withdrawBlocked(dashboard({ ...disputed, unbonding: { ...due, amount: 70n * USD } }))).toMatch(
      /below the \$85\.00 your obligation, open jobs and open disputes need/,
    );
  });

  it("needs a fresh price only while an obligation or open jobs are valued", () => {
    expect(withdrawBlocked(dashboard({ unbonding: due, price: stale }))).toMatch(
      /^No fresh price reading, which withdrawing needs while you have an obligation or open jobs: anyone can record one; withdrawing opens 30 minutes after\.$/,
    );
    const owesNothing = { unbonding: due, price: stale, obligation: 0n, disputeStake: 120n * USD };
    expect(withdrawBlocked(dashboard(owesNothing))).toMatch(
      /^After \$50\.00 leaves, \$100\.00 of stake would remain, below the \$120\.00/,
    );
    expect(withdrawBlocked(dashboard({ ...owesNothing, disputeStake: 100n * USD }))).toBeUndefined();
  });
});

describe("hosts", () => {
  it("pauses a host only while the rest still backs the obligation a day ahead", () => {
    expect(pauseBlocked(dashboard(), host)).toBe(
      "Without this host your capacity backs 0 SCU, less than your 50 SCU obligation (counted a day ahead, as for a mint): retire 50 SCU first.",
    );
    expect(pauseBlocked(dashboard({ obligation: 0n }), host)).toBeUndefined();
    expect(pauseBlocked(dashboard(), { ...host, paused: true })).toBeUndefined(); // resuming
    const second = { ...host, hostId: 2, listedUntil: NOW + 74 * HOUR }; // 50 SCU a day ahead
    expect(pauseBlocked(dashboard({ hosts: [host, second] }), host)).toBeUndefined();
  });

  it("moves a listing's end only to the future, within two years; shortening stays within the mint bound, extending always goes", () => {
    const d = dashboard();
    expect(listingBlocked(d, host, NOW)).toBe("A listing must end in the future.");
    expect(listingBlocked(d, host, NOW + 731 * DAY)).toBe("A listing may run at most 730 days from now.");
    expect(listingBlocked(d, host, NOW + 500 * HOUR)).toBeUndefined(); // longer
    expect(listingBlocked(d, host, NOW + 74 * HOUR)).toBeUndefined(); // shorter, still 50 SCU a day ahead
    expect(listingBlocked(d, host, NOW + 73 * HOUR)).toBe(
      "Ending the listing then, your listings back 49 SCU a day from now, less than your 50 SCU obligation.",
    );
    // Over the mint bound already: a partial extension still goes, any shortening does not, paused or not.
    const over = dashboard({ obligation: 90n * SCU });
    expect(listingBlocked(over, host, NOW + 110 * HOUR)).toBeUndefined();
    expect(
      listingBlocked(
        dashboard({ obligation: 90n * SCU, hosts: [{ ...host, paused: true }] }),
        { ...host, paused: true },
        NOW + 99 * HOUR,
      ),
    ).toMatch(/^Ending the listing then, your listings back 0 SCU/);
  });
});

describe("listing run-down", () => {
  it("finds the last second the shrinking capacity still backs the obligation, at the counted ratings", () => {
    // 100 h listed at 1 SCU/h backs 100 SCU now and 50 SCU 50 h from now: a 50 SCU obligation is backed for 50 h.
    expect(backedUntil(dashboard())).toBe(NOW + 50 * HOUR);
    expect(backedUntil(dashboard({ obligation: 0n }))).toBeUndefined();
    expect(backedUntil(dashboard({ obligation: 101n * SCU }))).toBe(NOW);
    // With a second host listed for 200 h, the first runs out at 100 h; the second alone backs 50 SCU until 150 h.
    const longer = { ...host, hostId: 2, listedUntil: NOW + 200 * HOUR };
    expect(backedUntil(dashboard({ hosts: [host, longer] }))).toBe(NOW + 150 * HOUR);
    // Counted at twice the rating, the one host backs 50 SCU until 25 h before its listing ends.
    expect(backedUntil(dashboard({ hosts: [{ ...host, countedRatingWad: 2n * SCU }] }))).toBe(NOW + 75 * HOUR);
  });
});

describe("price scenarios", () => {
  it("shows the book under a moved price, floored as the registry floors it", () => {
    const rows = priceScenarios(dashboard(), [0.25, 1, 2, 3]);
    expect(rows.map((r) => [r.price, r.required, r.liquidatable])).toEqual([
      [USD / 2n, 37_500_000n, false], // $0.25 is under the $0.50 floor
      [USD, 75n * USD, false],
      [2n * USD, 150n * USD, false], // exactly covered
      [3n * USD, 225n * USD, true],
    ]);
    expect(rows[1]!.collateralRatioWad).toBe(3n * 10n ** 18n); // $150 against 50 SCU × $1
    // With no fresh price the table starts from the floor, the price stake is booked at.
    expect(priceScenarios(dashboard({ price: stale }), [1])[0]!.price).toBe(USD / 2n);
  });
});
