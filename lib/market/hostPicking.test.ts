import { describe, expect, it } from "vitest";
import { GPU_CLASSES, gpuClass } from "../scu/ratings";
import { firstAvailableClass, fitsJob, pickHost, type HostAsk } from "./hostPicking";
import type { HostOffer, Offers } from "./offers";
import type { HostVerification } from "../verification/status";

const H100 = gpuClass("h100-sxm");
const RTX = gpuClass("rtx-4090");
const NOW = 1_000_000;
const START_TIMEOUT = 600;

/** A host that passed a challenge a day ago, verified for six more days. */
const VERIFIED: HostVerification = {
  verifiedUntil: NOW + 6 * 86_400,
  measuredMflops: 7_000_000_000,
  ratedMflops: 7_912_000_000,
  measuredAt: NOW - 86_400,
  nextChallengeAt: 0,
  failed: false,
  challenge: undefined,
};
const UNVERIFIED: HostVerification = { ...VERIFIED, verifiedUntil: 0, measuredAt: 0, measuredMflops: 0 };
/** A challenge waiting for the host's jobs to end: the registry books nothing on the host meanwhile. */
const PENDING: HostVerification = {
  ...VERIFIED,
  challenge: { id: 4n, status: "pending", fee: 1n, begunAt: 0, commitBy: 0, committedAt: 0, revealedAt: 0 },
};

function host(hostId: number, over: Partial<HostOffer> = {}): HostOffer {
  return {
    hostId,
    provider: `0x${hostId.toString(16).padStart(40, "0")}`,
    gpu: H100,
    gpuCount: 8,
    freeGpus: 8,
    region: "eu-west",
    listedUntil: NOW + 30 * 86_400,
    reliabilityBps: 5_000,
    completed: 0,
    noShows: 0,
    disputesLost: 0,
    challengesFailed: 0,
    servedGpuSeconds: 0,
    failedGpuSeconds: 0,
    verification: VERIFIED,
    challengeFee: 10n ** 18n,
    ...over,
  };
}

const offers = (hosts: HostOffer[]): Offers => ({
  blockNumber: 1n,
  timestamp: NOW,
  pool: { scu: 0n, usdc: 0n, fee: 30n },
  hosts,
  startTimeout: START_TIMEOUT,
  verifier: { revealWindow: 600, fraudWindow: 3_600 },
});

const ask = (over: Partial<HostAsk> = {}): HostAsk => ({
  classId: H100.id,
  gpus: 2,
  seconds: 3600,
  includeUnverified: false,
  ...over,
});

describe("which host runs a job", () => {
  it("starts on the class of the first host with a free GPU, else the first class", () => {
    expect(firstAvailableClass(offers([host(1, { freeGpus: 0 }), host(2, { gpu: RTX })]))).toBe(RTX.id);
    expect(firstAvailableClass(offers([host(1, { freeGpus: 0 })]))).toBe(GPU_CLASSES[0]!.id);
  });

  it("fits a host of the class with the GPUs free, listed past the start timeout and the whole run", () => {
    const book = offers([]);
    expect(fitsJob(host(1), ask(), book)).toBe(true);
    expect(fitsJob(host(1, { gpu: RTX }), ask(), book)).toBe(false);
    expect(fitsJob(host(1, { freeGpus: 1 }), ask(), book)).toBe(false);
    expect(fitsJob(host(1, { listedUntil: NOW + START_TIMEOUT + 3600 + 1 }), ask(), book)).toBe(true);
    expect(fitsJob(host(1, { listedUntil: NOW + START_TIMEOUT + 3600 }), ask(), book)).toBe(false);
    // A host held by a challenge takes no job until it commits; verification is the picker's rule, not the fit's.
    expect(fitsJob(host(1, { verification: PENDING }), ask(), book)).toBe(false);
    expect(fitsJob(host(1, { verification: UNVERIFIED }), ask(), book)).toBe(true);
    // Nothing fits while the GPU count or the hours do not parse.
    expect(fitsJob(host(1), ask({ gpus: undefined }), book)).toBe(false);
    expect(fitsJob(host(1), ask({ seconds: undefined }), book)).toBe(false);
  });

  it("runs on the most reliable host that fits, then the one with the most free GPUs", () => {
    const book = offers([
      host(1, { reliabilityBps: 6_000, freeGpus: 2 }),
      host(2, { reliabilityBps: 9_000, freeGpus: 1 }),
      host(3, { reliabilityBps: 6_000, freeGpus: 4 }),
    ]);
    const pick = pickHost(book, ask(), undefined, H100.name);
    expect(pick.candidates.map((h) => h.hostId)).toEqual([1, 3]);
    expect(pick.host?.hostId).toBe(3);
    expect(pick.picked).toBeUndefined();
    expect(pick.problem).toBeUndefined();
  });

  it("runs on the buyer's pick while it is of the class asked for, and says why it cannot take the job", () => {
    const book = offers([host(1, { reliabilityBps: 9_000 }), host(2, { freeGpus: 1 }), host(3, { gpu: RTX })]);
    const tooFew = pickHost(book, ask(), 2, H100.name);
    expect(tooFew.host?.hostId).toBe(2);
    expect(tooFew.problem).toBe("Host #2 has 1 free GPU: ask for fewer, or pick another host.");

    const shortListing = pickHost(offers([host(2, { listedUntil: NOW + 60 })]), ask(), 2, H100.name);
    expect(shortListing.problem).toBe(
      "Host #2's listing ends before this job could: ask for fewer hours, or pick another host.",
    );

    // A pick of another class is dropped: the most reliable that fits runs the job.
    const otherClass = pickHost(book, ask(), 3, H100.name);
    expect(otherClass.picked).toBeUndefined();
    expect(otherClass.host?.hostId).toBe(1);
  });

  it("says why no host fits", () => {
    const reason = (hosts: HostOffer[], over = {}) => pickHost(offers(hosts), ask(over), undefined, H100.name).problem;
    expect(reason([host(1, { gpu: RTX })])).toBe(`No ${H100.name} is listed right now: pick another class.`);
    expect(reason([host(1, { freeGpus: 0 }), host(2, { freeGpus: 0 })])).toBe(
      `Every listed ${H100.name} is busy: try another class or come back later.`,
    );
    expect(reason([host(1, { freeGpus: 1 }), host(2, { freeGpus: 3 })], { gpus: 4 })).toBe(
      `No ${H100.name} host has 4 free GPUs; the most on one host is 3.`,
    );
    expect(reason([host(1, { listedUntil: NOW + 60 })])).toBe(
      `No ${H100.name} host stays listed long enough for this job: ask for fewer hours.`,
    );
    // With the GPU count unreadable, the reasons count one GPU.
    expect(reason([host(1, { freeGpus: 0 })], { gpus: undefined })).toBe(
      `Every listed ${H100.name} is busy: try another class or come back later.`,
    );
  });

  it("picks only verified hosts for the buyer unless it includes unverified ones, and says so when none fits", () => {
    const book = offers([
      host(1, { reliabilityBps: 9_500, verification: UNVERIFIED }),
      host(2, { reliabilityBps: 6_000 }),
      host(3, { reliabilityBps: 9_000, verification: { ...VERIFIED, verifiedUntil: NOW } }),
      host(4, { reliabilityBps: 9_900, verification: { ...VERIFIED, failed: true } }),
    ]);
    // Verified means unexpired (verifiedUntil > now) and not failed since: host 2 alone, though least reliable.
    const verifiedOnly = pickHost(book, ask(), undefined, H100.name);
    expect(verifiedOnly.candidates.map((h) => h.hostId)).toEqual([2]);
    expect(verifiedOnly.host?.hostId).toBe(2);
    expect(verifiedOnly.problem).toBeUndefined();

    // Included, the unverified hosts are candidates, but a verified host still comes first.
    const included = pickHost(book, ask({ includeUnverified: true }), undefined, H100.name);
    expect(included.candidates.map((h) => h.hostId)).toEqual([1, 2, 3, 4]);
    expect(included.host?.hostId).toBe(2);
    const unverifiedOnly = offers([
      host(1, { verification: UNVERIFIED }),
      host(5, { reliabilityBps: 9_000, verification: UNVERIFIED }),
    ]);
    expect(pickHost(unverifiedOnly, ask({ includeUnverified: true }), undefined, H100.name).host?.hostId).toBe(5);

    // None verified fits: the sentence says so and names the opt-out.
    const none = pickHost(unverifiedOnly, ask(), undefined, H100.name);
    expect(none.host).toBeUndefined();
    expect(none.problem).toBe(
      `No verified ${H100.name} host fits this job; 2 unverified hosts do. Tick “Include unverified hosts” to use them, or pick one from the list.`,
    );
    expect(pickHost(offers([host(1, { verification: UNVERIFIED })]), ask(), undefined, H100.name).problem).toMatch(
      /; one unverified host does\. Tick “Include unverified hosts” to use it,/,
    );
    // Only fitting hosts count: an unverified host that is busy is not offered as the way out.
    expect(
      pickHost(offers([host(1, { verification: UNVERIFIED, freeGpus: 0 })]), ask(), undefined, H100.name).problem,
    ).toBe(`Every listed ${H100.name} is busy: try another class or come back later.`);

    // A host the buyer picks is its own choice, verified or not.
    const picked = pickHost(unverifiedOnly, ask(), 1, H100.name);
    expect(picked.host?.hostId).toBe(1);
    expect(picked.problem).toBeUndefined();
  });

  it("books no job on a host held by a challenge, and says why", () => {
    const held = pickHost(
      offers([host(1, { verification: PENDING, reliabilityBps: 9_000 }), host(2)]),
      ask(),
      undefined,
      H100.name,
    );
    expect(held.host?.hostId).toBe(2);
    expect(pickHost(offers([host(1, { verification: PENDING })]), ask(), undefined, H100.name).problem).toBe(
      `Every listed ${H100.name} is proving its throughput to a challenge and takes no new jobs until it commits its result: try another class or come back later.`,
    );
    expect(pickHost(offers([host(1, { verification: PENDING }), host(2)]), ask(), 1, H100.name).problem).toBe(
      "Host #1 is proving its throughput to a challenge and takes no new jobs until it commits its result: pick another host, or come back later.",
    );
  });
});
