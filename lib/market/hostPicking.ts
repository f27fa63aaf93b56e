/**
 * Which listed host runs a buyer's job, and why none can: the compute page's rules, pure, so the form only
 * renders them. Every host of a class charges the same (the class's rating): among those that fit, the
 * most reliable runs the job, unless the buyer picked one. Only verified hosts (lib/verification/status.ts) run
 * a job picked for the buyer unless the buyer includes unverified ones; verified hosts still come first then.
 */
import { GPU_CLASSES } from "../scu/ratings";
import { isProvingNow, isVerified } from "../verification/status";
import type { HostOffer, Offers } from "./offers";

/** What the job asks for; `gpus` and `seconds` are undefined while the buyer's input for them is not valid. */
export interface HostAsk {
  classId: string;
  gpus: number | undefined;
  seconds: number | undefined;
  /** Whether a host that has not proven its throughput may be picked for the buyer (a host the buyer picks
   * is its own choice). */
  includeUnverified: boolean;
}

export interface HostPick {
  /** The host that runs the job: the buyer's pick, or the most reliable that fits (then the most free GPUs). */
  host: HostOffer | undefined;
  /** The buyer's pick, while it is of the class asked for. */
  picked: HostOffer | undefined;
  /** Every host that fits and may be picked for the buyer (verified unless it includes unverified ones). */
  candidates: HostOffer[];
  /** Why the job cannot run on any host, or on the one picked. */
  problem: string | undefined;
}

/** The class the page starts on: that of the first host with a free GPU, or the first class. */
export const firstAvailableClass = (offers: Offers) =>
  offers.hosts.find((h) => h.freeGpus > 0)?.gpu.id ?? GPU_CLASSES[0]!.id;

/** Whether a host can take the job: its class, enough free GPUs, listed past the latest the job could end
 * (the escrow's start timeout, then the whole run), and not held by a challenge (the registry books no job on a
 * host from its challenge until it commits). Verification is the picker's rule, not the host's: see pickHost. */
export function fitsJob(
  host: HostOffer,
  { classId, gpus, seconds }: Pick<HostAsk, "classId" | "gpus" | "seconds">,
  offers: Pick<Offers, "timestamp" | "startTimeout">,
) {
  return (
    host.gpu.id === classId &&
    gpus !== undefined &&
    host.freeGpus >= gpus &&
    seconds !== undefined &&
    host.listedUntil > offers.timestamp + offers.startTimeout + seconds &&
    !isProvingNow(host.verification, offers.timestamp)
  );
}

/** The host for the job, among `offers`, with the one the buyer picked (by id) if any. `className` names the class in sentences. */
export function pickHost(offers: Offers, ask: HostAsk, pickedHostId: number | undefined, className: string): HostPick {
  const fitting = offers.hosts.filter((h) => fitsJob(h, ask, offers));
  const verified = (h: HostOffer) => isVerified(h.verification, offers.timestamp);
  const candidates = ask.includeUnverified ? fitting : fitting.filter(verified);
  const picked = offers.hosts.find((h) => h.hostId === pickedHostId && h.gpu.id === ask.classId);
  const host =
    picked ??
    [...candidates].sort(
      (a, b) =>
        Number(verified(b)) - Number(verified(a)) || b.reliabilityBps - a.reliabilityBps || b.freeGpus - a.freeGpus,
    )[0];
  const gpus = ask.gpus ?? 1;
  const problem =
    (!host && fitting.length > 0 && unverifiedOnlyReason(fitting.length, className)) ||
    (!host && noCapacityReason(offers, ask.classId, gpus, className)) ||
    (picked && !fitsJob(picked, ask, offers) && pickedHostReason(picked, gpus, offers.timestamp)) ||
    undefined;
  return { host, picked, candidates, problem };
}

/** Hosts fit, but none has proven its throughput, and the buyer asked for verified ones only. */
const unverifiedOnlyReason = (count: number, name: string) =>
  `No verified ${name} host fits this job; ${count === 1 ? "one unverified host does" : `${count} unverified hosts do`}. Tick “Include unverified hosts” to use ${count === 1 ? "it" : "them"}, or pick one from the list.`;

/** Why no host fits: none of the class listed, all busy or held by a challenge, or not enough free GPUs on any one
 * host. */
function noCapacityReason(offers: Offers, classId: string, gpus: number, name: string): string {
  const ofClass = offers.hosts.filter((h) => h.gpu.id === classId);
  if (ofClass.length === 0) return `No ${name} is listed right now: pick another class.`;
  const open = ofClass.filter((h) => !isProvingNow(h.verification, offers.timestamp));
  if (open.length === 0)
    return `Every listed ${name} is proving its throughput to a challenge and takes no new jobs until it commits its result: try another class or come back later.`;
  const mostFree = Math.max(...open.map((h) => h.freeGpus));
  if (mostFree === 0) return `Every listed ${name} is busy: try another class or come back later.`;
  if (mostFree < gpus) return `No ${name} host has ${gpus} free GPUs; the most on one host is ${mostFree}.`;
  return `No ${name} host stays listed long enough for this job: ask for fewer hours.`;
}

/** Why the host the buyer picked cannot take the job as asked. */
function pickedHostReason(host: HostOffer, gpus: number, now: number): string {
  if (isProvingNow(host.verification, now))
    return `Host #${host.hostId} is proving its throughput to a challenge and takes no new jobs until it commits its result: pick another host, or come back later.`;
  if (host.freeGpus < gpus)
    return `Host #${host.hostId} has ${host.freeGpus} free GPU${host.freeGpus === 1 ? "" : "s"}: ask for fewer, or pick another host.`;
  return `Host #${host.hostId}'s listing ends before this job could: ask for fewer hours, or pick another host.`;
}
