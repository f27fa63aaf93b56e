/**
 * The SupplyVerifier's reads as the market and the provider's book take them, batched with their other reads:
 * a host's verification (`hostVerification`) is read beside its `host` record, and its latest challenge
 * (`challengeOf`) and a challenge's price (`work`) beside the second round of reads. lib/verification/status.ts
 * turns the result into what pages show.
 */
import type { Address, ContractFunctionReturnType } from "viem";
import { supplyVerifierAbi } from "../contracts/abis";
import { challengeStatus, type HostVerification, type VerifierWindows } from "../verification/status";

const verifier = (address: Address) => ({ address, abi: supplyVerifierAbi }) as const;

/** The verifier's windows after a commit (immutables): two calls, read with the page's first batch. */
export const windowsCalls = (address: Address) =>
  [
    { ...verifier(address), functionName: "revealWindow" },
    { ...verifier(address), functionName: "fraudWindow" },
  ] as const;

export const windowsOf = (revealWindow: bigint, fraudWindow: bigint): VerifierWindows => ({
  revealWindow: Number(revealWindow),
  fraudWindow: Number(fraudWindow),
});

/** A host's verification record: read beside its `host` record. */
export const hostVerificationCall = (address: Address, hostId: bigint) =>
  ({ ...verifier(address), functionName: "hostVerification", args: [hostId] }) as const;

/** A challenge's record. */
export const challengeCall = (address: Address, id: bigint) =>
  ({ ...verifier(address), functionName: "challengeOf", args: [id] }) as const;

/** What challenging a host takes now: rounds, span and the fee in SCU (the host's price for the span). */
export const workCall = (address: Address, hostId: bigint) =>
  ({ ...verifier(address), functionName: "work", args: [hostId] }) as const;

type VerifierRead<fn extends "hostVerification" | "challengeOf" | "work"> = ContractFunctionReturnType<
  typeof supplyVerifierAbi,
  "view",
  fn
>;
/** What `hostVerification`, `challengeOf` and `work` return, for batches that mix them with other reads. */
export type VerificationResult = VerifierRead<"hostVerification">;
export type ChallengeResult = VerifierRead<"challengeOf">;
export type WorkResult = VerifierRead<"work">;

/** A read that a batch allowing failures (for `work`) must not lose: its result, or its error thrown. */
export function mustSucceed<T>(r: { status: "success"; result: unknown } | { status: "failure"; error: Error }): T {
  if (r.status === "failure") throw r.error;
  return r.result as T;
}

/** The fee from a `work` result: what challenging the host costs in SCU. */
export const workFee = (result: WorkResult) => result[2];

/** The latest challenge's id from a `hostVerification` result: 0 when the host never had one. */
export const lastChallengeId = (result: VerificationResult) => result[4];

/** A host's verification from its `hostVerification` result and its latest challenge's `challengeOf` (undefined
 * when it never had one). */
export function hostVerification(result: VerificationResult, challenge: ChallengeResult | undefined): HostVerification {
  const [verifiedUntil, measuredMflops, ratedMflops, measuredAt, challengeId, nextChallengeAt, failed] = result;
  return {
    verifiedUntil: Number(verifiedUntil),
    measuredMflops: Number(measuredMflops),
    ratedMflops: Number(ratedMflops),
    measuredAt: Number(measuredAt),
    nextChallengeAt: Number(nextChallengeAt),
    failed,
    challenge:
      challengeId === 0n || !challenge
        ? undefined
        : {
            id: challengeId,
            status: challengeStatus(challenge.status),
            fee: challenge.fee,
            begunAt: Number(challenge.begunAt),
            commitBy: Number(challenge.commitBy),
            committedAt: Number(challenge.committedAt),
            revealedAt: Number(challenge.revealedAt),
          },
  };
}
