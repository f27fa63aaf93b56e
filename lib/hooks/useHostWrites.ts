/**
 * The provider's registry writes on its hosts: registering one (with stake first when asked), and its settings
 * afterwards: pause or resume, move its endpoint, move its listing's end.
 */
import { useCallback } from "react";
import type { Address } from "viem";
import { providerRegistryAbi } from "../contracts/abis";
import type { Registration } from "../provider/register";
import { formatClock } from "../time";
import { appDeployment } from "../wagmi/config";
import { useStake } from "./useRegistryWrites";
import { useTransact } from "./useTransact";

export interface RegisterHostRequest {
  registration: Registration;
  /** The GPU class's id as the provider picked it, for the toast. */
  classId: string;
  /** USDC to stake before registering (stakeWithPermit), if any. */
  stake?: bigint;
}

/** Stakes first when asked, then registers the host with its signer's consent (registerHost). */
export function useRegisterHost(account: Address) {
  const registry = appDeployment!.contracts.ProviderRegistry;
  const stakeFirst = useStake(account);
  const { transactAsync } = useTransact();
  return useCallback(
    async ({ registration: { params, consent }, classId, stake }: RegisterHostRequest) => {
      if (stake !== undefined) await stakeFirst(stake);
      return transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "registerHost",
        args: [params, consent.deadline, consent.signature],
        title: `Register ${params.gpuCount} × ${classId} at ${params.endpoint}`,
      });
    },
    [registry, stakeFirst, transactAsync],
  );
}

/** Host #`hostId`'s settings: each call one transaction from its provider. */
export function useHostSettings(hostId: number) {
  const registry = appDeployment!.contracts.ProviderRegistry;
  const { transactAsync } = useTransact();
  const id = BigInt(hostId);
  return {
    /** Pauses the host (out of the mint bound, no new jobs) or resumes it (setPaused). */
    setPaused: (paused: boolean) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "setPaused",
        args: [id, paused],
        title: `${paused ? "Pause" : "Resume"} host #${hostId}`,
      }),
    /** Points the host at a new agent endpoint (setEndpoint). */
    setEndpoint: (endpoint: string) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "setEndpoint",
        args: [id, endpoint],
        title: `Move host #${hostId} to ${endpoint}`,
      }),
    /** Moves the end of the host's listing to `end`, chain time in seconds (setListedUntil). */
    setListedUntil: (end: number) =>
      transactAsync({
        address: registry,
        abi: providerRegistryAbi,
        functionName: "setListedUntil",
        args: [id, BigInt(end)],
        title: `List host #${hostId} until ${formatClock(end)}`,
      }),
  };
}
