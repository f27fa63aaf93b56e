// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Provider} from "../types/Provider.sol";

/// @title Collateral
/// @notice A provider's stake against its obligation (docs/protocol.md, "Credits: a CDP against listed
/// capacity"): the stake it must hold, which rule it breaks, and how much a liquidation may take. Prices are
/// USDC base units per whole SCU; ratios are basis points.
library Collateral {
    uint256 internal constant BPS = 10_000;

    /// @dev (collateral ratio × O + open-job credits) × P, rounded up, plus the stake open disputes hold.
    function requiredStake(Provider memory p, uint256 price, uint256 collateralRatioBps)
        internal
        pure
        returns (uint256)
    {
        uint256 backed =
            Math.mulDiv(p.obligation, collateralRatioBps, BPS, Math.Rounding.Ceil) + p.jobCredits;
        return Math.mulDiv(backed, price, 1e18, Math.Rounding.Ceil) + p.disputeStake;
    }

    /// @dev Which rule a provider breaks: an obligation above `capacityBound`, or (with `price` ≠ 0) stake
    /// below ⌈collateral ratio × O × P⌉.
    function shortfalls(Provider memory p, uint256 capacityBound, uint256 price, uint256 collateralRatioBps)
        internal
        pure
        returns (bool capacityShort, bool collateralShort)
    {
        if (p.obligation == 0) return (false, false);
        capacityShort = p.obligation > capacityBound;
        collateralShort = price != 0
            && p.stake < Math.mulDiv(p.obligation, collateralRatioBps * price, BPS * 1e18, Math.Rounding.Ceil);
    }

    /// @dev What each SCU a liquidation buys costs the stake at most: fair × (1 + premium)(1 + bonus), rounded up.
    function liquidationCost(uint256 fair, uint256 premiumBps, uint256 bonusBps) internal pure returns (uint256) {
        return Math.mulDiv(fair, (BPS + premiumBps) * (BPS + bonusBps), BPS * BPS, Math.Rounding.Ceil);
    }

    /// @dev The most a liquidation may take: what restores the broken rule, plus `bufferBps` of it, at most the
    /// obligation. A capacity shortfall is restored by the excess over `capacityBound` (max: not broken); a
    /// collateral one by x with S − c·x ≥ CR·P·(O − x), each SCU bought costing the stake at most c (`cost`,
    /// `liquidationCost`) and freeing CR·P of requirement (the registry's constructor keeps CR·P > c, since
    /// fair ≤ P).
    function liquidationLimit(
        Provider storage p,
        uint256 capacityBound,
        bool collateralShort,
        uint256 price,
        uint256 cost,
        uint256 collateralRatioBps,
        uint256 bufferBps
    ) internal view returns (uint256 most) {
        uint256 obligation = p.obligation;
        if (obligation > capacityBound) most = obligation - capacityBound;
        if (collateralShort) {
            uint256 needed = Math.mulDiv(obligation, collateralRatioBps * price, BPS * 1e18, Math.Rounding.Ceil);
            uint256 freed = price * collateralRatioBps / BPS;
            // Rounding can close the gap for a price of a few base units: then the whole obligation may go.
            uint256 restoring =
                freed > cost ? Math.mulDiv(needed - p.stake, 1e18, freed - cost, Math.Rounding.Ceil) : obligation;
            most = Math.max(most, restoring);
        }
        most = Math.min(Math.mulDiv(most, BPS + bufferBps, BPS, Math.Rounding.Ceil), obligation);
    }
}
