// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IRouter
/// @notice Swaps along paths of pools and adds or removes liquidity, each with a deadline and slippage bounds,
/// and each with an EIP-2612 permit variant so no separate approval transaction is needed.
interface IRouter {
    /// @notice An EIP-2612 permit for the router, signed by the caller.
    struct PermitSignature {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The call landed at `timestamp`, after its `deadline`.
    error DeadlineExpired(uint256 deadline, uint256 timestamp);
    /// @notice A path needs at least two tokens.
    error InvalidPath(uint256 length);
    /// @notice No pool exists for the pair.
    error PoolNotFound(address tokenA, address tokenB);
    /// @notice The swap would pay `amountOut`, less than the caller's minimum.
    error InsufficientOutputAmount(uint256 amountOut, uint256 amountOutMin);
    /// @notice The swap would cost `amountIn`, more than the caller's maximum.
    error ExcessiveInputAmount(uint256 amountIn, uint256 amountInMax);
    /// @notice Adding or removing liquidity would move `amount` of `token`, less than the caller's minimum.
    error InsufficientAmount(address token, uint256 amount, uint256 amountMin);
    /// @notice The permit neither took effect nor had been used already (allowance `allowance` < `needed`).
    error PermitFailed(address token, uint256 allowance, uint256 needed);

    function factory() external view returns (address);

    /// @notice The pool for a pair, computed (it may not exist yet).
    function poolFor(address tokenA, address tokenB) external view returns (address);

    /// @notice Amounts along `path` for an exact input (amounts[0] = amountIn).
    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);

    /// @notice Amounts along `path` for an exact output (last = amountOut).
    function getAmountsIn(uint256 amountOut, address[] calldata path) external view returns (uint256[] memory amounts);

    /// @notice Swaps exactly `amountIn` of path[0] for at least `amountOutMin` of the last token.
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256 amountOut);

    /// @notice Swaps at most `amountInMax` of path[0] for exactly `amountOut` of the last token.
    function swapTokensForExactTokens(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256 amountIn);

    function swapExactTokensForTokensWithPermit(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline,
        PermitSignature calldata permit
    ) external returns (uint256 amountOut);

    function swapTokensForExactTokensWithPermit(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline,
        PermitSignature calldata permit
    ) external returns (uint256 amountIn);

    /// @notice Adds liquidity at the pool's ratio (creating the pool if needed), within the minimums.
    function addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);

    /// @notice As `addLiquidity`, approving both tokens by permit first.
    function addLiquidityWithPermit(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline,
        PermitSignature calldata permitA,
        PermitSignature calldata permitB
    ) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);

    /// @notice Burns `liquidity` LP shares of the pair's pool for at least the minimums of each token.
    function removeLiquidity(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountA, uint256 amountB);

    /// @notice As `removeLiquidity`, approving the LP shares by permit first.
    function removeLiquidityWithPermit(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline,
        PermitSignature calldata permit
    ) external returns (uint256 amountA, uint256 amountB);
}
