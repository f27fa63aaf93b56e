// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PoolMath
/// @notice Constant-product quote math with the fee on input. `lib/amm/quote.ts` implements the same functions
/// in bigint; a differential test holds the two equal.
library PoolMath {
    /// @notice Fees are in basis points of the input.
    uint256 internal constant FEE_DENOMINATOR = 10_000;

    /// @notice Output for `amountIn`, rounded down (in the pool's favour).
    /// @dev out = in·(D−f)·rOut / (rIn·D + in·(D−f)). Overflows (reverts) only for inputs beyond 2^128 with
    /// 112-bit reserves; callers pass pool reserves.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut, uint256 fee)
        internal
        pure
        returns (uint256)
    {
        uint256 amountInWithFee = amountIn * (FEE_DENOMINATOR - fee);
        return (amountInWithFee * reserveOut) / (reserveIn * FEE_DENOMINATOR + amountInWithFee);
    }

    /// @notice Input needed for `amountOut`, rounded up (in the pool's favour).
    /// @dev in = rIn·out·D / ((rOut − out)·(D−f)) + 1. Requires amountOut < reserveOut (else division by zero
    /// or underflow reverts).
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut, uint256 fee)
        internal
        pure
        returns (uint256)
    {
        return (reserveIn * amountOut * FEE_DENOMINATOR) / ((reserveOut - amountOut) * (FEE_DENOMINATOR - fee)) + 1;
    }

    /// @notice `amountA` of one token at the pool's ratio, in the other, rounded down.
    function quote(uint256 amountA, uint256 reserveA, uint256 reserveB) internal pure returns (uint256) {
        return (amountA * reserveB) / reserveA;
    }
}
