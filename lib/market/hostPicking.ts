/**
 * Which listed host runs a buyer's job, and why none can: the compute page's rules, pure, so the form only
 * renders them. Every host of a class charges the same (the class's rating): among those that fit, the
 * most reliable runs the job, unless the buyer picked one.
 */
import { GPU_CLASSES } from "../scu/ratings";
import type { HostOffer, Offers } from "./offers";

/** What the job asks for; `gpus` and `seconds` are undefined while the buyer's input for them is not valid. */
export interface HostAsk {
  classId: string;
  gpus: number | undefined;
  seconds: number | undefined;
}

export interface HostPick {
  /** The host that runs the job: the buyer's pick, or the most reliable that fits (then the most free GPUs). */
  host: HostOffer | undefined;
  /** The buyer's pick, while it is of the class asked for. */
  picked: HostOffer | undefined;
  /** Every host that fits. */
  candidates: HostOffer[];
  /** Why the job cannot run on any host, or on the one picked. */
  problem: string | undefined;
}

/** The class the page starts on: that of the first host with a free GPU, or the first class. */
export const firstAvailableClass = (offers: Offers) =>
  offers.hosts.find((h) => h.freeGpus > 0)?.gpu.id ?? GPU_CLASSES[0]!.id;

/** Whether a host can take the job: its class, enough free GPUs, listed past the latest the job could end
 * (the escrow's start timeout, then the whole run). */
export function fitsJob(
  host: HostOffer,
  { classId, gpus, seconds }: HostAsk,
  offers: Pick<Offers, "timestamp" | "startTimeout">,
) {
  return (
    host.gpu.id === classId &&
    gpus !== undefined &&
    host.freeGpus >= gpus &&
    seconds !== undefined &&
    host.listedUntil > offers.timestamp + offers.startTimeout + seconds
  );
}

/** The host for the job, among `offers`, with the one the buyer picked (by id) if any. `className` names the class in sentences. */
export function pickHost(offers: Offers, ask: HostAsk, pickedHostId: number | undefined, className: string): HostPick {
  const candidates = offers.hosts.filter((h) => fitsJob(h, ask, offers));
  const picked = offers.hosts.find((h) => h.hostId === pickedHostId && h.gpu.id === ask.classId);
  const host =
    picked ?? [...candidates].sort((a, b) => b.reliabilityBps - a.reliabilityBps || b.freeGpus - a.freeGpus)[0];
  const gpus = ask.gpus ?? 1;
  const problem =
    (!host && noCapacityReason(offers.hosts, ask.classId, gpus, className)) ||
    (picked && !fitsJob(picked, ask, offers) && pickedHostReason(picked, gpus)) ||
    undefined;
  return { host, picked, candidates, problem };
}

/** Why no host fits: none of the class listed, all busy, or not enough free GPUs on any one host. */
function noCapacityReason(hosts: HostOffer[], classId: string, gpus: number, name: string): string {
  const ofClass = hosts.filter((h) => h.gpu.id === classId);
  if (ofClass.length === 0) return `No ${name} is listed right now: pick another class.`;
  const mostFree = Math.max(...ofClass.map((h) => h.freeGpus));
  if (mostFree === 0) return `Every listed ${name} is busy: try another class or come back later.`;
  if (mostFree < gpus) return `No ${name} host has ${gpus} free GPUs; the most on one host is ${mostFree}.`;
  return `No ${name} host stays listed long enough for this job: ask for fewer hours.`;
}

/** Why the host the buyer picked cannot take the job as asked. */
function pickedHostReason(host: HostOffer, gpus: number): string {
  if (host.freeGpus < gpus)
    return `Host #${host.hostId} has ${host.freeGpus} free GPU${host.freeGpus === 1 ? "" : "s"}: ask for fewer, or pick another host.`;
  return `Host #${host.hostId}'s listing ends before this job could: ask for fewer hours, or pick another host.`;
}
