import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  HttpRequestError,
  InsufficientFundsError,
  NonceTooLowError,
  RpcRequestError,
  TransactionExecutionError,
  UserRejectedRequestError,
  stringToHex,
  zeroAddress,
  type Hex,
} from "viem";
import { describe, expect, it } from "vitest";
import { multicall3Abi, protocolErrorsAbi, usdcAbi } from "./contracts/abis";
import { decodeProtocolError, describeError, describeRevert } from "./errors";
import { USDC } from "./tokens";

/** What viem throws when a simulated call reverts with `data`, decoded against the caller's `abi`. */
function revert(abi: readonly unknown[], data: Hex): BaseError {
  const cause = new ContractFunctionRevertedError({ abi: abi as never, data, functionName: "faucet" });
  return abi === usdcAbi
    ? new ContractFunctionExecutionError(cause, { abi: usdcAbi, functionName: "faucet", args: [1n] })
    : new BaseError("Execution reverted.", { cause });
}

/** Zero values of an error's inputs: enough to render any sentence. */
const zeroArgs = (inputs: readonly { type: string }[]) =>
  inputs.map(({ type }) => (type === "address" ? zeroAddress : type.startsWith("bytes") ? "0x" : 0n));

const tooLarge = encodeErrorResult({
  abi: usdcAbi,
  errorName: "FaucetAmountTooLarge",
  args: [20_000_000_000n, 10_000_000_000n],
});

describe("describeError: contract reverts", () => {
  it("turns a custom error with arguments into a sentence", () => {
    expect(describeError(revert(usdcAbi, tooLarge))).toBe(
      "You asked for 20,000 USDC, but the faucet gives at most 10,000 USDC per request.",
    );
  });

  it("decodes an error the calling ABI does not declare through every protocol error", () => {
    // Simulated against the multicall ABI, which does not know the faucet's errors.
    expect(describeError(revert(multicall3Abi, tooLarge))).toMatch(/^You asked for 20,000 USDC/);
  });

  it("explains the reverted call inside a batch", () => {
    const nested = encodeErrorResult({ abi: multicall3Abi, errorName: "Multicall3CallFailed", args: [1n, tooLarge] });
    expect(describeError(revert(multicall3Abi, nested))).toMatch(/^You asked for 20,000 USDC/);
  });

  it("says how long a cooldown has left, from the caller's clock", () => {
    const data = encodeErrorResult({
      abi: usdcAbi,
      errorName: "FaucetCooldown",
      args: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1_700_003_600n],
    });
    expect(describeError(revert(usdcAbi, data), { now: 1_700_000_000 })).toBe(
      "This account used the faucet recently. You can use it again in 1 hour.",
    );
  });

  it("names amounts of ERC-20 errors in the token the caller says", () => {
    const data = encodeErrorResult({
      abi: protocolErrorsAbi,
      errorName: "ERC20InsufficientBalance",
      args: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 5_000_000n, 7_500_000n],
    });
    expect(describeError(revert(protocolErrorsAbi, data), { token: USDC })).toBe(
      "Not enough balance: you have 5 USDC and this needs 7.5 USDC.",
    );
  });

  it("tells a slippage failure from a trade too small, though both are InsufficientOutputAmount", () => {
    expect(describeRevert("InsufficientOutputAmount", [])).toBe("This trade is too small to buy anything. Trade more.");
    expect(describeRevert("InsufficientOutputAmount", [99_000_000n, 100_000_000n], { token: USDC })).toBe(
      "The price moved: you would receive 99 USDC, below your minimum of 100 USDC. Try again, or allow more slippage in settings.",
    );
  });

  it("names the token of a liquidity minimum through the caller's lookup", () => {
    const usdcAddress = "0x0000000000000000000000000000000000000001";
    const sentence = describeRevert("InsufficientAmount", [usdcAddress, 5_000_000n, 6_000_000n], {
      tokenAt: (a) => (a === usdcAddress ? USDC : undefined),
    });
    expect(sentence).toBe(
      "The price moved: this would move 5 USDC, below your minimum of 6 USDC. Try again, or allow more slippage in settings.",
    );
  });

  it("names a GPU class by its id", () => {
    expect(describeRevert("UnknownGpuClass", [stringToHex("v100", { size: 32 })])).toBe(
      'There is no GPU class "v100" in the SCU standard.',
    );
  });

  it("says how late a transaction landed past its deadline", () => {
    expect(describeRevert("DeadlineExpired", [1_000n, 1_600n])).toMatch(
      /^The transaction landed 10 minutes after its deadline/,
    );
  });

  it("explains the registry's refusals of a host registration by its signer's consent", () => {
    const signer = "0x00000000000000000000000000000000000000aa";
    expect(describeRevert("SignerConsentExpired", [1_000n, 1_600n])).toBe(
      "The host agent's consent expired 10 minutes ago: check the endpoint again for a fresh one.",
    );
    expect(describeRevert("InvalidSignerConsent", [signer, zeroAddress])).toMatch(
      /^The consent is not the signature of the host's signer 0x0000…00aa for this wallet/,
    );
    expect(describeRevert("SignerInUse", [signer, 4n])).toBe(
      "The signer 0x0000…00aa already signs for host #4: one key serves one host. Run a new agent with its own signer key.",
    );
  });

  it("says when there is no fresh price, and how old the newest reading is", () => {
    expect(describeRevert("PriceStale", [0n])).toMatch(
      /^There is no fresh price reading \(none has been recorded\): anyone can record one/,
    );
    expect(describeRevert("PriceStale", [1_000n], { now: 1_000 + 3 * 3600 })).toMatch(
      /^There is no fresh price reading \(the newest is 3 hours old\)/,
    );
  });

  it("names the mint bound a day ahead, the stake outside disputes, and the lapsed unbonding", () => {
    const scu = (n: bigint) => n * 10n ** 18n;
    expect(describeRevert("ExceedsCapacity", [zeroAddress, scu(120n), scu(100n)])).toMatch(
      /^That would leave your obligation at 120 SCU, above the 100 SCU your listings will still back a day from now/,
    );
    expect(describeRevert("LiquidationExceedsStake", [zeroAddress, 5_000_000n, 2_000_000n])).toBe(
      "That liquidation needs 5 USDC and the provider's stake outside open disputes is 2 USDC. Liquidate less.",
    );
    expect(describeRevert("LiquidationExceedsShortfall", [zeroAddress, scu(7n), scu(2n)])).toMatch(
      /^Liquidating 7 SCU would take more than restoring.*liquidate at most 2 SCU\.$/,
    );
    expect(describeRevert("UnbondExpired", [zeroAddress, 1_000n], { now: 1_000 + 2 * 86_400 })).toMatch(
      /^Your unbonding request lapsed 2 days ago/,
    );
  });

  it("explains the escrow's clocks by the chain's time the revert carries: cancel, stop, and the arbiter's deadline", () => {
    expect(describeRevert("CancelTooEarly", [3n, 1_900n, 1_000n])).toBe(
      "Only job #3's buyer can cancel it for another 15 minutes; after that, anyone can.",
    );
    expect(describeRevert("StopTooLate", [3n, 1_000n, 1_120n])).toMatch(
      /^Job #3 reached its maximum end 2 minutes ago: there is nothing left to stop/,
    );
    expect(describeRevert("RulingPending", [3n, 1_000n + 7n * 86_400n, 1_000n])).toMatch(
      /^The arbiter may still rule on job #3 for 7 days/,
    );
    expect(describeRevert("RulingDeadlinePassed", [3n, 1_000n, 1_000n])).toMatch(
      /the default ruling applies now \(the receipt stands, the bond goes back\), and anyone can apply it\.$/,
    );
    expect(describeRevert("ReasonTooLong", [300n, 280n])).toBe(
      "A dispute's reason is at most 280 bytes; this one has 300.",
    );
    expect(describeRevert("InsufficientFunding", [2n * 10n ** 18n, 10n ** 18n])).toBe(
      "The job needs 2 SCU and only 1 SCU arrived in this transaction.",
    );
  });

  it("explains the supply verifier's refusals: who may be challenged, when, and each step's deadline", () => {
    expect(describeRevert("ChallengeTooSoon", [3n, 1_000n + 2n * 3600n], { now: 1_000 })).toBe(
      "Host #3 was challenged recently: it can be challenged again in 2 hours (the duty cycle keeps challenges from taking up its time).",
    );
    expect(describeRevert("ChallengeAlreadyOpen", [3n, 9n])).toBe(
      "Host #3 is already being challenged (#9): one challenge at a time.",
    );
    expect(describeRevert("HostNotListed", [3n, 1_800_000_000n])).toBe(
      "Host #3's listing ended at 2027-01-15 08:00 UTC: only listed hosts are challenged.",
    );
    expect(describeRevert("HostBusy", [3n, 1n])).toBe(
      "Host #3 still runs jobs on 1 GPU: the challenge begins when they end.",
    );
    expect(describeRevert("UnknownClass", [stringToHex("v100", { size: 32 })])).toMatch(
      /^The supply verifier has no throughput for the GPU class "v100"/,
    );
    // Statuses are named as the contract's enum orders them: Pending = 1, Proving = 2, Revealed = 4.
    expect(describeRevert("WrongStatus", [5n, 1, 2])).toBe(
      "Challenge #5 is waiting for its host's jobs to end; this needs it being computed.",
    );
    expect(describeRevert("NotExpired", [5n, 3, 1_600n], { now: 1_000 })).toBe(
      "Challenge #5 is committed and its host has until 1970-01-01 00:26 UTC (10 minutes more): it can be expired only after that.",
    );
    expect(describeRevert("FraudWindowOpen", [5n, 1_000n + 3_600n], { now: 1_000 })).toBe(
      "Anyone may still prove challenge #5's reveal wrong for 1 hour: it can be finalized after 1970-01-01 01:16 UTC.",
    );
    expect(describeRevert("CommitTooLate", [5n, 1_800_000_000n])).toBe(
      "Challenge #5 had to be committed by 2027-01-15 08:00 UTC: it can only be expired now.",
    );
    expect(describeRevert("NoFraud", [5n, 2n, 3n, 4n])).toBe(
      "The value at row 3, column 4 of challenge #5's audited tile 2 is right: there is no fraud to prove.",
    );
  });

  it("tells a booking refused during a challenge by whether the challenge has begun", () => {
    expect(describeRevert("HostProving", [3n, 2n ** 64n - 1n])).toBe(
      "Host #3 is being challenged: it takes no new job until its running jobs end and it has proven its throughput. Pick another host.",
    );
    expect(describeRevert("HostProving", [3n, 1_000n + 600n], { now: 1_000 })).toBe(
      "Host #3 is proving its throughput to a challenge and takes no new job for another 10 minutes at most. Pick another host, or wait.",
    );
  });

  it("has no sentence for errors the protocol no longer has", () => {
    for (const name of ["DisputesOpen", "InvalidSigner", "InvalidEndTime", "UsageExceedsLimit"]) {
      expect(protocolErrorsAbi.some((e) => e.name === name)).toBe(false);
      expect(describeRevert(name, [])).toBe(`The contract refused: ${name}().`);
    }
  });

  it("falls back to the error's name and arguments when it has no sentence", () => {
    expect(describeRevert("SomethingNew", [1n, "x"])).toBe("The contract refused: SomethingNew(1, x).");
  });

  it("gives every protocol error a sentence", () => {
    const missing = protocolErrorsAbi
      .filter((e) => describeRevert(e.name, zeroArgs(e.inputs)).startsWith("The contract refused:"))
      .map((e) => e.name)
      // Decoded into the inner error's sentence, tested above.
      .filter((name) => name !== "Multicall3CallFailed");
    expect(missing).toEqual([]);
  });

  it("decodes a revert met while sending, from the node's error data", () => {
    // What viem throws when eth_sendTransaction or a replayed call reverts: no ContractFunctionRevertedError,
    // the revert data on the RPC error at the end of the chain.
    const data = encodeErrorResult({
      abi: protocolErrorsAbi,
      errorName: "InsufficientOutputAmount",
      args: [99n * 10n ** 6n, 10n ** 8n],
    });
    const error = new TransactionExecutionError(
      new RpcRequestError({
        body: {},
        url: "http://127.0.0.1:8545",
        error: { code: 3, message: "execution reverted", data },
      }),
      {
        account: zeroAddress,
        chain: undefined,
      } as never,
    );
    expect(describeError(error, { token: USDC })).toBe(
      "The price moved: you would receive 99 USDC, below your minimum of 100 USDC. Try again, or allow more slippage in settings.",
    );
  });

  it("says a token transfer failed inside a router (Solady's error)", () => {
    const data = encodeErrorResult({ abi: protocolErrorsAbi, errorName: "TransferFromFailed" });
    expect(describeError(revert(multicall3Abi, data))).toMatch(/^The token could not be taken from your account/);
  });

  it("does not decode data that is not one of ours", () => {
    expect(decodeProtocolError("0xdeadbeef")).toBeUndefined();
  });
});

describe("describeError: wallet and node failures", () => {
  it("recognises a rejected signature", () => {
    expect(describeError(new UserRejectedRequestError(new Error("User denied")))).toBe(
      "You rejected the request in your wallet.",
    );
  });

  it("recognises missing gas money", () => {
    expect(describeError(new InsufficientFundsError())).toBe("This account does not have enough ETH to pay for gas.");
  });

  it("explains nonce trouble after a chain reset", () => {
    expect(describeError(new NonceTooLowError())).toMatch(/was the local chain reset/);
  });

  it("names the unreachable node", () => {
    const error = new HttpRequestError({ url: "http://127.0.0.1:8545", details: "fetch failed" });
    expect(describeError(error)).toBe(
      "Cannot reach the chain at http://127.0.0.1:8545. Is it running? (`npm run dev` starts it.)",
    );
  });

  it("falls back to viem's short message, then to any error's message", () => {
    expect(describeError(new BaseError("Something odd."))).toBe("Something odd.");
    expect(describeError(new Error("plain"))).toBe("plain");
    expect(describeError("???")).toBe("Something went wrong.");
  });
});
