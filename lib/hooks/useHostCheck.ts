/**
 * Asks the app to check a would-be host's endpoint (POST /api/hosts/check): what its agent says, with its
 * consent when asked and the agent is configured for this wallet, or why not. The connected wallet signs each
 * check (HostCheck, lib/provider/hostcheck.ts): the route checks nothing for anonymous callers. And which host
 * a signer already signs for on-chain, since one key serves one host for good.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Address, Hex } from "viem";
import { useBlockNumber, useConfig, useReadContract } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { providerRegistryAbi } from "../contracts/abis";
import {
  HOST_CHECK_LIFETIME_SECONDS,
  hostCheckTypedData,
  type HostCheck,
  type HostCheckRequest,
  type SignedHostCheck,
} from "../provider/hostcheck";
import { appChain, appDeployment } from "../wagmi/config";

/** A check's answer with what was asked: an edit of the endpoint, or another wallet, needs a new check. */
export type CheckedHost = HostCheck & { asked: HostCheckRequest };

/** A signature asks for less than the route allows, so a computer clock a minute fast still passes. */
const SIGNED_FOR_SECONDS = HOST_CHECK_LIFETIME_SECONDS - 60;
/** This page's signatures by endpoint and wallet, reused while a minute of them is left: checking the same
 * endpoint again does not ask the wallet again. */
const signed = new Map<string, { expiry: bigint; signature: Hex }>();

export function useHostCheck() {
  const config = useConfig();
  return useMutation<CheckedHost, Error, HostCheckRequest>({
    mutationFn: async (asked) => {
      const registry = appDeployment!.contracts.ProviderRegistry;
      const key = `${appChain.id}|${asked.provider}|${asked.endpoint}`;
      const now = BigInt(Math.floor(Date.now() / 1000));
      let signature = signed.get(key);
      if (!signature || signature.expiry < now + 60n) {
        const expiry = now + BigInt(SIGNED_FOR_SECONDS);
        signature = {
          expiry,
          signature: await signTypedData(config, {
            account: asked.provider,
            ...hostCheckTypedData(appChain.id, registry, { endpoint: asked.endpoint, expiry }),
          }),
        };
        signed.set(key, signature);
      }
      const body: SignedHostCheck = { ...asked, expiry: String(signature.expiry), signature: signature.signature };
      const response = await fetch("/api/hosts/check", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as HostCheck & { error?: string };
      if (!response.ok) {
        if (response.status === 401) signed.delete(key);
        throw new Error(answer.error ?? `The check answered ${response.status}.`);
      }
      return { ...answer, asked };
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
