/**
 * The register-a-host form, read: each field checked as the registry will check it (ProviderRegistry
 * .registerHost), the signer taken from the agent's own /health (through the host check), and the host's
 * parameters built, or the first reason it cannot be registered yet.
 */
import { stringToHex, type Address, type Hex } from "viem";
import { parseWhole, type Field } from "../forms";
import { GPU_CLASSES } from "../scu/ratings";
import type { HostHealth } from "../server/hostcheck";

/** The registry's bounds (ProviderRegistry.sol constants). */
export const HOST_LIMITS = { maxGpus: 1024, maxListingDays: 730, maxEndpointBytes: 256, maxRegionBytes: 64, maxHosts: 32 } as const;

export interface RegistrationInput {
  endpoint: string;
  classId: string;
  gpus: string;
  region: string;
  days: string;
}

export interface HostParams {
  signer: Address;
  classId: Hex;
  gpuCount: number;
  listedUntil: bigint;
  endpoint: string;
  region: string;
}

const bytes = (s: string) => new TextEncoder().encode(s).length;

export function parseRegionInput(input: string): Field<string> {
  const region = input.trim();
  return bytes(region) > HOST_LIMITS.maxRegionBytes ? { error: `A region is at most ${HOST_LIMITS.maxRegionBytes} bytes.` } : { value: region };
}

export function parseEndpointInput(input: string): Field<string> {
  const endpoint = input.trim();
  if (endpoint === "") return { error: "Enter the URL the host agent listens on." };
  if (bytes(endpoint) > HOST_LIMITS.maxEndpointBytes) return { error: `An endpoint is at most ${HOST_LIMITS.maxEndpointBytes} bytes.` };
  return { value: endpoint };
}

/**
 * The host's parameters, or why not. `check` is the last host check and the endpoint it was for; `now` is
 * chain time; `hosts` how many the provider has.
 */
export function readRegistration(
  input: RegistrationInput,
  { check, now, hosts }: { check: (HostHealth & { asked: string }) | undefined; now: number; hosts: number },
): { params: HostParams } | { reason: string } {
  const endpoint = parseEndpointInput(input.endpoint);
  if ("error" in endpoint) return { reason: endpoint.error };
  if (!check || check.asked !== input.endpoint) return { reason: "Check the endpoint first: the host's signer comes from its agent." };
  if (check.hostId != null) return { reason: `This agent already serves host #${check.hostId}. Run a new agent (its own signer key) for another host.` };
  if (!GPU_CLASSES.some((c) => c.id === input.classId)) return { reason: "Pick a GPU class." };
  const gpus = parseWhole(input.gpus, "GPU count", 1, HOST_LIMITS.maxGpus);
  if ("error" in gpus) return { reason: gpus.error };
  const days = parseWhole(input.days, "listing length in days", 1, HOST_LIMITS.maxListingDays);
  if ("error" in days) return { reason: days.error };
  const region = parseRegionInput(input.region);
  if ("error" in region) return { reason: region.error };
  if (hosts >= HOST_LIMITS.maxHosts) return { reason: `A provider can register at most ${HOST_LIMITS.maxHosts} hosts.` };
  return {
    params: {
      signer: check.signer,
      classId: stringToHex(input.classId, { size: 32 }),
      gpuCount: gpus.value,
      listedUntil: BigInt(now + days.value * 86_400),
      endpoint: endpoint.value,
      region: region.value,
    },
  };
}
