// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPriceOracle} from "../interfaces/IPriceOracle.sol";
import {IProviderRegistry} from "../interfaces/IProviderRegistry.sol";

/// @title ReferencePrice
/// @notice The registry's prices from the oracle's readings (docs/protocol.md, "The reference price P"):
/// P = max(TWAP, floor) when the TWAP is fresh, none otherwise; the booking price (P, else the floor); and the
/// market price a liquidation pays at most, min(TWAP, recent price) plus the premium. The oracle
/// (PriceOracle.sol) holds the readings; the floor and the premium are the registry's parameters.
library ReferencePrice {
    uint256 internal constant BPS = 10_000;

    /// @dev The raw TWAP, P = max(TWAP, floor), whether they are fresh (both 0 when not), the newest reading's
    /// time, and the recent price (0 when none).
    function read(IPriceOracle oracle, uint256 floor)
        internal
        view
        returns (uint256 twap, uint256 price, bool fresh, uint32 newestAt, uint256 recent)
    {
        (twap, recent, fresh, newestAt) = oracle.prices();
        if (fresh) price = fromTwap(twap, floor);
    }

    /// @dev Records a reading when due and returns the price stake is booked at (a reading made now is too
    /// young to change it).
    function observeAndBook(IPriceOracle oracle, uint256 floor) internal returns (uint256) {
        (uint256 twap,, bool fresh,) = oracle.observeAndPrices();
        return fresh ? fromTwap(twap, floor) : floor;
    }

    /// @dev A fresh TWAP and P and the recent price, or PriceStale naming the newest reading (a failed call
    /// records nothing, its revert undoing the reading); records a reading when due.
    function observeFresh(IPriceOracle oracle, uint256 floor)
        internal
        returns (uint256 twap, uint256 price, uint256 recent)
    {
        bool fresh;
        uint32 newestAt;
        (twap, recent, fresh, newestAt) = oracle.observeAndPrices();
        if (!fresh) revert IProviderRegistry.PriceStale(newestAt);
        price = fromTwap(twap, floor);
    }

    /// @dev P from the TWAP: never below the floor, which stops a depressed pool from shrinking collateral.
    function fromTwap(uint256 twap, uint256 floor) internal pure returns (uint256) {
        return Math.max(twap, floor);
    }

    /// @dev The price stake is booked at: P when fresh, else the floor.
    function booking(uint256 price, bool fresh, uint256 floor) internal pure returns (uint256) {
        return fresh ? price : floor;
    }

    /// @dev The market's own price, never the floor: the TWAP, or the recent price when lower (the pool fell and
    /// the TWAP lags), each without this block's trades.
    function market(uint256 twap, uint256 recent) internal pure returns (uint256) {
        return recent != 0 && recent < twap ? recent : twap;
    }

    /// @dev The most `scuAmount` SCU may cost at `fair` plus `premiumBps`: a pool pumped in this block cannot
    /// make a buyer pay more than the market did before it, plus the premium.
    function maxCost(uint256 scuAmount, uint256 fair, uint256 premiumBps) internal pure returns (uint256) {
        return Math.mulDiv(scuAmount, fair * (BPS + premiumBps), 1e18 * BPS);
    }
}
