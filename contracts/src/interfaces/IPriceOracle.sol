// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPool} from "./IPool.sol";

/// @title IPriceOracle
/// @notice The SCU/USDC pool's time-weighted price in USDC base units per whole SCU, over a span between one and
/// two windows ending now, or none (PROTOCOL.md, "Who holds what"); and its recent price, the average since the
/// newest reading before this block. Neither counts a trade made in the current block. Anyone may record a
/// reading; one every half window keeps a price always available (libraries/TwapOracle.sol).
interface IPriceOracle {
    /// @notice The window must be `min`..`max` seconds (`window` given).
    error InvalidWindow(uint256 window, uint256 min, uint256 max);

    /// @notice A reading of the pool's SCU price accumulator was recorded at `timestamp`.
    event PriceObserved(uint256 cumulative, uint32 timestamp);

    /// @notice The pool whose SCU price this averages.
    function pool() external view returns (IPool);
    /// @notice The shortest span the TWAP is taken over, in seconds (the longest is twice it).
    function window() external view returns (uint256);

    /// @notice Records a reading when the newest is at least half a window old (or there is none). Anyone may.
    function observe() external;
    /// @notice The TWAP and the recent price (0 when none) in USDC base units per SCU, whether the TWAP is fresh
    /// (0 when not), and the newest reading's time (0: none).
    function prices() external view returns (uint256 twap, uint256 recent, bool fresh, uint32 newestObservation);
    /// @notice `observe`, then `prices` from the same read of the pool (a reading made now is too young to change
    /// them): one call for the registry's writes.
    function observeAndPrices() external returns (uint256 twap, uint256 recent, bool fresh, uint32 newestObservation);
}
