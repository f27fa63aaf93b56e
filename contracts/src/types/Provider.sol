// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What a provider registers for a host.
struct HostParams {
    /// Key that signs the host's usage receipts (not the provider's wallet: it lives on the GPU machine).
    address signer;
    /// GPU class id in the ComputeStandard (e.g. "h100-sxm" as a left-aligned bytes32).
    bytes32 classId;
    uint32 gpuCount;
    /// Unix time the listing ends; capacity counts the hours until then.
    uint64 listedUntil;
    /// HTTPS base URL of the host agent; the dispatch route relays jobs there.
    string endpoint;
    /// Free-form region label for buyers, e.g. "eu-west".
    string region;
}

/// @notice A registered host. Slot 0 packs provider, GPU count, GPUs busy and the pause flag; slot 1 packs
/// signer and listing end; slot 3 the counted rating and the verification, so booking a job touches three.
struct Host {
    address provider;
    uint32 gpuCount;
    uint32 gpusBusy;
    bool paused;
    address signer;
    uint64 listedUntil;
    bytes32 classId;
    /// The rating (SCU per GPU-hour, WAD) the host's capacity is counted at when deciding a liquidation: the
    /// class's rating at registration, raised to the rating in effect whenever its provider mints. A rating
    /// that later falls lowers what the provider may mint, never what it already minted against.
    uint96 ratingWad;
    /// Until when a passed throughput challenge (SupplyVerifier) lets the host's capacity back a mint.
    uint64 verifiedUntil;
    /// While a challenge runs on the host it takes no new job (until this time; type(uint64).max while the
    /// challenge waits for the host's jobs to end).
    uint64 provingUntil;
    /// The host failed its last challenge: its capacity counts for nothing, not even against a liquidation,
    /// until a challenge passes.
    bool verificationFailed;
    string endpoint;
    string region;
}

/// @notice A provider's money and record. USDC amounts in USDC base units, SCU in wei. Slots 0 and 1 are what
/// every stake check reads; slot 2 the unbonding request and open disputes; slot 3 the record.
struct Provider {
    uint128 stake;
    /// SCU minted and not yet retired.
    uint128 obligation;
    /// SCU locked in this provider's unsettled jobs: its stake backs them too.
    uint128 jobCredits;
    /// USDC of stake at risk in open disputes (each its job's slash cap, fixed when disputed): it cannot leave
    /// and no liquidation takes it until the disputes close.
    uint128 disputeStake;
    /// Stake asked to unbond, and when it may leave (for UNBOND_WINDOW; then the request lapses).
    uint128 unbondingAmount;
    uint64 unbondingUnlocksAt;
    uint32 openDisputes;
    /// GPU-seconds the provider's jobs ran and were paid for (a job's GPUs × the span it ran, never more than
    /// the chain's clock allows), and GPU-seconds of the jobs it failed (GPUs × the booked duration). Slot 3
    /// starts here: a settlement writes this slot only.
    uint64 servedGpuSeconds;
    uint64 failedGpuSeconds;
    uint32 completed;
    uint32 noShows;
    uint32 disputesLost;
    /// Throughput challenges its hosts failed (SupplyVerifier), each also in failedGpuSeconds.
    uint32 challengesFailed;
}

/// @notice How a job ended, for the provider's record.
enum Outcome {
    /// Paid in full, or resolved by the arbiter wholly in the provider's favour.
    Completed,
    /// The host acknowledged the dispatch and never started it, or started and never submitted a receipt in time.
    NoShow,
    /// The arbiter cut the provider's pay or slashed it.
    DisputeLost,
    /// The job was cancelled before it started with no proof the host had it: no mark either way.
    Withdrawn,
    /// Not a job: one of the provider's hosts failed a throughput challenge (SupplyVerifier).
    ChallengeFailed
}

/// @notice The registry's risk parameters, fixed at deployment (docs/protocol.md says how they were chosen).
struct RegistryConfig {
    /// Obligation a provider may hold per SCU of remaining listed capacity, in basis points.
    uint16 mintRatioBps;
    /// Stake a provider must hold per USDC of obligation at the reference price, in basis points.
    uint32 collateralRatioBps;
    /// Share of a liquidation's cost paid to the liquidator from the provider's stake, in basis points.
    uint16 liquidationBonusBps;
    /// Most a liquidation may pay per SCU above the reference price, in basis points.
    uint16 liquidationMaxPremiumBps;
    /// Time between asking to unbond stake and withdrawing it, in seconds.
    uint32 unbondingDelay;
    /// Lowest reference price, USDC base units per SCU: stands in until the pool has a TWAP, and stops a
    /// depressed pool price from shrinking the collateral a provider must hold.
    uint128 floorPrice;
}
