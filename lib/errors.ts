/**
 * Turns anything a wallet, an RPC node or a contract throws into one sentence a person can act on.
 * Custom errors are decoded against every protocol ABI; each has a sentence here, written once for the
 * app, the routes and the host agent.
 */
import {
  BaseError,
  ChainMismatchError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  hexToString,
  HttpRequestError,
  InsufficientFundsError,
  NonceTooHighError,
  NonceTooLowError,
  TimeoutError,
  UserRejectedRequestError,
  type Hex,
} from "viem";
import { protocolErrorsAbi } from "./contracts/abis";
import { JOB_STATUS_WORDS, jobStatus } from "./jobs/status";
import { formatClock, formatDuration } from "./time";
import { formatAmount, formatToken, SCU, USDC, type TokenInfo } from "./tokens";
import { CHALLENGE_STATUS_WORDS, challengeStatus, challengeTooSoon } from "./verification/status";

/** What the caller knows that a revert does not say: the token an amount is in, the time now (for the errors
 * that do not carry the chain's own time). */
export interface ErrorContext {
  /** The token of the amounts an error names (an ERC-20's own, a swap's output or input). */
  token?: TokenInfo;
  /** Names a token by address, for errors that carry one. */
  tokenAt?: (address: string) => TokenInfo | undefined;
  /** Unix seconds; defaults to the wall clock. */
  now?: number;
}

type Args = readonly unknown[];
type Sentence = (args: Args, ctx: ErrorContext) => string;

const amount = (value: unknown, token: TokenInfo | undefined) =>
  token ? formatToken(value as bigint, token) : `${String(value)} base units`;
const short = (address: unknown) => `${String(address).slice(0, 6)}…${String(address).slice(-4)}`;
/** A GPU class id (left-aligned ASCII in a bytes32) as its name: "h100-sxm". */
const classIdName = (classId: unknown) => hexToString(classId as Hex, { size: 32 });
/** Basis points as a percentage: 30 → "0.30%". */
const percent = (bps: unknown) => `${(Number(bps) / 100).toFixed(2)}%`;
const SLIPPAGE_HINT = "Try again, or allow more slippage in settings.";

const SENTENCES: Record<string, Sentence> = {
  // Test USDC faucet
  FaucetZeroAmount: () => "Ask the faucet for more than zero USDC.",
  FaucetAmountTooLarge: ([requested, cap]) =>
    `You asked for ${formatToken(requested as bigint, USDC)}, but the faucet gives at most ${formatToken(cap as bigint, USDC)} per request.`,
  FaucetCooldown: ([, availableAt], { now = Math.floor(Date.now() / 1000) }) =>
    `This account used the faucet recently. You can use it again in ${formatDuration(Number(availableAt) - now)}.`,
  // Pool
  PoolLocked: () => "The pool refused to be re-entered in the middle of another operation.",
  InsufficientLiquidityMinted: () => "This deposit is too small to mint a single LP share. Deposit more.",
  InsufficientLiquidityBurned: () => "Those LP shares are worth less than one unit of a token. Remove more.",
  InsufficientOutputAmount: ([amountOut, amountOutMin], { token }) =>
    amountOutMin === undefined
      ? "This trade is too small to buy anything. Trade more."
      : `The price moved: you would receive ${amount(amountOut, token)}, below your minimum of ${amount(amountOutMin, token)}. ${SLIPPAGE_HINT}`,
  InsufficientInputAmount: () => "Nothing arrived in the pool to pay for the swap.",
  InsufficientLiquidity: ([amountOut, reserveOut], { token }) =>
    `The pool holds only ${amount(reserveOut, token)}, not enough to pay ${amount(amountOut, token)}. Ask for less.`,
  InsufficientInputForOutput: () =>
    "The price moved before the trade landed: what was sent no longer pays for that output. Quote again.",
  InvalidRecipient: () => "Tokens cannot be sent to the pool's own token contracts.",
  ReserveOverflow: () => "The pool cannot hold that much of a token.",
  // Factory
  IdenticalTokens: () => "A pool needs two different tokens.",
  ZeroAddressToken: () => "The zero address is not a token.",
  PoolExists: ([, , pool]) => `This pair already has a pool, at ${short(pool)}.`,
  SwapFeeTooHigh: ([fee, max]) => `A swap fee of ${percent(fee)} is above the cap of ${percent(max)}.`,
  ProtocolFeeShareTooHigh: ([share, max]) =>
    `A protocol share of ${percent(share)} of swap fees is above the cap of ${percent(max)}.`,
  ProtocolFeeRecipientMissing: () => "Switching the protocol fee on needs a recipient.",
  // Router
  DeadlineExpired: ([deadline, timestamp]) =>
    `The transaction landed ${formatDuration(Number(timestamp) - Number(deadline))} after its deadline. Try again, or allow more time in settings.`,
  InvalidPath: () => "A swap needs a path of at least two tokens.",
  PoolNotFound: () => "There is no pool for this pair yet.",
  ExcessiveInputAmount: ([amountIn, amountInMax], { token }) =>
    `The price moved: this now costs ${amount(amountIn, token)}, above your maximum of ${amount(amountInMax, token)}. ${SLIPPAGE_HINT}`,
  InsufficientAmount: ([tokenAddress, value, min], { tokenAt }) => {
    const token = tokenAt?.(String(tokenAddress));
    return `The price moved: this would move ${amount(value, token)}, below your minimum of ${amount(min, token)}. ${SLIPPAGE_HINT}`;
  },
  // Solady SafeTransferLib, inside the routers
  TransferFromFailed: () =>
    "The token could not be taken from your account: check your balance, and sign the permit again.",
  TransferFailed: () => "A token transfer out of the contract failed.",
  PermitFailed: () => "The signed permit did not take effect, and no approval covers the amount. Sign again.",
  // The SCU standard
  UnknownGpuClass: ([classId]) => `There is no GPU class "${classIdName(classId)}" in the SCU standard.`,
  GpuClassExists: ([classId]) => `The GPU class "${classIdName(classId)}" is already listed.`,
  InvalidRating: ([classId, rating]) =>
    `A rating of ${formatAmount(rating as bigint, SCU)} SCU per hour for "${classIdName(classId)}" is outside (0, 1,000].`,
  // SCU
  ComputeCreditUnauthorizedMinter: ([caller]) =>
    `Only the provider registry can mint or burn SCU, and ${short(caller)} is not it.`,
  ComputeCreditInvalidMinter: () => "The zero address cannot be made a minter.",
  ComputeCreditNotDeployer: ([caller]) => `Only SCU's deployer can wire its minter, and ${short(caller)} is not it.`,
  ComputeCreditMinterAlreadySet: ([minter]) =>
    `SCU's minter is already set, for good: the provider registry at ${short(minter)}.`,
  // Provider registry
  NotEscrow: ([caller]) => `Only the job escrow can do this, and ${short(caller)} is not it.`,
  EscrowAlreadySet: () => "The registry is already wired to its escrow.",
  UnbondingDelayTooShort: ([delay, required]) =>
    `An unbonding delay of ${formatDuration(Number(delay))} is shorter than the longest a job can tie stake (${formatDuration(Number(required))}).`,
  NotDeployer: () => "Only the registry's deployer can wire its escrow.",
  InvalidParameter: ([name, value, min, max]) =>
    `The parameter ${classIdName(name)} must be between ${String(min)} and ${String(max)}, not ${String(value)}.`,
  NotHostOwner: ([hostId]) => `Host #${String(hostId)} belongs to another provider.`,
  UnknownHost: ([hostId]) => `There is no host #${String(hostId)}.`,
  TooManyHosts: ([, max]) => `A provider can register at most ${String(max)} hosts.`,
  SignerConsentExpired: ([deadline, currentTime]) =>
    `The host agent's consent expired ${formatDuration(Number(currentTime) - Number(deadline))} ago: check the endpoint again for a fresh one.`,
  InvalidSignerConsent: ([signer]) =>
    `The consent is not the signature of the host's signer ${short(signer)} for this wallet on this registry: check the endpoint again from the wallet the agent is configured for.`,
  SignerInUse: ([signer, hostId]) =>
    `The signer ${short(signer)} already signs for host #${String(hostId)}: one key serves one host. Run a new agent with its own signer key.`,
  InvalidGpuCount: ([count, max]) => `A host lists between 1 and ${String(max)} GPUs, not ${String(count)}.`,
  InvalidListing: ([listedUntil, max], { now = Math.floor(Date.now() / 1000) }) =>
    Number(listedUntil) <= now
      ? "A listing must end in the future."
      : `A listing can run at most ${formatDuration(Number(max) - now)} ahead.`,
  InvalidEndpoint: ([length, max]) =>
    Number(length) === 0
      ? "A host needs an endpoint URL."
      : `An endpoint URL can be at most ${String(max)} characters (this one has ${String(length)}).`,
  InvalidRegion: ([, max]) => `A region label can be at most ${String(max)} characters.`,
  ZeroAmount: () => "Enter an amount above zero.",
  ExceedsCapacity: ([, obligation, bound]) =>
    `That would leave your obligation at ${formatToken(obligation as bigint, SCU)}, above the ${formatToken(bound as bigint, SCU)} your listings will still back a day from now (mint ratio × capacity then, at the ratings in effect). List more GPU-hours, list them for longer, or retire credits.`,
  InsufficientStake: ([, stake, required]) =>
    `That needs ${formatToken(required as bigint, USDC)} of stake and the provider has ${formatToken(stake as bigint, USDC)}. Stake more, or mint or withdraw less.`,
  PriceStale: ([newest], { now = Math.floor(Date.now() / 1000) }) =>
    `There is no fresh price reading (${Number(newest) === 0 ? "none has been recorded" : `the newest is ${formatDuration(now - Number(newest))} old`}): anyone can record one, and it is usable one TWAP window (30 minutes) after it is recorded.`,
  UnbondingLocked: ([, unlocksAt, currentTime]) =>
    `Your unbonding stake unlocks in ${formatDuration(Number(unlocksAt) - Number(currentTime))}.`,
  UnbondExpired: ([, expiredAt], { now = Math.floor(Date.now() / 1000) }) =>
    `Your unbonding request lapsed ${formatDuration(now - Number(expiredAt))} ago (unbonded stake stays withdrawable for 3 days after it unlocks). Start unbonding again.`,
  NothingUnbonding: () => "Nothing is unbonding. Request an unbond first, then withdraw after the delay.",
  NotLiquidatable: () => "This provider is within its capacity and collateral: it cannot be liquidated.",
  ExceedsObligation: ([, value, obligation]) =>
    `${formatToken(value as bigint, SCU)} is more than the obligation of ${formatToken(obligation as bigint, SCU)}.`,
  LiquidationPriceOutOfBounds: ([, cost, maxCost]) =>
    `The pool would charge ${formatToken(cost as bigint, USDC)}, above the ${formatToken(maxCost as bigint, USDC)} the pool's time-weighted and recent prices allow (plus the premium). Liquidate less, or wait for the pool to settle.`,
  LiquidationExceedsStake: ([, needed, available]) =>
    `That liquidation needs ${formatToken(needed as bigint, USDC)} and the provider's stake outside open disputes is ${formatToken(available as bigint, USDC)}. Liquidate less.`,
  LiquidationExceedsShortfall: ([, scuAmount, most]) =>
    `Liquidating ${formatToken(scuAmount as bigint, SCU)} would take more than restoring this provider's health plus the 10% buffer: liquidate at most ${formatToken(most as bigint, SCU)}.`,
  HostPaused: ([hostId]) => `Host #${String(hostId)} is paused and takes no new jobs.`,
  HostProving: ([hostId, provingUntil], { now = Math.floor(Date.now() / 1000) }) =>
    BigInt(provingUntil as bigint) >= 2n ** 64n - 1n
      ? `Host #${String(hostId)} is being challenged: it takes no new job until its running jobs end and it has proven its throughput. Pick another host.`
      : `Host #${String(hostId)} is proving its throughput to a challenge and takes no new job for another ${formatDuration(Number(provingUntil) - now)} at most. Pick another host, or wait.`,
  NotVerifier: ([caller]) =>
    `Only the supply verifier can record a host's verification, and ${short(caller)} is not it.`,
  NotSlasher: ([caller]) =>
    `Only the job escrow or the supply verifier can slash stake, and ${short(caller)} is neither.`,
  ListingEndsBeforeJob: ([hostId, listedUntil, jobEnd]) =>
    `Host #${String(hostId)}'s listing ends ${formatDuration(Number(jobEnd) - Number(listedUntil))} before this job could. Choose a shorter job or another host.`,
  InsufficientGpus: ([hostId, requested, free]) =>
    `Host #${String(hostId)} has ${String(free)} GPU${Number(free) === 1 ? "" : "s"} free, not ${String(requested)}.`,
  // Job escrow
  InvalidJobStatus: ([jobId, status, expected]) =>
    `Job #${String(jobId)} is ${JOB_STATUS_WORDS[jobStatus(status as number)]}; this needs it ${JOB_STATUS_WORDS[jobStatus(expected as number)]}.`,
  NotBuyer: ([jobId]) => `Only job #${String(jobId)}'s buyer can do this.`,
  NotHost: ([jobId]) => `Only job #${String(jobId)}'s host can start it.`,
  NotArbiter: () => "Only the arbiter can resolve disputes.",
  InvalidGpus: () => "A job needs at least one GPU.",
  InvalidBuyer: () => "A job's buyer cannot be the zero address.",
  // Price oracle
  InvalidWindow: ([window, min, max]) =>
    `A TWAP window of ${formatDuration(Number(window))} is outside ${formatDuration(Number(min))} to ${formatDuration(Number(max))}.`,
  InvalidDuration: ([duration, min, max]) =>
    `A job runs between ${formatDuration(Number(min))} and ${formatDuration(Number(max))}, not ${formatDuration(Number(duration))}.`,
  InvalidTiming: ([name, value]) => `The escrow setting ${classIdName(name)} cannot be ${String(value)} seconds.`,
  InsufficientFunding: ([needed, arrived]) =>
    `The job needs ${formatToken(needed as bigint, SCU)} and only ${formatToken(arrived as bigint, SCU)} arrived in this transaction.`,
  FundingNotOpen: () =>
    "A funded job must be created in the same transaction that opened its funding (the job router does both).",
  StartTimedOut: ([jobId]) =>
    `Job #${String(jobId)} was not started in time. It can only be cancelled now: in full with the host's acknowledgement of the dispatch.`,
  CancelTooEarly: ([jobId, allowedAt, currentTime]) =>
    `Only job #${String(jobId)}'s buyer can cancel it for another ${formatDuration(Number(allowedAt) - Number(currentTime))}; after that, anyone can.`,
  InvalidDispatchAck: ([jobId]) =>
    `The acknowledgement given for job #${String(jobId)} is not its host's signature over its dispatch. Cancel without it, paying the reservation fee.`,
  ReceiptTooLate: ([jobId]) => `Job #${String(jobId)}'s receipt came too late; the buyer can reclaim the whole amount.`,
  ReclaimTooEarly: ([jobId, deadline, currentTime]) =>
    `Job #${String(jobId)}'s host still has ${formatDuration(Number(deadline) - Number(currentTime))} to submit its receipt.`,
  DisputeWindowClosed: ([jobId]) => `Job #${String(jobId)}'s dispute window has closed.`,
  DisputeWindowOpen: ([jobId, deadline, currentTime]) =>
    `Job #${String(jobId)} can be finalized in ${formatDuration(Number(deadline) - Number(currentTime))}, when its dispute window closes.`,
  ReasonTooLong: ([length, max]) =>
    `A dispute's reason is at most ${String(max)} bytes; this one has ${String(length)}.`,
  RulingDeadlinePassed: ([jobId]) =>
    `The arbiter's time to rule on job #${String(jobId)} has passed: the default ruling applies now (the receipt stands, the bond goes back), and anyone can apply it.`,
  RulingPending: ([jobId, ruleBy, currentTime]) =>
    `The arbiter may still rule on job #${String(jobId)} for ${formatDuration(Number(ruleBy) - Number(currentTime))}; the default ruling can be applied after that.`,
  AlreadyStopped: ([jobId]) => `Job #${String(jobId)} is already stopped.`,
  ExtendTooLate: ([jobId, maxEnd, currentTime]) =>
    `Job #${String(jobId)} reached its maximum end ${formatDuration(Number(currentTime) - Number(maxEnd))} ago, before the extension landed: the host may have stopped it already, so it is not extended (nothing was charged).`,
  StopTooLate: ([jobId, maxEnd, currentTime]) =>
    `Job #${String(jobId)} reached its maximum end ${formatDuration(Number(currentTime) - Number(maxEnd))} ago: there is nothing left to stop, and its receipt bills no further.`,
  InvalidReceiptSignature: ([jobId]) => `The receipt for job #${String(jobId)} is not signed by its host.`,
  AwardExceedsUsage: ([, awarded, used]) =>
    `The award of ${formatToken(awarded as bigint, SCU)} is more than the receipt's ${formatToken(used as bigint, SCU)}.`,
  SlashExceedsCap: ([, value, cap]) =>
    `A slash of ${formatToken(value as bigint, USDC)} is above the cap of ${formatToken(cap as bigint, USDC)} (the stake put at risk when the dispute opened).`,
  InvalidArbiter: () => "The arbiter cannot be the zero address.",
  // Job router
  InsufficientPoolLiquidity: ([needed, reserve]) =>
    `The pool holds ${formatToken(reserve as bigint, SCU)}, not enough for a job needing ${formatToken(needed as bigint, SCU)}. Choose a smaller job.`,
  // Supply verifier (InvalidParameter is the registry's sentence: the same error)
  ClassTableMismatch: ([classes, rates]) =>
    `The verifier's throughput table lists ${String(classes)} GPU classes and ${String(rates)} rates: they must pair up.`,
  UnknownClass: ([classId]) =>
    `The supply verifier has no throughput for the GPU class "${classIdName(classId)}": hosts of that class cannot be challenged.`,
  HostNotListed: ([hostId, listedUntil]) =>
    `Host #${String(hostId)}'s listing ${Number(listedUntil) === 0 ? "has ended" : `ended at ${formatClock(Number(listedUntil))}`}: only listed hosts are challenged.`,
  HostIsPaused: ([hostId]) => `Host #${String(hostId)} is paused: only hosts that take jobs are challenged.`,
  ChallengeAlreadyOpen: ([hostId, challengeId]) =>
    `Host #${String(hostId)} is already being challenged (#${String(challengeId)}): one challenge at a time.`,
  ChallengeTooSoon: ([hostId, nextChallengeAt], { now = Math.floor(Date.now() / 1000) }) =>
    challengeTooSoon(hostId as bigint, Number(nextChallengeAt) - now),
  SelfChallengeTooSoon: ([hostId, nextSelfChallengeAt], { now = Math.floor(Date.now() / 1000) }) =>
    `You challenged host #${String(hostId)} yourself recently: your own next challenge of it may begin in ${formatDuration(Math.max(0, Number(nextSelfChallengeAt) - now))} (anyone else's sooner), so your free checks cannot keep others from checking it.`,
  WorkTooLarge: ([hostId, rounds, maxRounds]) =>
    `A challenge of host #${String(hostId)} would take ${String(rounds)} rounds of work, more than the ${String(maxRounds)} one challenge may ask: the verifier cannot check a host that large.`,
  UnknownChallenge: ([id]) => `There is no challenge #${String(id)}.`,
  WrongStatus: ([id, status, expected]) =>
    `Challenge #${String(id)} is ${CHALLENGE_STATUS_WORDS[challengeStatus(status as number)]}; this needs it ${CHALLENGE_STATUS_WORDS[challengeStatus(expected as number)]}.`,
  HostBusy: ([hostId, gpusBusy]) =>
    `Host #${String(hostId)} still runs jobs on ${String(gpusBusy)} GPU${Number(gpusBusy) === 1 ? "" : "s"}: the challenge begins when they end.`,
  NotHostSigner: ([id, caller]) =>
    `Only the signer of challenge #${String(id)}'s host can do this, and ${short(caller)} is not it.`,
  SeedUnavailable: ([id, seedBlock]) =>
    `Challenge #${String(id)}'s seed, the hash of block ${String(seedBlock)}, is not available: that block is not mined yet, or more than 256 blocks have passed since (then the challenge can only expire).`,
  CommitTooLate: ([id, commitBy]) =>
    `Challenge #${String(id)} had to be committed by ${formatClock(Number(commitBy))}: it can only be expired now.`,
  AuditUnavailable: ([id, auditBlock]) =>
    `The hash of block ${String(auditBlock)}, which picks challenge #${String(id)}'s audited tiles, is not available: that block is not mined yet, or more than 256 blocks have passed since.`,
  RevealTooLate: ([id, revealBy]) =>
    `Challenge #${String(id)} had to be revealed by ${formatClock(Number(revealBy))}: it can only be expired now.`,
  WrongSampleCount: ([tiles, groupStats, proofs]) =>
    `A reveal opens every audited tile with its group's statistics and their Merkle proof; this one gave ${String(tiles)} tiles, ${String(groupStats)} groups' statistics and ${String(proofs)} proofs.`,
  WrongTileLength: ([sample, length, expected]) =>
    `Audited tile ${String(sample)} has ${String(length)} bytes, not the ${String(expected)} of a tile.`,
  WrongStatsLength: ([sample, length, expected]) =>
    `Audited tile ${String(sample)}'s group statistics have ${String(length)} bytes, not the ${String(expected)} of a group (8 bytes a tile).`,
  StatMismatch: ([id, sample, revealed, computed]) =>
    `Audited tile ${String(sample)} of challenge #${String(id)} does not match its group's statistics: they give it ${String(revealed)}, its values' squares sum to ${String(computed)}.`,
  WrongProofLength: ([sample, length, expected]) =>
    `Audited tile ${String(sample)}'s Merkle proof has ${String(length)} nodes, not the tree's depth of ${String(expected)}.`,
  InvalidProof: ([id, sample, leafIndex]) =>
    `Audited tile ${String(sample)}'s group statistics do not prove leaf ${String(leafIndex)} of the root challenge #${String(id)}'s host committed to.`,
  NotRevealed: ([id, sample]) =>
    `That tile (sample ${String(sample)}), or those tile hashes, are not what challenge #${String(id)}'s host revealed.`,
  OutsideTile: ([row, col]) => `Row ${String(row)}, column ${String(col)} is outside a tile.`,
  NoFraud: ([id, sample, row, col]) =>
    `The value at row ${String(row)}, column ${String(col)} of challenge #${String(id)}'s audited tile ${String(sample)} is right: there is no fraud to prove.`,
  NotExpired: ([id, status, deadline], { now = Math.floor(Date.now() / 1000) }) =>
    `Challenge #${String(id)} is ${CHALLENGE_STATUS_WORDS[challengeStatus(status as number)]} and its host has until ${formatClock(Number(deadline))} (${formatDuration(Number(deadline) - now)} more): it can be expired only after that.`,
  FraudWindowOpen: ([id, endsAt], { now = Math.floor(Date.now() / 1000) }) =>
    `Anyone may still prove challenge #${String(id)}'s reveal wrong for ${formatDuration(Number(endsAt) - now)}: it can be finalized after ${formatClock(Number(endsAt))}.`,
  // ThroughputWork, inside the verifier
  InvalidShape: ([rows, cols, inner]) =>
    `A work shape of ${String(rows)} × ${String(cols)} with inner dimension ${String(inner)} is not one the verifier computes: rows and columns at most 2^20, the inner dimension a multiple of 8 up to 65,536.`,
  ElementOutOfRange: ([round, row, col]) =>
    `Round ${String(round)}, row ${String(row)}, column ${String(col)} is outside the work (rounds below 2^23, rows and columns within the shape).`,
  InvalidTile: ([length]) =>
    `A tile of ${String(length)} bytes is not a whole number of 32-bit values, or its statistic does not fit 64 bits.`,
  // OpenZeppelin (ERC-6093, ERC-2612, Ownable, SafeCast, SafeERC20)
  SafeCastOverflowedUintDowncast: () => "That amount is too large.",
  SafeERC20FailedOperation: ([token]) => `The token at ${short(token)} refused the transfer.`,
  ERC20InsufficientBalance: ([, balance, needed], { token }) =>
    `Not enough balance: you have ${amount(balance, token)} and this needs ${amount(needed, token)}.`,
  ERC20InsufficientAllowance: ([, allowance, needed], { token }) =>
    `The contract may spend only ${amount(allowance, token)} of yours and needs ${amount(needed, token)}. Approve more and try again.`,
  ERC20InvalidReceiver: ([receiver]) => `Tokens cannot be sent to ${short(receiver)}.`,
  ERC20InvalidSender: ([sender]) => `Tokens cannot be sent from ${short(sender)}.`,
  ERC20InvalidApprover: ([approver]) => `${short(approver)} cannot approve spending.`,
  ERC20InvalidSpender: ([spender]) => `${short(spender)} cannot be approved to spend.`,
  ERC2612ExpiredSignature: () => "The signed permit expired before the transaction landed. Sign again.",
  ERC2612InvalidSigner: () => "The permit was signed by another account than the one paying. Sign again.",
  InvalidAccountNonce: () => "This signature was already used. Sign again.",
  ECDSAInvalidSignature: () => "The signature is not valid. Sign again.",
  ECDSAInvalidSignatureLength: () => "The signature is malformed. Sign again.",
  ECDSAInvalidSignatureS: () => "The signature is malformed. Sign again.",
  OwnableUnauthorizedAccount: ([account]) => `Only the contract's owner can do this, and ${short(account)} is not.`,
  OwnableInvalidOwner: ([owner]) => `${short(owner)} cannot own the contract.`,
  // OpenZeppelin ShortStrings: only a deployment with an over-long token name can hit these.
  InvalidShortString: () => "A name or symbol is too long.",
  StringTooLong: () => "A name or symbol is too long.",
};

/** The decoded custom error inside `data`, or undefined when it is not one of ours. */
export function decodeProtocolError(data: Hex): { errorName: string; args: Args } | undefined {
  try {
    const { errorName, args } = decodeErrorResult({ abi: protocolErrorsAbi, data });
    return { errorName, args: args ?? [] };
  } catch {
    return undefined;
  }
}

/** One sentence for a decoded custom error. */
export function describeRevert(errorName: string, args: Args, ctx: ErrorContext = {}): string {
  // A failed call inside a batch: explain the inner revert.
  if (errorName === "Multicall3CallFailed") {
    const inner = decodeProtocolError(args[1] as Hex);
    if (inner) return describeRevert(inner.errorName, inner.args, ctx);
  }
  const sentence = SENTENCES[errorName];
  if (sentence) return sentence(args, ctx);
  const shown = args.map((a) => String(a)).join(", ");
  return `The contract refused: ${errorName}(${shown}).`;
}

/** The sentence for any error thrown while reading, simulating, signing or sending. */
export function describeError(error: unknown, ctx: ErrorContext = {}): string {
  if (!(error instanceof BaseError)) {
    return error instanceof Error ? error.message : "Something went wrong.";
  }
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) {
    if (reverted.data?.errorName) return describeRevert(reverted.data.errorName, reverted.data.args ?? [], ctx);
    const decoded = reverted.raw ? decodeProtocolError(reverted.raw) : undefined;
    if (decoded) return describeRevert(decoded.errorName, decoded.args, ctx);
    if (reverted.reason) return `The contract refused: ${reverted.reason}.`;
    return "The contract refused the transaction without saying why.";
  }
  // A revert met outside a contract call (sending a transaction, a replay): the node's error carries the data.
  const withData = error.walk(
    (e) => typeof (e as { data?: unknown }).data === "string" && /^0x[0-9a-fA-F]{8}/.test((e as { data: string }).data),
  );
  const decoded = withData ? decodeProtocolError((withData as unknown as { data: Hex }).data) : undefined;
  if (decoded) return describeRevert(decoded.errorName, decoded.args, ctx);
  if (error.walk((e) => e instanceof UserRejectedRequestError || (e as { code?: number }).code === 4001)) {
    return "You rejected the request in your wallet.";
  }
  if (error.walk((e) => e instanceof InsufficientFundsError)) {
    return "This account does not have enough ETH to pay for gas.";
  }
  if (error.walk((e) => e instanceof NonceTooLowError || e instanceof NonceTooHighError)) {
    return "Your wallet's transaction count does not match the chain (was the local chain reset?). Clear your wallet's activity for this network and try again.";
  }
  if (error.walk((e) => e instanceof ChainMismatchError)) {
    return "Your wallet is on another network. Switch networks and try again.";
  }
  if (error.walk((e) => e instanceof TimeoutError)) {
    return "The chain did not answer in time. Try again in a moment.";
  }
  const http = error.walk((e) => e instanceof HttpRequestError);
  if (http instanceof HttpRequestError) {
    return `Cannot reach the chain at ${http.url}. Is it running? (\`npm run dev\` starts it.)`;
  }
  return error.shortMessage;
}
