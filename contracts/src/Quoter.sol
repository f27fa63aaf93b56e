// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IPool} from "./interfaces/IPool.sol";
import {IPoolFactory} from "./interfaces/IPoolFactory.sol";
import {IQuoter} from "./interfaces/IQuoter.sol";
import {IRouter} from "./interfaces/IRouter.sol";
import {PoolMath} from "./libraries/PoolMath.sol";

/// @title Quoter
/// @notice The UI's lens on the pools. Views only: never holds or moves tokens.
contract Quoter is IQuoter {
    uint256 internal constant WAD = 1e18;

    IRouter public immutable router;

    constructor(IRouter router_) {
        router = router_;
    }

    /// @inheritdoc IQuoter
    function quoteExactIn(uint256 amountIn, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts, uint256 priceImpactWad)
    {
        amounts = router.getAmountsOut(amountIn, path);
        priceImpactWad = _priceImpact(amounts, path);
    }

    /// @inheritdoc IQuoter
    function quoteExactOut(uint256 amountOut, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts, uint256 priceImpactWad)
    {
        amounts = router.getAmountsIn(amountOut, path);
        priceImpactWad = _priceImpact(amounts, path);
    }

    /// @inheritdoc IQuoter
    function poolState(address pool) external view returns (PoolState memory state) {
        IPool p = IPool(pool);
        state.pool = pool;
        state.token0 = p.token0();
        state.token1 = p.token1();
        (state.reserve0, state.reserve1, state.blockTimestampLast) = p.getReserves();
        state.totalSupply = IERC20(pool).totalSupply();
        state.fee = p.fee();
        (state.price0Cumulative, state.price1Cumulative, state.cumulativeTimestamp) = p.cumulativePrices();
        (state.protocolFeeRecipient, state.protocolFeeShare) = IPoolFactory(p.factory()).protocolFee();
    }

    /// @inheritdoc IQuoter
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut, uint256 fee)
        external
        pure
        returns (uint256)
    {
        return PoolMath.getAmountOut(amountIn, reserveIn, reserveOut, fee);
    }

    /// @inheritdoc IQuoter
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut, uint256 fee)
        external
        pure
        returns (uint256)
    {
        return PoolMath.getAmountIn(amountOut, reserveIn, reserveOut, fee);
    }

    /// @dev 1 − actual output / output at the pools' current prices after fees, hop by hop (WAD).
    function _priceImpact(uint256[] memory amounts, address[] calldata path) private view returns (uint256) {
        uint256 ideal = amounts[0];
        for (uint256 i; i < path.length - 1; ++i) {
            IPool pool = IPool(router.poolFor(path[i], path[i + 1]));
            (uint112 r0, uint112 r1,) = pool.getReserves();
            (uint256 reserveIn, uint256 reserveOut) =
                path[i] < path[i + 1] ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
            ideal =
                ideal * (PoolMath.FEE_DENOMINATOR - pool.fee()) * reserveOut / (PoolMath.FEE_DENOMINATOR * reserveIn);
        }
        uint256 actual = amounts[amounts.length - 1];
        if (ideal == 0 || actual >= ideal) return 0;
        return WAD - actual * WAD / ideal;
    }
}
