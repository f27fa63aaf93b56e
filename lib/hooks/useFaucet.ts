/** The local chain's test USDC faucet: its limits, and a request (the contract enforces both limits). */
import { useCallback } from "react";
import { useReadContracts } from "wagmi";
import { usdcAbi } from "../contracts/abis";
import { formatToken, USDC } from "../tokens";
import { appDeployment } from "../wagmi/config";
import { useTransact } from "./useTransact";

/** The most one request may take, and how long (seconds) an account waits after one. */
export function useFaucetLimits() {
  const usdc = appDeployment!.contracts.USDC;
  const { data } = useReadContracts({
    allowFailure: false,
    contracts: [
      { address: usdc, abi: usdcAbi, functionName: "FAUCET_CAP" },
      { address: usdc, abi: usdcAbi, functionName: "FAUCET_COOLDOWN" },
    ],
  });
  return data && { cap: data[0], cooldown: Number(data[1]) };
}

/** Asks the faucet for `amount` of test USDC (faucet). */
export function useFaucet() {
  const usdc = appDeployment!.contracts.USDC;
  const { transactAsync } = useTransact();
  return useCallback(
    (amount: bigint) =>
      transactAsync({
        address: usdc,
        abi: usdcAbi,
        functionName: "faucet",
        args: [amount],
        title: `Get ${formatToken(amount, USDC)}`,
        errorContext: { token: USDC },
      }),
    [transactAsync, usdc],
  );
}
