/**
 * Asks the app to check a would-be host's endpoint (POST /api/hosts/check): what its agent says, with its
 * consent when a provider is named and the agent is configured for it, or why not. And which host a signer
 * already signs for on-chain, since one key serves one host for good.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Address } from "viem";
import { useBlockNumber, useReadContract } from "wagmi";
import { providerRegistryAbi } from "../contracts/abis";
import type { HostCheck, HostCheckRequest } from "../provider/hostcheck";
import { appDeployment } from "../wagmi/config";

/** A check's answer with what was asked: an edit of the endpoint, or another wallet, needs a new check. */
export type CheckedHost = HostCheck & { asked: HostCheckRequest };

export function useHostCheck() {
  return useMutation<CheckedHost, Error, HostCheckRequest>({
    mutationFn: async (asked) => {
      const response = await fetch("/api/hosts/check", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(asked),
      });
      const body = (await response.json()) as HostCheck & { error?: string };
      if (!response.ok) throw new Error(body.error ?? `The check answered ${response.status}.`);
      return { ...body, asked };
    },
  });
}

/** The host `signer` signs for on-chain (0: none), read again on every block; undefined until read. */
export function useSignerHost(signer: Address | undefined): number | undefined {
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const query = useReadContract({
    address: appDeployment!.contracts.ProviderRegistry,
    abi: providerRegistryAbi,
    functionName: "hostOfSigner",
    args: signer ? [signer] : undefined,
    query: { enabled: Boolean(signer) },
  });
  const { refetch } = query;
  useEffect(() => {
    if (blockNumber !== undefined && signer) void refetch();
  }, [blockNumber, signer, refetch]);
  return query.data === undefined ? undefined : Number(query.data);
}
