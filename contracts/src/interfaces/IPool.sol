// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IPool
/// @notice A constant-product (x·y = k) pool of two tokens with a swap fee taken on input. Its LP shares are
/// the pool contract itself (an ERC-20 with permit). Callers move tokens in first and then call `mint`, `burn`
/// or `swap`, which account by balance deltas; the router does this in one transaction.
interface IPool is IERC20 {
    /// @notice A call re-entered the pool while it was in the middle of another.
    error PoolLocked();
    /// @notice A deposit of `amount0` and `amount1` is too small to mint a single LP share.
    error InsufficientLiquidityMinted(uint256 amount0, uint256 amount1);
    /// @notice Burning the pool's LP balance would pay out nothing of one token.
    error InsufficientLiquidityBurned(uint256 amount0, uint256 amount1);
    /// @notice A swap asked for no output.
    error InsufficientOutputAmount();
    /// @notice No input arrived before `swap` was called.
    error InsufficientInputAmount();
    /// @notice A swap asked for `amountOut`, which the pool's `reserveOut` cannot pay.
    error InsufficientLiquidity(uint256 amountOut, uint256 reserveOut);
    /// @notice The input that arrived (`amountIn`) does not pay for `amountOut` at the pool's price and fee.
    error InsufficientInputForOutput(uint256 amountIn, uint256 amountOut);
    /// @notice Tokens cannot be sent to one of the pool's own tokens.
    error InvalidRecipient(address to);
    /// @notice A balance exceeds what a reserve can hold (2^112 − 1).
    error ReserveOverflow(uint256 balance0, uint256 balance1);

    /// @notice `sender` added `amount0` and `amount1` and `to` received `liquidity` shares; reserves after.
    event Mint(
        address indexed sender,
        address indexed to,
        uint256 amount0,
        uint256 amount1,
        uint256 liquidity,
        uint112 reserve0,
        uint112 reserve1
    );
    /// @notice `sender` burned `liquidity` shares and `to` received `amount0` and `amount1`; reserves after.
    event Burn(
        address indexed sender,
        address indexed to,
        uint256 amount0,
        uint256 amount1,
        uint256 liquidity,
        uint112 reserve0,
        uint112 reserve1
    );
    /// @notice `amountIn` of one token bought `amountOut` of the other (token0 in when `zeroForOne`),
    /// sent to `to`; `fee` of the input stayed with LPs; reserves after.
    event Swap(
        address indexed sender,
        address indexed to,
        bool zeroForOne,
        uint256 amountIn,
        uint256 amountOut,
        uint256 fee,
        uint112 reserve0,
        uint112 reserve1
    );
    /// @notice Reserves were set to the pool's balances by `sync`.
    event Sync(uint112 reserve0, uint112 reserve1);

    function factory() external view returns (address);
    function token0() external view returns (address);
    function token1() external view returns (address);

    /// @notice The swap fee in basis points of the input, fixed at creation.
    function fee() external view returns (uint256);

    /// @notice Shares locked forever at the first mint, so share price cannot be inflated from nothing.
    function MINIMUM_LIQUIDITY() external view returns (uint256);

    /// @notice Reserves and the time (mod 2^32) they last changed.
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);

    /// @notice Σ price × seconds since creation, each price a UQ64.64 of the other token per unit of this one,
    /// wrapping mod 2^128. The difference of two readings divided by the seconds between them is the TWAP.
    function cumulativePrices()
        external
        view
        returns (uint128 price0Cumulative, uint128 price1Cumulative, uint32 timestamp);

    /// @notice reserve0 · reserve1 after the last mint or burn while the protocol fee was on; 0 when off.
    function kLast() external view returns (uint256);

    /// @notice Mints LP shares to `to` for the tokens sent in since the last update.
    /// @dev Requirements: the deposit mints at least one share.
    function mint(address to) external returns (uint256 liquidity);

    /// @notice Burns `liquidity` of `from`'s LP shares and sends their part of the reserves to `to`.
    /// @dev Requirements: the caller is `from` or has its allowance; `from` holds `liquidity`; the shares are
    /// worth at least one unit of each token.
    function burn(address from, uint256 liquidity, address to) external returns (uint256 amount0, uint256 amount1);

    /// @notice Sends `amountOut` of token1 (if `zeroForOne`) or token0 to `to`, paid by the input token sent in
    /// since the last update.
    /// @dev Requirements: 0 < amountOut < reserveOut; (balanceIn − fee on input) · (reserveOut − amountOut) ≥ k.
    function swap(bool zeroForOne, uint256 amountOut, address to) external;

    /// @notice Sends `to` everything the input token sent in since the last update buys (token0 in when
    /// `zeroForOne`), at the pool's price and fee: the cheapest exact-input path, with no quote needed first.
    /// @dev Requirements: the input buys at least one unit.
    function swapExactIn(bool zeroForOne, address to) external returns (uint256 amountOut);

    /// @notice Sends `to` whatever the pool holds beyond its reserves.
    function skim(address to) external;

    /// @notice Sets the reserves to the pool's balances.
    function sync() external;
}
