// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {IPool} from "./interfaces/IPool.sol";
import {IPoolFactory} from "./interfaces/IPoolFactory.sol";
import {IRouter} from "./interfaces/IRouter.sol";
import {PoolAddress} from "./libraries/PoolAddress.sol";
import {PoolMath} from "./libraries/PoolMath.sol";

/// @title Router
/// @notice The entry point for people: swaps along paths and liquidity changes with deadlines, slippage bounds
/// and permits. It holds no tokens between calls: users' tokens move straight into pools.
contract Router is IRouter {
    using SafeTransferLib for address;

    address public immutable factory;
    bytes32 internal immutable POOL_INIT_CODE_HASH;

    constructor(address factory_) {
        factory = factory_;
        POOL_INIT_CODE_HASH = IPoolFactory(factory_).POOL_INIT_CODE_HASH();
    }

    modifier ensure(uint256 deadline) {
        if (block.timestamp > deadline) revert DeadlineExpired(deadline, block.timestamp);
        _;
    }

    /// @inheritdoc IRouter
    function poolFor(address tokenA, address tokenB) public view returns (address) {
        return PoolAddress.compute(factory, POOL_INIT_CODE_HASH, tokenA, tokenB);
    }

    // ---------------------------------------------------------------- quotes

    /// @inheritdoc IRouter
    function getAmountsOut(uint256 amountIn, address[] calldata path) public view returns (uint256[] memory amounts) {
        if (path.length < 2) revert InvalidPath(path.length);
        amounts = new uint256[](path.length);
        amounts[0] = amountIn;
        for (uint256 i; i < path.length - 1; ++i) {
            (uint256 reserveIn, uint256 reserveOut, uint256 fee) = _reserves(path[i], path[i + 1]);
            amounts[i + 1] = PoolMath.getAmountOut(amounts[i], reserveIn, reserveOut, fee);
        }
    }

    /// @inheritdoc IRouter
    function getAmountsIn(uint256 amountOut, address[] calldata path) public view returns (uint256[] memory amounts) {
        if (path.length < 2) revert InvalidPath(path.length);
        amounts = new uint256[](path.length);
        amounts[path.length - 1] = amountOut;
        for (uint256 i = path.length - 1; i > 0; --i) {
            (uint256 reserveIn, uint256 reserveOut, uint256 fee) = _reserves(path[i - 1], path[i]);
            if (amounts[i] >= reserveOut) revert IPool.InsufficientLiquidity(amounts[i], reserveOut);
            amounts[i - 1] = PoolMath.getAmountIn(amounts[i], reserveIn, reserveOut, fee);
        }
    }

    // ---------------------------------------------------------------- swaps

    /// @inheritdoc IRouter
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountOut) {
        if (path.length < 2) revert InvalidPath(path.length);
        address pool = poolFor(path[0], path[1]);
        path[0].safeTransferFrom(msg.sender, pool, amountIn);
        // Each pool prices what arrived and pays the next pool (or `to`) directly: no quote round trip.
        for (uint256 i; i < path.length - 1; ++i) {
            // A missing pool would otherwise fail without a reason (tokens sent to it revert with the call).
            if (pool.code.length == 0) revert PoolNotFound(path[i], path[i + 1]);
            address next = i < path.length - 2 ? poolFor(path[i + 1], path[i + 2]) : to;
            amountOut = IPool(pool).swapExactIn(path[i] < path[i + 1], next);
            pool = next;
        }
        if (amountOut < amountOutMin) revert InsufficientOutputAmount(amountOut, amountOutMin);
    }

    /// @inheritdoc IRouter
    function swapTokensForExactTokens(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountIn) {
        uint256[] memory amounts = getAmountsIn(amountOut, path);
        amountIn = amounts[0];
        if (amountIn > amountInMax) revert ExcessiveInputAmount(amountIn, amountInMax);
        address pool = poolFor(path[0], path[1]);
        path[0].safeTransferFrom(msg.sender, pool, amountIn);
        for (uint256 i; i < path.length - 1; ++i) {
            address next = i < path.length - 2 ? poolFor(path[i + 1], path[i + 2]) : to;
            IPool(pool).swap(path[i] < path[i + 1], amounts[i + 1], next);
            pool = next;
        }
    }

    /// @inheritdoc IRouter
    function swapExactTokensForTokensWithPermit(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline,
        PermitSignature calldata permit
    ) external returns (uint256) {
        _permit(path[0], amountIn, permit);
        return swapExactTokensForTokens(amountIn, amountOutMin, path, to, deadline);
    }

    /// @inheritdoc IRouter
    function swapTokensForExactTokensWithPermit(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline,
        PermitSignature calldata permit
    ) external returns (uint256) {
        _permit(path[0], amountInMax, permit);
        return swapTokensForExactTokens(amountOut, amountInMax, path, to, deadline);
    }

    // ---------------------------------------------------------------- liquidity

    /// @inheritdoc IRouter
    function addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountA, uint256 amountB, uint256 liquidity) {
        address pool = poolFor(tokenA, tokenB);
        if (pool.code.length == 0) IPoolFactory(factory).createPool(tokenA, tokenB);
        (amountA, amountB) =
            _liquidityAmounts(pool, tokenA, tokenB, amountADesired, amountBDesired, amountAMin, amountBMin);
        tokenA.safeTransferFrom(msg.sender, pool, amountA);
        tokenB.safeTransferFrom(msg.sender, pool, amountB);
        liquidity = IPool(pool).mint(to);
    }

    /// @inheritdoc IRouter
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
    ) external returns (uint256, uint256, uint256) {
        _permit(tokenA, amountADesired, permitA);
        _permit(tokenB, amountBDesired, permitB);
        return addLiquidity(tokenA, tokenB, amountADesired, amountBDesired, amountAMin, amountBMin, to, deadline);
    }

    /// @inheritdoc IRouter
    function removeLiquidity(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountA, uint256 amountB) {
        address pool = poolFor(tokenA, tokenB);
        if (pool.code.length == 0) revert PoolNotFound(tokenA, tokenB);
        (uint256 amount0, uint256 amount1) = IPool(pool).burn(msg.sender, liquidity, to);
        (amountA, amountB) = tokenA < tokenB ? (amount0, amount1) : (amount1, amount0);
        if (amountA < amountAMin) revert InsufficientAmount(tokenA, amountA, amountAMin);
        if (amountB < amountBMin) revert InsufficientAmount(tokenB, amountB, amountBMin);
    }

    /// @inheritdoc IRouter
    function removeLiquidityWithPermit(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline,
        PermitSignature calldata permit
    ) external returns (uint256, uint256) {
        _permit(poolFor(tokenA, tokenB), liquidity, permit);
        return removeLiquidity(tokenA, tokenB, liquidity, amountAMin, amountBMin, to, deadline);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Reserves of the pair's pool in (tokenIn, tokenOut) order, and its fee.
    function _reserves(address tokenIn, address tokenOut)
        private
        view
        returns (uint256 reserveIn, uint256 reserveOut, uint256 fee)
    {
        address pool = poolFor(tokenIn, tokenOut);
        if (pool.code.length == 0) revert PoolNotFound(tokenIn, tokenOut);
        (uint112 r0, uint112 r1,) = IPool(pool).getReserves();
        (reserveIn, reserveOut) = tokenIn < tokenOut ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        fee = IPool(pool).fee();
    }

    /// @dev The amounts to deposit: all of one side and the matching part of the other, within the minimums.
    function _liquidityAmounts(
        address pool,
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin
    ) private view returns (uint256 amountA, uint256 amountB) {
        (uint112 r0, uint112 r1,) = IPool(pool).getReserves();
        (uint256 reserveA, uint256 reserveB) = tokenA < tokenB ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        if (reserveA == 0 && reserveB == 0) return (amountADesired, amountBDesired);
        uint256 amountBOptimal = PoolMath.quote(amountADesired, reserveA, reserveB);
        if (amountBOptimal <= amountBDesired) {
            if (amountBOptimal < amountBMin) revert InsufficientAmount(tokenB, amountBOptimal, amountBMin);
            return (amountADesired, amountBOptimal);
        }
        uint256 amountAOptimal = PoolMath.quote(amountBDesired, reserveB, reserveA);
        // amountAOptimal ≤ amountADesired here, since amountBOptimal > amountBDesired.
        if (amountAOptimal < amountAMin) revert InsufficientAmount(tokenA, amountAOptimal, amountAMin);
        return (amountAOptimal, amountBDesired);
    }

    /// @dev Applies a permit, tolerating one already used by a front-runner if the allowance is in place:
    /// a permit in the mempool can be submitted by anyone, which must not make this call fail.
    function _permit(address token, uint256 needed, PermitSignature calldata p) private {
        try IERC20Permit(token).permit(msg.sender, address(this), p.value, p.deadline, p.v, p.r, p.s) {}
        catch {
            uint256 allowance = IERC20(token).allowance(msg.sender, address(this));
            if (allowance < needed) revert PermitFailed(token, allowance, needed);
        }
    }
}
