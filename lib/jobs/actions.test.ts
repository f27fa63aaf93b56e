import { describe, expect, it } from "vitest";
import {
  cancelOffer,
  defaultRulingOpen,
  disputeBlocked,
  extendOffer,
  extensionCost,
  maxReservationFee,
  stopBlocked,
} from "./actions";
import type { JobDetails } from "./details";

const SCU = 10n ** 18n;
const T0 = 1_000_000; // 1970-01-12 13:46:40 UTC
const ACK = `0x${"22".repeat(65)}` as const;

/** A one-hour job locking 60 SCU, funded at T0 with a 15-minute start timeout. */
function job(over: Partial<JobDetails> = {}): JobDetails {
  return {
    id: 7n,
    status: "created",
    buyer: "0x0000000000000000000000000000000000000001",
    provider: "0x0000000000000000000000000000000000000002",
    signer: "0x0000000000000000000000000000000000000003",
    hostId: 1,
    classId: "a100-80gb-sxm",
    region: "eu",
    gpus: 1,
    maxDuration: 3600,
    locked: 60n * SCU,
    used: 0n,
    specHash: "0x",
    resultHash: "0x",
    createdAt: T0,
    startedAt: 0,
    stoppedAt: 0,
    endedAt: 0,
    disputeEndsAt: 0,
    startDeadline: T0 + 900,
    startTimeout: 900,
    cancelOpenAt: T0 + 1800,
    maxEnd: 0,
    receiptDeadline: 0,
    reservationFee: 5n * SCU,
    disputeBond: { bond: 6n * SCU, fromWallet: 0n, bps: 1000 },
    dispute: undefined,
    outcome: undefined,
    now: T0 + 300,
    ...over,
  };
}

describe("cancelling a job that has not started", () => {
  it("charges at most a start timeout's worth of the job, and never more than it locked", () => {
    expect(maxReservationFee(job())).toBe(30n * SCU); // two start timeouts of an hour's 60 SCU
    expect(maxReservationFee(job({ maxDuration: 1800 }))).toBe(60n * SCU); // the shortest job: all it locked
    expect(maxReservationFee(job({ locked: 7n }))).toBe(4n); // ⌈7 × 1,800 / 3,600⌉
  });

  it("lets the buyer withdraw at any time, paying the reservation fee read with the job", () => {
    expect(cancelOffer(job(), { isBuyer: true, ack: undefined })).toEqual({
      kind: "withdraw",
      fee: 5n * SCU,
      maxFee: 30n * SCU,
      refund: 55n * SCU,
    });
    // The host's acknowledgement counts only once the host's time to start is over.
    expect(cancelOffer(job({ now: T0 + 899 }), { isBuyer: true, ack: ACK })).toMatchObject({ kind: "withdraw" });
  });

  it("refunds the buyer in full as the host's no-show, with its acknowledgement, from the start timeout", () => {
    expect(cancelOffer(job({ now: T0 + 900 }), { isBuyer: true, ack: ACK })).toEqual({
      kind: "no-show",
      refund: 60n * SCU,
    });
    expect(cancelOffer(job({ now: T0 + 900 }), { isBuyer: true, ack: undefined })).toMatchObject({ kind: "withdraw" });
  });

  it("lets anyone else cancel only after two start timeouts", () => {
    expect(cancelOffer(job({ now: T0 + 1799 }), { isBuyer: false, ack: undefined })).toEqual({
      kind: "wait",
      reason:
        "Only the buyer can cancel this job until 1970-01-12 14:16 UTC; after that, anyone can, if its host has not started it.",
    });
    expect(cancelOffer(job({ now: T0 + 1800 }), { isBuyer: false, ack: ACK })).toMatchObject({ kind: "withdraw" });
    expect(cancelOffer(job({ status: "running" }), { isBuyer: true, ack: ACK })).toBeUndefined();
  });
});

describe("stopping a running job", () => {
  const running = { status: "running" as const, startedAt: T0 + 60, maxEnd: T0 + 3660, receiptDeadline: T0 + 7260 };

  it("stops only before the maximum end, and once", () => {
    expect(stopBlocked(job({ ...running, now: T0 + 3659 }))).toBeUndefined();
    expect(stopBlocked(job({ ...running, now: T0 + 3660 }))).toBe(
      "The job reached its maximum end at 1970-01-12 14:47 UTC: there is nothing left to stop. The host's receipt is due by 1970-01-12 15:47 UTC.",
    );
    expect(stopBlocked(job({ ...running, stoppedAt: T0 + 120 }))).toMatch(
      /^Stopped at 1970-01-12 13:48 UTC: billing ended there/,
    );
  });
});

describe("extending a job", () => {
  const running = { status: "running" as const, startedAt: T0 + 60, maxEnd: T0 + 3660, receiptDeadline: T0 + 7260 };

  it("costs the job's own price per second, rounded up", () => {
    expect(extensionCost(job(), 1800)).toBe(30n * SCU);
    expect(extensionCost(job({ locked: 60n * SCU + 1n }), 1800)).toBe(30n * SCU + 1n);
  });

  it("is open while the job runs, until a minute before its maximum end, up to the longest job", () => {
    expect(extendOffer(job())).toBeUndefined(); // not started: the escrow extends running jobs only
    expect(extendOffer(job({ ...running, now: T0 + 3599 }))).toEqual({
      kind: "open",
      maxSeconds: 168 * 3600 - 3600,
      end: T0 + 3660,
    });
    expect(extendOffer(job({ ...running, now: T0 + 3600 }))).toEqual({
      kind: "blocked",
      reason:
        "The job ends at 1970-01-12 14:47 UTC: an extension must land over a minute before it, before the host reads the chain for one.",
    });
    expect(extendOffer(job({ ...running, stoppedAt: T0 + 120 }))).toMatchObject({ kind: "blocked" });
    expect(extendOffer(job({ ...running, maxDuration: 168 * 3600 }))).toMatchObject({ kind: "blocked" });
    expect(extendOffer(job({ status: "submitted" }))).toBeUndefined();
  });
});

describe("disputing a receipt", () => {
  const submitted = {
    status: "submitted" as const,
    used: 58n * SCU,
    disputeBond: { bond: 6n * SCU, fromWallet: 4n * SCU, bps: 1000 },
  };

  it("needs a reason of at most 280 bytes, counted as UTF-8", () => {
    expect(disputeBlocked(job(submitted), "  ", 10n * SCU)).toBe("Say what went wrong: the arbiter reads it.");
    expect(disputeBlocked(job(submitted), "é".repeat(140), 10n * SCU)).toBeUndefined();
    expect(disputeBlocked(job(submitted), "é".repeat(141), 10n * SCU)).toBe(
      "A reason is at most 280 bytes; this one has 282.",
    );
  });

  it("needs the wallet to hold the part of the bond the refund does not cover", () => {
    expect(disputeBlocked(job(submitted), "wrong output", 3n * SCU)).toBe(
      "The bond needs 4 SCU from your wallet, which holds 3 SCU: get SCU on the Swap page first.",
    );
    expect(disputeBlocked(job(submitted), "wrong output", 4n * SCU)).toBeUndefined();
    // Covered by the refund, the wallet is not asked.
    expect(
      disputeBlocked(
        job({ ...submitted, disputeBond: { bond: 6n * SCU, fromWallet: 0n, bps: 1000 } }),
        "wrong output",
        0n,
      ),
    ).toBeUndefined();
  });

  it("opens the default ruling to anyone once the arbiter's deadline passes", () => {
    const disputed = { status: "disputed" as const, dispute: { stakeAtRisk: 60_000_000n, ruleBy: T0 + 7 * 86_400 } };
    expect(defaultRulingOpen(job({ ...disputed, now: T0 + 7 * 86_400 - 1 }))).toBe(false);
    expect(defaultRulingOpen(job({ ...disputed, now: T0 + 7 * 86_400 }))).toBe(true);
  });
});
