import { describe, expect, it } from "vitest";
import {
  challengeBlocked,
  challengeStatus,
  dueStep,
  formatFlops,
  isProvingNow,
  isVerified,
  nextExpiry,
  verificationDetail,
  verificationSummary,
  verificationView,
  type ChallengeRead,
  type HostVerification,
} from "./status";

const NOW = 1_800_000_000;
const WINDOWS = { revealWindow: 600, fraudWindow: 3_600 };

const challenge = (over: Partial<ChallengeRead> = {}): ChallengeRead => ({
  id: 7n,
  status: "passed",
  fee: 10n ** 18n,
  begunAt: NOW - 10_000,
  commitBy: NOW - 9_000,
  committedAt: NOW - 9_200,
  revealedAt: NOW - 9_100,
  ...over,
});

const verification = (over: Partial<HostVerification> = {}): HostVerification => ({
  verifiedUntil: 0,
  measuredMflops: 0,
  ratedMflops: 7_912_000_000,
  measuredAt: 0,
  nextChallengeAt: 0,
  failed: false,
  challenge: undefined,
  ...over,
});

const passed = verification({
  verifiedUntil: NOW + 86_400,
  measuredMflops: 6_500_000_000,
  measuredAt: NOW - 9_200,
  challenge: challenge(),
});

describe("a host's verification as pages show it", () => {
  it("reads the contract's challenge statuses in their order, unknown as none", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(challengeStatus)).toEqual([
      "none",
      "pending",
      "proving",
      "committed",
      "revealed",
      "passed",
      "failed",
      "withdrawn",
    ]);
    expect(challengeStatus(9)).toBe("none");
  });

  it("a challenge withdrawn before it began leaves the host unverified, not failed, and open to a new one", () => {
    const withdrawn = verification({ challenge: challenge({ status: "withdrawn", begunAt: 0, commitBy: 0 }) });
    expect(verificationView(withdrawn, WINDOWS, NOW)).toEqual({
      kind: "unverified",
      expiredAt: undefined,
      throughput: undefined,
    });
  });

  it("says never verified, with no challenge", () => {
    const view = verificationView(verification(), WINDOWS, NOW);
    expect(view).toEqual({ kind: "unverified", expiredAt: undefined, throughput: undefined });
    expect(verificationDetail(view, NOW)).toBe("Never verified: no challenge has measured its throughput.");
    expect(isVerified(verification(), NOW)).toBe(false);
  });

  it("is verified until its pass expires, with measured against rated throughput", () => {
    const view = verificationView(passed, WINDOWS, NOW);
    expect(view.kind).toBe("verified");
    expect(view.kind === "verified" && view.throughput?.percent).toBe(82);
    expect(verificationDetail(view, NOW)).toBe(
      "Verified until 2027-01-16 08:00 UTC: measured 6.5 PFLOP/s of 7.91 PFLOP/s rated (82%) at 2027-01-15 05:26 UTC.",
    );
    expect(isVerified(passed, NOW)).toBe(true);
    // The second it expires, it is unverified: the contract's check is verifiedUntil > now.
    const expired = verificationView(passed, WINDOWS, passed.verifiedUntil);
    expect(expired).toMatchObject({ kind: "unverified", expiredAt: passed.verifiedUntil });
    expect(verificationDetail(expired, passed.verifiedUntil)).toMatch(
      /^Verification expired at 2027-01-16 08:00 UTC\. Last measured 6\.5 PFLOP\/s/,
    );
    expect(isVerified(passed, passed.verifiedUntil)).toBe(false);
  });

  it("shows a challenge under way with its next deadline, keeping an earlier pass meanwhile", () => {
    const proving = verification({
      ...passed,
      challenge: challenge({ id: 8n, status: "proving", commitBy: NOW + 300, committedAt: 0, revealedAt: 0 }),
    });
    const view = verificationView(proving, WINDOWS, NOW);
    expect(view).toEqual({
      kind: "proving",
      challengeId: 8n,
      phase: "proving",
      deadline: NOW + 300,
      due: false,
      verifiedUntil: passed.verifiedUntil,
    });
    expect(verificationDetail(view, NOW)).toBe(
      "Challenge #8: the host is computing the challenge. Deadline 2027-01-15 08:05 UTC (in 5 minutes). Verified until 2027-01-16 08:00 UTC meanwhile.",
    );
    expect(isVerified(proving, NOW)).toBe(true);

    const committed = verificationView(
      verification({ challenge: challenge({ status: "committed", committedAt: NOW - 100, revealedAt: 0 }) }),
      WINDOWS,
      NOW,
    );
    expect(committed).toMatchObject({ phase: "committed", deadline: NOW + 500, due: false, verifiedUntil: undefined });

    const revealed = verificationView(
      verification({ challenge: challenge({ status: "revealed", revealedAt: NOW - 60 }) }),
      WINDOWS,
      NOW,
    );
    expect(revealed).toMatchObject({ phase: "revealed", deadline: NOW - 60 + 3_600, due: false });
    expect(verificationDetail(revealed, NOW)).toMatch(
      /anyone may prove one wrong\. It can be finalized in 59 minutes\.$/,
    );

    const pending = verificationView(verification({ challenge: challenge({ status: "pending" }) }), WINDOWS, NOW);
    expect(pending).toMatchObject({ phase: "pending", deadline: undefined, due: false });
  });

  it("marks the deadline due as the contract does: expire strictly after it, finalize from the window's end", () => {
    const proving = (now: number) =>
      verificationView(
        verification({ challenge: challenge({ status: "proving", commitBy: NOW, committedAt: 0, revealedAt: 0 }) }),
        WINDOWS,
        now,
      );
    expect(proving(NOW)).toMatchObject({ due: false });
    expect(proving(NOW + 1)).toMatchObject({ due: true });
    expect(dueStep(proving(NOW + 1), 0)).toBe("expire");

    const revealed = (now: number) =>
      verificationView(verification({ challenge: challenge({ status: "revealed", revealedAt: NOW }) }), WINDOWS, now);
    expect(revealed(NOW + 3_599)).toMatchObject({ due: false });
    expect(dueStep(revealed(NOW + 3_599), 0)).toBeUndefined();
    expect(revealed(NOW + 3_600)).toMatchObject({ due: true });
    expect(dueStep(revealed(NOW + 3_600), 0)).toBe("finalize");
    expect(verificationDetail(revealed(NOW + 3_600), NOW + 3_600)).toMatch(/anyone may finalize it\.$/);

    // A pending challenge begins once the host's GPUs are all free.
    const pending = verificationView(verification({ challenge: challenge({ status: "pending" }) }), WINDOWS, NOW);
    expect(dueStep(pending, 2)).toBeUndefined();
    expect(dueStep(pending, 0)).toBe("begin");
    expect(dueStep(verificationView(passed, WINDOWS, NOW), 0)).toBeUndefined();
  });

  it("says when and why a challenge failed, from how far it got", () => {
    const failedAs = (over: Partial<ChallengeRead>) =>
      verificationView(
        verification({ ...passed, failed: true, challenge: challenge({ status: "failed", ...over }) }),
        WINDOWS,
        NOW,
      );
    const missedCommit = failedAs({ committedAt: 0, revealedAt: 0 });
    expect(missedCommit).toEqual({ kind: "failed", challengeId: 7n, reason: "missed-commit", at: NOW - 9_000 });
    expect(verificationDetail(missedCommit, NOW)).toBe(
      "Failed challenge #7: it missed its commit deadline (2027-01-15 05:30 UTC).",
    );
    expect(failedAs({ revealedAt: 0 })).toMatchObject({ reason: "missed-reveal", at: NOW - 9_200 + 600 });
    expect(failedAs({})).toMatchObject({ reason: "wrong-element", at: NOW - 9_100 });
    // A failure takes the verification away at once, whatever verifiedUntil said.
    expect(isVerified(verification({ ...passed, failed: true }), NOW)).toBe(false);
  });

  it("shows a new challenge on a failed host as under way", () => {
    const view = verificationView(
      verification({ failed: true, challenge: challenge({ status: "pending" }) }),
      WINDOWS,
      NOW,
    );
    expect(view.kind).toBe("proving");
  });

  it("refuses new jobs from the challenge until the commit or its deadline", () => {
    const withChallenge = (over: Partial<ChallengeRead>) => verification({ challenge: challenge(over) });
    expect(isProvingNow(verification(), NOW)).toBe(false);
    expect(isProvingNow(withChallenge({ status: "pending" }), NOW)).toBe(true);
    expect(isProvingNow(withChallenge({ status: "proving", commitBy: NOW + 1 }), NOW)).toBe(true);
    expect(isProvingNow(withChallenge({ status: "proving", commitBy: NOW }), NOW)).toBe(false);
    expect(isProvingNow(withChallenge({ status: "committed" }), NOW)).toBe(false);
  });

  it("says why a host cannot be challenged now, in the contract's order", () => {
    const host = { hostId: 3, paused: false, listedUntil: NOW + 86_400 };
    expect(challengeBlocked(host, passed, NOW)).toBeUndefined();
    expect(challengeBlocked({ ...host, listedUntil: NOW }, passed, NOW)).toBe(
      "Host #3's listing has ended: only listed hosts are challenged.",
    );
    expect(challengeBlocked({ ...host, paused: true }, passed, NOW)).toMatch(/^Host #3 is paused/);
    expect(challengeBlocked(host, verification({ challenge: challenge({ id: 9n, status: "committed" }) }), NOW)).toBe(
      "Host #3 is already being challenged (#9): one challenge at a time.",
    );
    expect(challengeBlocked(host, verification({ nextChallengeAt: NOW + 7_200 }), NOW)).toMatch(
      /^Host #3 was challenged recently: it can be challenged again in 2 hours/,
    );
    expect(challengeBlocked(host, verification({ nextChallengeAt: NOW }), NOW)).toBeUndefined();
  });

  it("writes throughput in the unit that fits, to three significant digits", () => {
    expect(formatFlops(989_000_000)).toBe("989 TFLOP/s");
    expect(formatFlops(7_912_000_000)).toBe("7.91 PFLOP/s");
    expect(formatFlops(999_999_999)).toBe("1,000 TFLOP/s");
    expect(formatFlops(12_540)).toBe("12.5 GFLOP/s");
    expect(formatFlops(840)).toBe("840 MFLOP/s");
  });

  it("sums each state up in a few words for a table's second line", () => {
    const summary = (v: HostVerification, now = NOW) => verificationSummary(verificationView(v, WINDOWS, now), now);
    expect(summary(passed)).toBe("82% of rated · 24 hours left");
    expect(summary(verification())).toBe("never challenged");
    expect(summary(passed, passed.verifiedUntil + 7_200)).toBe("expired 2 hours ago");
    const proving = challenge({ id: 8n, status: "proving", commitBy: NOW + 300, committedAt: 0, revealedAt: 0 });
    expect(summary(verification({ challenge: proving }))).toBe("challenge #8 · commit due in 5 minutes");
    expect(summary(verification({ challenge: proving }), NOW + 301)).toBe("challenge #8 · deadline missed");
    expect(summary(verification({ challenge: challenge({ status: "committed", committedAt: NOW }) }))).toBe(
      "challenge #7 · reveal due in 10 minutes",
    );
    expect(summary(verification({ challenge: challenge({ status: "revealed", revealedAt: NOW }) }), NOW + 3_600)).toBe(
      "challenge #7 · can be finalized",
    );
    expect(summary(verification({ challenge: challenge({ status: "pending" }) }))).toBe(
      "challenge #7 · waits for its jobs",
    );
    expect(summary(verification({ failed: true, challenge: challenge({ status: "failed", revealedAt: 0 }) }))).toBe(
      "missed its reveal deadline",
    );
  });

  it("finds the verified host whose verification ends first", () => {
    const hosts = [
      { id: 1, verification: passed },
      { id: 2, verification: { ...passed, verifiedUntil: NOW + 3_600 } },
      { id: 3, verification: { ...passed, verifiedUntil: NOW + 60, failed: true } },
      { id: 4, verification: verification() },
    ];
    expect(nextExpiry(hosts, NOW)).toEqual({ host: hosts[1], at: NOW + 3_600 });
    expect(nextExpiry(hosts, NOW + 3_600)).toEqual({ host: hosts[0], at: passed.verifiedUntil });
    expect(nextExpiry(hosts.slice(2), NOW)).toBeUndefined();
  });
});
