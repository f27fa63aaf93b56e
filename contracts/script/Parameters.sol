// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RegistryConfig} from "../src/types/Provider.sol";
import {EscrowConfig} from "../src/types/Job.sol";

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
