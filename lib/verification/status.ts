/**
 * A host's verified supply as pages show it, from the SupplyVerifier's reads (`hostVerification`, the latest
 * challenge's `challengeOf`, the verifier's windows): verified (until when, measured against rated throughput),
 * proving (a challenge under way, and its next deadline), unverified (never, or expired) or failed (when, and
 * why). Pure: the market's offers, the provider's book and both host tables read it the same way. The rules are
 * SupplyVerifier.sol's; the contract keeps the last word, since every write is simulated before it is signed.
 */
import { formatClock, formatDuration } from "../time";

/** A challenge's life, in the order of ChallengeStatus in contracts/src/types/Verification.sol. */
export const CHALLENGE_STATUSES = [
  "none",
  "pending",
  "proving",
  "committed",
  "revealed",
  "passed",
  "failed",
  "withdrawn",
] as const;

export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

export const challengeStatus = (index: number | bigint): ChallengeStatus => CHALLENGE_STATUSES[Number(index)] ?? "none";

/** How each status reads in a sentence: "Challenge #3 is being computed". */
export const CHALLENGE_STATUS_WORDS: Record<ChallengeStatus, string> = {
  none: "unknown",
  pending: "waiting for its host's jobs to end",
  proving: "being computed",
  committed: "committed",
  revealed: "revealed",
  passed: "passed",
  failed: "failed",
  withdrawn: "withdrawn before it began (its host stopped offering its GPUs)",
};

/** The duty cycle's refusal, `wait` seconds before host #`hostId` may be challenged again (the app's check and the
 * contract's ChallengeTooSoon say the same). */
export const challengeTooSoon = (hostId: number | bigint, wait: number) =>
  `Host #${hostId} was challenged recently: it can be challenged again in ${formatWait(wait)} (the duty cycle keeps challenges from taking up its time).`;

/** The statuses in which a challenge is still open: the host cannot be challenged again until it ends. */
const OPEN: readonly ChallengeStatus[] = ["pending", "proving", "committed", "revealed"];

/** What the app keeps of a challenge (`challengeOf`); times are unix seconds, 0 until they happen. */
export interface ChallengeRead {
  id: bigint;
  status: ChallengeStatus;
  /** SCU the challenger paid in: the host's provider gets it on a pass, the challenger gets it back on a failure. */
  fee: bigint;
  begunAt: number;
  /** The host must commit its root by then (set when the challenge begins). */
  commitBy: number;
  committedAt: number;
  revealedAt: number;
}

/** A host's verification as the verifier reads it (`hostVerification`), with its latest challenge. */
export interface HostVerification {
  /** The host counts as verified until then (0: never passed). */
  verifiedUntil: number;
  /** Throughput the latest passed challenge measured, and what the host's class and GPU count promise (MFLOP/s). */
  measuredMflops: number;
  ratedMflops: number;
  /** When the latest passed challenge was measured (0: never). */
  measuredAt: number;
  /** The duty cycle: no new challenge on the host before then. */
  nextChallengeAt: number;
  /** The host's latest challenge failed and no challenge has passed since. */
  failed: boolean;
  /** The host's latest challenge (`lastChallengeId`), if it ever had one. */
  challenge: ChallengeRead | undefined;
}

/** The verifier's deadlines after a commit (seconds): to reveal the audited tiles, then for anyone to prove fraud. */
export interface VerifierWindows {
  revealWindow: number;
  fraudWindow: number;
}

export interface Throughput {
  measuredMflops: number;
  ratedMflops: number;
  /** measured ÷ rated, in whole percent (undefined with no rating). */
  percent: number | undefined;
  /** When it was measured. */
  at: number;
}

/** The open challenge's step: waiting for the host's jobs to end, computing, committed, or revealed. */
export type ProvingPhase = "pending" | "proving" | "committed" | "revealed";

/** Why a challenge failed, from how far it got (ChallengeFailed's reason, without reading the event). */
export type FailureReason = "missed-commit" | "missed-reveal" | "wrong-element";

export type VerificationView =
  | { kind: "verified"; until: number; throughput: Throughput | undefined }
  | {
      kind: "proving";
      challengeId: bigint;
      phase: ProvingPhase;
      /** The next deadline: the commit (proving), the reveal (committed), the fraud window's end (revealed); none
       * while pending (it waits for the host's jobs, which end within the escrow's longest job). */
      deadline: number | undefined;
      /** Past the deadline: anyone may expire it (proving, committed) or finalize it (revealed). */
      due: boolean;
      /** A verification from an earlier pass that still holds meanwhile. */
      verifiedUntil: number | undefined;
    }
  | { kind: "unverified"; expiredAt: number | undefined; throughput: Throughput | undefined }
  | { kind: "failed"; challengeId: bigint | undefined; reason: FailureReason | undefined; at: number | undefined };

export type VerificationKind = VerificationView["kind"];

const throughputOf = (v: HostVerification): Throughput | undefined =>
  v.measuredAt === 0
    ? undefined
    : {
        measuredMflops: v.measuredMflops,
        ratedMflops: v.ratedMflops,
        percent: v.ratedMflops > 0 ? Math.round((v.measuredMflops * 100) / v.ratedMflops) : undefined,
        at: v.measuredAt,
      };

/** Whether the host counts as verified at `now`: a pass that has not expired, and no failure since. A challenge
 * under way does not take it away; only its failure does. */
export const isVerified = (v: HostVerification, now: number) => !v.failed && v.verifiedUntil > now;

/** Whether the host's latest challenge is still open. */
export const hasOpenChallenge = (v: HostVerification) => v.challenge !== undefined && OPEN.includes(v.challenge.status);

/** Whether the registry refuses the host new jobs now (`HostProving`): from the challenge until the host commits its
 * root, or its commit deadline passes. */
export function isProvingNow(v: HostVerification, now: number): boolean {
  const c = v.challenge;
  if (!c) return false;
  return c.status === "pending" || (c.status === "proving" && now < c.commitBy);
}

/** Why and when a failed challenge failed: the deadline it missed, or the reveal a fraud proof struck down. */
function failure(c: ChallengeRead, windows: VerifierWindows): { reason: FailureReason; at: number } {
  if (c.revealedAt > 0) return { reason: "wrong-element", at: c.revealedAt };
  if (c.committedAt > 0) return { reason: "missed-reveal", at: c.committedAt + windows.revealWindow };
  return { reason: "missed-commit", at: c.commitBy };
}

/** The open challenge's next deadline, and whether it has passed. */
function deadlineOf(c: ChallengeRead, windows: VerifierWindows, now: number) {
  const deadline =
    c.status === "proving"
      ? c.commitBy
      : c.status === "committed"
        ? c.committedAt + windows.revealWindow
        : c.status === "revealed"
          ? c.revealedAt + windows.fraudWindow
          : undefined;
  // The contract's own comparisons: expire past commitBy / the reveal window (strictly), finalize at the window's end.
  const due = deadline !== undefined && (c.status === "revealed" ? now >= deadline : now > deadline);
  return { deadline, due };
}

/** The host's verification at chain time `now`, as one of four states. */
export function verificationView(v: HostVerification, windows: VerifierWindows, now: number): VerificationView {
  const c = v.challenge;
  if (c && OPEN.includes(c.status)) {
    return {
      kind: "proving",
      challengeId: c.id,
      phase: c.status as ProvingPhase,
      ...deadlineOf(c, windows, now),
      verifiedUntil: isVerified(v, now) ? v.verifiedUntil : undefined,
    };
  }
  if (v.failed) {
    const failed = c?.status === "failed" ? failure(c, windows) : undefined;
    return { kind: "failed", challengeId: failed ? c!.id : undefined, reason: failed?.reason, at: failed?.at };
  }
  const throughput = throughputOf(v);
  if (v.verifiedUntil > now) return { kind: "verified", until: v.verifiedUntil, throughput };
  return { kind: "unverified", expiredAt: v.verifiedUntil > 0 ? v.verifiedUntil : undefined, throughput };
}

/** The verified host whose verification ends first, and when: what a provider must renew next (undefined when none
 * is verified). */
export function nextExpiry<H extends { verification: HostVerification }>(
  hosts: readonly H[],
  now: number,
): { host: H; at: number } | undefined {
  return hosts
    .filter((h) => isVerified(h.verification, now))
    .reduce<{ host: H; at: number } | undefined>(
      (first, host) =>
        first && first.at <= host.verification.verifiedUntil ? first : { host, at: host.verification.verifiedUntil },
      undefined,
    );
}

/** What anyone may do now about the host's open challenge: begin it once the host's GPUs are free, expire it past
 * a missed deadline, finalize it after the fraud window. */
export type ChallengeStep = "begin" | "expire" | "finalize";

export function dueStep(view: VerificationView, gpusBusy: number): ChallengeStep | undefined {
  if (view.kind !== "proving") return undefined;
  if (view.phase === "pending") return gpusBusy === 0 ? "begin" : undefined;
  if (!view.due) return undefined;
  return view.phase === "revealed" ? "finalize" : "expire";
}

/** The host as a challenge sees it: listed and unpaused at `now`. */
export interface ChallengedHost {
  hostId: number;
  paused: boolean;
  listedUntil: number;
}

/** Why the host cannot be challenged now (undefined when it can): SupplyVerifier.challenge's checks, in its order. */
export function challengeBlocked(host: ChallengedHost, v: HostVerification, now: number): string | undefined {
  if (host.listedUntil <= now) return `Host #${host.hostId}'s listing has ended: only listed hosts are challenged.`;
  if (host.paused) return `Host #${host.hostId} is paused: only hosts that take jobs are challenged.`;
  if (hasOpenChallenge(v))
    return `Host #${host.hostId} is already being challenged (#${v.challenge!.id}): one challenge at a time.`;
  if (now < v.nextChallengeAt) return challengeTooSoon(host.hostId, v.nextChallengeAt - now);
  return undefined;
}

/** Throughput for people: 7.91 PFLOP/s, 989 TFLOP/s, 12.5 GFLOP/s, 840 MFLOP/s (three significant digits). */
export function formatFlops(mflops: number): string {
  const [value, unit] =
    mflops >= 1e9
      ? [mflops / 1e9, "PFLOP/s"]
      : mflops >= 1e6
        ? [mflops / 1e6, "TFLOP/s"]
        : mflops >= 1e3
          ? [mflops / 1e3, "GFLOP/s"]
          : [mflops, "MFLOP/s"];
  return `${Number(value.toPrecision(3)).toLocaleString("en-US")} ${unit}`;
}

/** One word for a table cell. */
export const VERIFICATION_LABELS: Record<VerificationKind, string> = {
  verified: "verified",
  proving: "proving",
  unverified: "unverified",
  failed: "failed",
};

const PHASE_TEXT: Record<ProvingPhase, string> = {
  pending: "waits for its running jobs to end, then computes",
  proving: "is computing the challenge",
  committed: "committed its result and must reveal the audited tiles",
  revealed: "revealed the audited tiles; anyone may prove one wrong",
};

const FAILURE_TEXT: Record<FailureReason, string> = {
  "missed-commit": "missed its commit deadline",
  "missed-reveal": "missed its reveal deadline",
  "wrong-element": "revealed a tile proven wrong",
};

/** The measurement as a phrase: "measured 812 TFLOP/s of 989 TFLOP/s rated (82%) at 2026-11-26 04:13 UTC". */
export function throughputText(t: Throughput): string {
  const percent = t.percent === undefined ? "" : ` (${t.percent}%)`;
  return `measured ${formatFlops(t.measuredMflops)} of ${formatFlops(t.ratedMflops)} rated${percent} at ${formatClock(t.at)}`;
}

/** The state in a few words, for a table's second line: "82% of rated · 6 days left". */
export function verificationSummary(view: VerificationView, now: number): string {
  switch (view.kind) {
    case "verified": {
      const percent = view.throughput?.percent === undefined ? "" : `${view.throughput.percent}% of rated · `;
      return `${percent}${formatWait(view.until - now)} left`;
    }
    case "proving":
      if (view.deadline === undefined) return `challenge #${view.challengeId} · waits for its jobs`;
      if (view.due)
        return `challenge #${view.challengeId} · ${view.phase === "revealed" ? "can be finalized" : "deadline missed"}`;
      return `challenge #${view.challengeId} · ${view.phase === "revealed" ? "final" : view.phase === "proving" ? "commit due" : "reveal due"} in ${formatWait(view.deadline - now)}`;
    case "unverified":
      return view.expiredAt === undefined ? "never challenged" : `expired ${formatWait(now - view.expiredAt)} ago`;
    case "failed":
      return view.reason === undefined ? "latest challenge" : FAILURE_TEXT[view.reason];
  }
}

/** The state's detail as a sentence, for a tooltip or a table's second line. */
export function verificationDetail(view: VerificationView, now: number): string {
  switch (view.kind) {
    case "verified":
      return `Verified until ${formatClock(view.until)}${view.throughput ? `: ${throughputText(view.throughput)}` : ""}.`;
    case "proving": {
      const step =
        view.deadline === undefined
          ? ""
          : view.due
            ? view.phase === "revealed"
              ? " The fraud window has closed: anyone may finalize it."
              : " Its deadline has passed: anyone may expire it."
            : view.phase === "revealed"
              ? ` It can be finalized in ${formatWait(view.deadline - now)}.`
              : ` Deadline ${formatClock(view.deadline)} (in ${formatWait(view.deadline - now)}).`;
      const still =
        view.verifiedUntil === undefined ? "" : ` Verified until ${formatClock(view.verifiedUntil)} meanwhile.`;
      return `Challenge #${view.challengeId}: the host ${PHASE_TEXT[view.phase]}.${step}${still}`;
    }
    case "unverified": {
      const last = view.throughput ? ` Last ${throughputText(view.throughput)}.` : "";
      return view.expiredAt === undefined
        ? "Never verified: no challenge has measured its throughput."
        : `Verification expired at ${formatClock(view.expiredAt)}.${last}`;
    }
    case "failed":
      return view.reason === undefined
        ? "Failed its latest challenge."
        : `Failed challenge #${view.challengeId}: it ${FAILURE_TEXT[view.reason]}${view.at ? ` (${formatClock(view.at)})` : ""}.`;
  }
}

/** A wait for people, never "0 seconds": the contract's checks are strict, so a wait is at least a second. */
const formatWait = (seconds: number) => formatDuration(Math.max(1, seconds));
