// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IQuoter
/// @notice Read-only views the UI needs in one call: amounts along a path with their price impact, and a
/// pool's whole state.
interface IQuoter {
    struct PoolState {
        address pool;
        address token0;
        address token1;
        uint112 reserve0;
        uint112 reserve1;
        uint32 blockTimestampLast;
        uint256 totalSupply;
        uint256 fee;
        uint128 price0Cumulative;
        uint128 price1Cumulative;
        uint32 cumulativeTimestamp;
        address protocolFeeRecipient;
        uint256 protocolFeeShare;
    }

    /// @notice Amounts along `path` for exactly `amountIn`, and the price impact net of fees, as a WAD
    /// fraction (1e18 = 100%): how much less the output is than at the pools' current prices.
    function quoteExactIn(uint256 amountIn, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts, uint256 priceImpactWad);

    /// @notice Amounts along `path` for exactly `amountOut`, and the price impact as above.
    function quoteExactOut(uint256 amountOut, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts, uint256 priceImpactWad);

    /// @notice Everything about a pool, with accumulators brought up to this block.
    function poolState(address pool) external view returns (PoolState memory state);

    /// @notice The pure quote math of PoolMath, exposed for off-chain differential testing.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut, uint256 fee)
        external
        pure
        returns (uint256);
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut, uint256 fee)
        external
        pure
        returns (uint256);
}
