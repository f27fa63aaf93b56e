// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RegistryConfig} from "../src/types/Provider.sol";
import {EscrowConfig} from "../src/types/Job.sol";
import {VerifierConfig, WorkShape} from "../src/types/Verification.sol";

/// @notice The protocol's deployment parameters, written down once: Deploy.s.sol deploys with them (its
/// HOURGLASS_* env vars override the clocks), the test fixture deploys with them, and `npm run codegen` copies
/// them into lib/contracts/constants.ts for the TypeScript deploys. docs/protocol.md, "Parameters", says why
/// each value.
library Parameters {
    uint16 internal constant MINT_RATIO_BPS = 5_000;
    uint32 internal constant COLLATERAL_RATIO_BPS = 15_000;
    uint16 internal constant LIQUIDATION_BONUS_BPS = 500;
    uint16 internal constant LIQUIDATION_MAX_PREMIUM_BPS = 500;
    uint32 internal constant UNBONDING_DELAY = 9 days;
    /// @dev $1.00 per SCU in 6-decimal USDC.
    uint128 internal constant FLOOR_PRICE = 1e6;
    /// @dev The price oracle's window: the TWAP spans 30 minutes to an hour.
    uint256 internal constant TWAP_WINDOW = 30 minutes;

    uint32 internal constant START_TIMEOUT = 15 minutes;
    uint32 internal constant RECEIPT_GRACE = 1 hours;
    uint32 internal constant DISPUTE_WINDOW = 1 days;
    uint32 internal constant RULING_PERIOD = 7 days;
    uint16 internal constant DISPUTE_BOND_BPS = 1_000;

    /// @dev The delay of the timelock that owns the protocol on a public chain.
    uint256 internal constant TIMELOCK_DELAY = 2 days;

    // Supply verification (SupplyVerifier). Real chains: a GPU's product. 16,384×65,536 by 65,536×256 with 5-bit
    // entries is 2^39 FLOP a round (≈ 0.56 ms on an H100 at its 989 TFLOP/s datasheet figure); tiles of 8 rows, 2,048
    // a round, in groups of 512: 4 leaves a round. The reveal must fit one transaction: Ethereum clients' pools
    // refuse transactions over 128 KiB, and 8 samples of a tile (8 · 256 · 4 B = 8 KB), its group's statistics
    // (512 · 8 B = 4 KB) and a proof of up to 26 levels encode to 106,724 bytes (lib/verification/work.test.ts checks
    // the bound); tiles of 16 rows made it 156 KB.
    uint32 internal constant GPU_ROWS = 16_384;
    uint32 internal constant GPU_COLS = 256;
    uint32 internal constant GPU_INNER = 65_536;
    uint32 internal constant GPU_TILE_ROWS = 8;
    uint32 internal constant GPU_GROUP_TILES = 512;
    /// @dev Thirty seconds at the rated throughput, so the deadline is mostly work, not overhead. The round field's
    /// 23 bits cap a challenge at 2^23 rounds × 2^39 FLOP = 4.6e18 FLOP: 30 s of 150 H100s at 989 TFLOP/s.
    uint32 internal constant GPU_TARGET_SECONDS = 30;
    /// @dev Seconds for what is not the product on a real chain: reading the seed block, hashing the leaves (4 a
    /// round), the commit transaction.
    uint32 internal constant COMMIT_OVERHEAD = 20;
    /// @dev The deadline allows 75% of the rated throughput: 30 / 0.75 + 20 = 60 s. A host at a share x of its rating
    /// commits in time when 30 / x + its real overhead ≤ 60 s: at half its rating the work alone takes the whole
    /// 60 s, so it misses; with 8 s of real overhead an honest H100 passes from x ≈ 58% of its datasheet (sustained
    /// dense matmul reaches 60–80% of it).
    uint16 internal constant TOLERANCE_BPS = 7_500;
    /// @dev The local chain's CPU runner (lib/verification/cpuRunner.ts): a 64×256 by 256×16 product, 2^19 FLOP a
    /// round, tiles of 8 rows in groups of 4 (8 tiles, 2 leaves a round).
    uint32 internal constant LOCAL_ROWS = 64;
    uint32 internal constant LOCAL_COLS = 16;
    uint32 internal constant LOCAL_INNER = 256;
    uint32 internal constant LOCAL_TILE_ROWS = 8;
    uint32 internal constant LOCAL_GROUP_TILES = 4;
    uint32 internal constant LOCAL_TARGET_SECONDS = 2;
    /// @dev Every class proves 5 MFLOP/s a GPU on the local chain: the demo's largest host (8 GPUs) then computes
    /// 8e7 FLOP (153 rounds, 306 leaves, several levels of tree), under a second for the JavaScript runner's
    /// ~100 MFLOP/s.
    uint64 internal constant LOCAL_MFLOPS_PER_GPU = 5;
    /// @dev The local chain proves the flow, not the hardware: a two-core CI machine runs six demo hosts' proofs at
    /// once, so the overhead is generous (30 s) and the tolerance half the (nominal) rate.
    uint32 internal constant LOCAL_COMMIT_OVERHEAD = 30;
    uint16 internal constant LOCAL_TOLERANCE_BPS = 5_000;
    uint32 internal constant REVEAL_WINDOW = 10 minutes;
    /// @dev Time for anyone to check the eight revealed tiles (T·N values each) against the seed: an hour on a public
    /// chain, two minutes on the local one (the tests and the demo wait it out).
    uint32 internal constant FRAUD_WINDOW = 1 hours;
    uint32 internal constant LOCAL_FRAUD_WINDOW = 2 minutes;
    uint32 internal constant VERIFIED_FOR = 7 days;
    /// @dev Challenges take at most a tenth of a host's time.
    uint16 internal constant DUTY_CYCLE_BPS = 1_000;
    /// @dev A failed challenge costs the provider a tenth of its stake, paid to the challenger.
    uint16 internal constant FAILURE_SLASH_BPS = 1_000;

    function registryConfig() internal pure returns (RegistryConfig memory) {
        return RegistryConfig({
            mintRatioBps: MINT_RATIO_BPS,
            collateralRatioBps: COLLATERAL_RATIO_BPS,
            liquidationBonusBps: LIQUIDATION_BONUS_BPS,
            liquidationMaxPremiumBps: LIQUIDATION_MAX_PREMIUM_BPS,
            unbondingDelay: UNBONDING_DELAY,
            floorPrice: FLOOR_PRICE
        });
    }

    /// @dev The verifier's parameters: the GPU shape on a real chain, the CPU one on the local chain.
    function verifierConfig(bool local) internal pure returns (VerifierConfig memory) {
        return VerifierConfig({
            shape: local
                ? WorkShape({
                    rows: LOCAL_ROWS,
                    cols: LOCAL_COLS,
                    inner: LOCAL_INNER,
                    tileRows: LOCAL_TILE_ROWS,
                    groupTiles: LOCAL_GROUP_TILES
                })
                : WorkShape({
                    rows: GPU_ROWS,
                    cols: GPU_COLS,
                    inner: GPU_INNER,
                    tileRows: GPU_TILE_ROWS,
                    groupTiles: GPU_GROUP_TILES
                }),
            targetSeconds: local ? LOCAL_TARGET_SECONDS : GPU_TARGET_SECONDS,
            commitOverhead: local ? LOCAL_COMMIT_OVERHEAD : COMMIT_OVERHEAD,
            toleranceBps: local ? LOCAL_TOLERANCE_BPS : TOLERANCE_BPS,
            revealWindow: REVEAL_WINDOW,
            fraudWindow: local ? LOCAL_FRAUD_WINDOW : FRAUD_WINDOW,
            verifiedFor: VERIFIED_FOR,
            dutyCycleBps: DUTY_CYCLE_BPS,
            failureSlashBps: FAILURE_SLASH_BPS
        });
    }

    function escrowConfig() internal pure returns (EscrowConfig memory) {
        return EscrowConfig({
            startTimeout: START_TIMEOUT,
            receiptGrace: RECEIPT_GRACE,
            disputeWindow: DISPUTE_WINDOW,
            rulingPeriod: RULING_PERIOD,
            disputeBondBps: DISPUTE_BOND_BPS
        });
    }
}
