// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {IPool} from "./interfaces/IPool.sol";
import {TwapOracle} from "./libraries/TwapOracle.sol";

/// @title PriceOracle
/// @notice The reference price's source: the SCU/USDC pool's TWAP over one to two windows ending now, or none, and
/// its recent price. The provider registry reads it for collateral and liquidation; keepers, host agents and the
/// app record readings (through the registry's `observe` or here). No owner; its window is fixed at deployment.
contract PriceOracle is IPriceOracle {
    using TwapOracle for TwapOracle.Oracle;

    /// @inheritdoc IPriceOracle
    IPool public immutable pool;
    /// @inheritdoc IPriceOracle
    uint256 public immutable window;
    bool internal immutable _scuIsToken0;

    TwapOracle.Oracle internal _oracle;

    /// @param scu The token whose price in the other is averaged.
    constructor(IPool pool_, address scu, uint256 window_) {
        if (window_ < 60 || window_ > 1 days) revert InvalidWindow(window_, 60, 1 days);
        (pool, window) = (pool_, window_);
        _scuIsToken0 = pool_.token0() == scu;
        // The first reading: a price exists one window after deployment.
        _observe();
    }

    /// @inheritdoc IPriceOracle
    function observe() external {
        _observe();
    }

    /// @inheritdoc IPriceOracle
    function prices() external view returns (uint256 twap, uint256 recent, bool fresh, uint32 newestObservation) {
        (uint128 cumulative, uint32 timestamp) = _readPool();
        return _pricesAt(cumulative, timestamp);
    }

    /// @inheritdoc IPriceOracle
    function observeAndPrices() external returns (uint256 twap, uint256 recent, bool fresh, uint32 newestObservation) {
        (uint128 cumulative, uint32 timestamp) = _readPool();
        (twap, recent, fresh, newestObservation) = _pricesAt(cumulative, timestamp);
        _record(cumulative, timestamp);
    }

    /// @dev The pool's SCU price accumulator (USDC per SCU) brought up to now.
    function _readPool() internal view returns (uint128 cumulative, uint32 timestamp) {
        (uint128 c0, uint128 c1, uint32 t) = pool.cumulativePrices();
        return (_scuIsToken0 ? c0 : c1, t);
    }

    function _observe() internal {
        (uint128 cumulative, uint32 timestamp) = _readPool();
        _record(cumulative, timestamp);
    }

    function _record(uint128 cumulative, uint32 timestamp) internal {
        if (_oracle.observe(cumulative, timestamp, window)) emit PriceObserved(cumulative, timestamp);
    }

    /// @dev UQ64.64 USDC-wei per SCU-wei, averaged, scaled to a whole SCU (1e18 wei).
    function _pricesAt(uint128 cumulative, uint32 timestamp)
        internal
        view
        returns (uint256 twap, uint256 recent, bool fresh, uint32 newestObservation)
    {
        (twap, recent, fresh, newestObservation) = _oracle.consult(cumulative, timestamp, window, 1e18);
    }
}
