// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {IPool} from "./interfaces/IPool.sol";
import {IPoolFactory} from "./interfaces/IPoolFactory.sol";
import {PoolMath} from "./libraries/PoolMath.sol";

/// @title Pool
/// @notice A constant-product pool with LP shares as an ERC-20 with permit. Compared with Uniswap v2 it keeps
/// tokens, factory and fee as immutables, locks with transient storage, packs both price accumulators in one
/// slot, reads only the input token's balance on a swap, and puts reserves in the Mint/Burn/Swap events
/// instead of a separate Sync event.
contract Pool is IPool, ERC20Permit {
    using SafeTransferLib for address;

    /// @inheritdoc IPool
    /// @dev 1,000 units of √(amount0·amount1). Whoever inflates share price by donating loses the
    /// locked shares' part of the donation (≥ 1000/1001 of it when they hold one share), far more than the
    /// rounding they can take from a later depositor (< one share). For SCU (18 decimals) against USDC
    /// (6 decimals) one unit is √(1e-18 SCU · 1e-6 USDC), so the first depositor gives up about 1e-9 of a
    /// (1 SCU, 1 USDC) deposit.
    uint256 public constant MINIMUM_LIQUIDITY = 1_000;
    /// @dev Locked shares go here: OpenZeppelin's ERC20 refuses to mint to the zero address.
    address internal constant DEAD = 0x000000000000000000000000000000000000dEaD;

    address public immutable factory;
    address public immutable token0;
    address public immutable token1;
    uint256 public immutable fee;

    // One slot, as in Uniswap v2.
    uint112 private _reserve0;
    uint112 private _reserve1;
    uint32 private _blockTimestampLast;
    // One slot for both accumulators (v2 uses two).
    uint128 private _price0Cumulative;
    uint128 private _price1Cumulative;

    /// @inheritdoc IPool
    uint256 public kLast;

    /// @dev The reentrancy lock, in transient storage: about 100 gas a side instead of v2's storage writes.
    bool private transient _locked;

    constructor() ERC20("Hourglass LP", "HGLP") ERC20Permit("Hourglass LP") {
        factory = msg.sender;
        (token0, token1, fee) = IPoolFactory(msg.sender).parameters();
    }

    modifier lock() {
        if (_locked) revert PoolLocked();
        _locked = true;
        _;
        _locked = false;
    }

    /// @inheritdoc IPool
    function getReserves() public view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast) {
        return (_reserve0, _reserve1, _blockTimestampLast);
    }

    /// @inheritdoc IPool
    function cumulativePrices()
        external
        view
        returns (uint128 price0Cumulative, uint128 price1Cumulative, uint32 timestamp)
    {
        price0Cumulative = _price0Cumulative;
        price1Cumulative = _price1Cumulative;
        timestamp = uint32(block.timestamp);
        uint32 elapsed;
        unchecked {
            elapsed = timestamp - _blockTimestampLast; // mod 2^32 by design
        }
        // Counterfactual: add the time since the last update at the current price, as _update would.
        (price0Cumulative, price1Cumulative) =
            _accumulate(price0Cumulative, price1Cumulative, _reserve0, _reserve1, elapsed);
    }

    /// @inheritdoc IPool
    function mint(address to) external lock returns (uint256 liquidity) {
        (uint112 r0, uint112 r1,) = getReserves();
        uint256 balance0 = token0.balanceOf(address(this));
        uint256 balance1 = token1.balanceOf(address(this));
        uint256 amount0 = balance0 - r0;
        uint256 amount1 = balance1 - r1;

        bool feeOn = _mintProtocolFee(r0, r1);
        uint256 supply = totalSupply(); // after the protocol fee, which may mint
        if (supply == 0) {
            liquidity = FixedPointMathLib.sqrt(amount0 * amount1);
            if (liquidity <= MINIMUM_LIQUIDITY) revert InsufficientLiquidityMinted(amount0, amount1);
            unchecked {
                liquidity -= MINIMUM_LIQUIDITY; // > by the check above
            }
            _mint(DEAD, MINIMUM_LIQUIDITY);
        } else {
            liquidity = FixedPointMathLib.min(amount0 * supply / r0, amount1 * supply / r1);
            if (liquidity == 0) revert InsufficientLiquidityMinted(amount0, amount1);
        }
        _mint(to, liquidity);

        (uint112 new0, uint112 new1) = _update(balance0, balance1, r0, r1);
        if (feeOn) kLast = balance0 * balance1;
        emit Mint(msg.sender, to, amount0, amount1, liquidity, new0, new1);
    }

    /// @inheritdoc IPool
    function burn(address from, uint256 liquidity, address to)
        external
        lock
        returns (uint256 amount0, uint256 amount1)
    {
        // Burning straight from the holder (with allowance when the caller is not the holder) saves the
        // transfer into the pool that Uniswap v2 makes first, and its storage round trip.
        if (from != msg.sender) _spendAllowance(from, msg.sender, liquidity);
        (uint112 r0, uint112 r1,) = getReserves();

        bool feeOn = _mintProtocolFee(r0, r1);
        uint256 supply = totalSupply();
        // Pro rata of the reserves. Unlike Uniswap v2 (pro rata of balances) a donation not yet synced stays
        // for `sync` or `skim`, and no balance needs reading.
        amount0 = liquidity * r0 / supply;
        amount1 = liquidity * r1 / supply;
        if (amount0 == 0 || amount1 == 0) revert InsufficientLiquidityBurned(amount0, amount1);
        _burn(from, liquidity); // reverts unless liquidity ≤ from's balance ≤ supply
        token0.safeTransfer(to, amount0);
        token1.safeTransfer(to, amount1);

        uint256 balance0;
        uint256 balance1;
        unchecked {
            // amountN ≤ rN because liquidity ≤ supply (checked by _burn above).
            balance0 = r0 - amount0;
            balance1 = r1 - amount1;
        }
        (uint112 new0, uint112 new1) = _update(balance0, balance1, r0, r1);
        if (feeOn) kLast = balance0 * balance1;
        emit Burn(msg.sender, to, amount0, amount1, liquidity, new0, new1);
    }

    /// @inheritdoc IPool
    function swap(bool zeroForOne, uint256 amountOut, address to) external lock {
        if (amountOut == 0) revert InsufficientOutputAmount();
        (uint112 r0, uint112 r1,) = getReserves();
        (uint256 amountIn, uint256 reserveIn, uint256 reserveOut) = _amountIn(zeroForOne, r0, r1);
        if (amountOut >= reserveOut) revert InsufficientLiquidity(amountOut, reserveOut);
        // k may not fall once the fee on input is set aside: (balanceIn·D − amountIn·f)·(rOut − out) ≥ rIn·rOut·D.
        // Below 2^112 per balance (else _update reverts) and with D < 2^14 no product exceeds 2^240; above it
        // the multiplication reverts on overflow.
        if (
            ((reserveIn + amountIn) * PoolMath.FEE_DENOMINATOR - amountIn * fee) * (reserveOut - amountOut)
                < reserveIn * reserveOut * PoolMath.FEE_DENOMINATOR
        ) revert InsufficientInputForOutput(amountIn, amountOut);
        _settleSwap(zeroForOne, amountIn, amountOut, to, r0, r1);
    }

    /// @inheritdoc IPool
    function swapExactIn(bool zeroForOne, address to) external lock returns (uint256 amountOut) {
        (uint112 r0, uint112 r1,) = getReserves();
        (uint256 amountIn, uint256 reserveIn, uint256 reserveOut) = _amountIn(zeroForOne, r0, r1);
        // Always < reserveOut, and the k check of `swap` holds by construction (rounded down).
        amountOut = PoolMath.getAmountOut(amountIn, reserveIn, reserveOut, fee);
        if (amountOut == 0) revert InsufficientOutputAmount();
        _settleSwap(zeroForOne, amountIn, amountOut, to, r0, r1);
    }

    /// @dev The input token that arrived since the last update, and the reserves in swap order.
    function _amountIn(bool zeroForOne, uint112 r0, uint112 r1)
        private
        view
        returns (uint256 amountIn, uint256 reserveIn, uint256 reserveOut)
    {
        (reserveIn, reserveOut) = zeroForOne ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 balanceIn = (zeroForOne ? token0 : token1).balanceOf(address(this));
        if (balanceIn <= reserveIn) revert InsufficientInputAmount();
        unchecked {
            amountIn = balanceIn - reserveIn; // > 0 by the check above
        }
    }

    /// @dev Pays `amountOut` to `to`, stores the reserves after and reports the swap.
    function _settleSwap(bool zeroForOne, uint256 amountIn, uint256 amountOut, address to, uint112 r0, uint112 r1)
        private
    {
        if (to == token0 || to == token1) revert InvalidRecipient(to);
        (zeroForOne ? token1 : token0).safeTransfer(to, amountOut);
        // The output token's balance falls by exactly amountOut; only the input's needed reading.
        (uint256 balance0, uint256 balance1) =
            zeroForOne ? (r0 + amountIn, r1 - amountOut) : (r0 - amountOut, r1 + amountIn);
        (uint112 new0, uint112 new1) = _update(balance0, balance1, r0, r1);
        emit Swap(
            msg.sender, to, zeroForOne, amountIn, amountOut, amountIn * fee / PoolMath.FEE_DENOMINATOR, new0, new1
        );
    }

    /// @inheritdoc IPool
    function skim(address to) external lock {
        (uint112 r0, uint112 r1,) = getReserves();
        token0.safeTransfer(to, token0.balanceOf(address(this)) - r0);
        token1.safeTransfer(to, token1.balanceOf(address(this)) - r1);
    }

    /// @inheritdoc IPool
    function sync() external lock {
        (uint112 r0, uint112 r1,) = getReserves();
        uint256 balance0 = token0.balanceOf(address(this));
        uint256 balance1 = token1.balanceOf(address(this));
        (uint112 new0, uint112 new1) = _update(balance0, balance1, r0, r1);
        emit Sync(new0, new1);
    }

    /// @dev Stores new reserves and, on the first update in a block, advances the price accumulators with the
    /// reserves that held until now. Returns the new reserves.
    function _update(uint256 balance0, uint256 balance1, uint112 r0, uint112 r1)
        private
        returns (uint112 new0, uint112 new1)
    {
        if (balance0 > type(uint112).max || balance1 > type(uint112).max) {
            revert ReserveOverflow(balance0, balance1);
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        (new0, new1) = (uint112(balance0), uint112(balance1)); // both ≤ 2^112 − 1 by the check above
        uint32 timestamp = uint32(block.timestamp); // wraps in 2106; readers take differences mod 2^32
        unchecked {
            uint32 elapsed = timestamp - _blockTimestampLast; // mod 2^32 by design
            if (elapsed > 0) {
                (_price0Cumulative, _price1Cumulative) =
                    _accumulate(_price0Cumulative, _price1Cumulative, r0, r1, elapsed);
            }
        }
        (_reserve0, _reserve1, _blockTimestampLast) = (new0, new1, timestamp);
    }

    /// @dev Adds `elapsed` seconds at the price the reserves give (UQ64.64, other token per unit).
    function _accumulate(uint128 c0, uint128 c1, uint112 r0, uint112 r1, uint32 elapsed)
        private
        pure
        returns (uint128, uint128)
    {
        if (elapsed == 0 || r0 == 0 || r1 == 0) return (c0, c1);
        unchecked {
            // Truncating to 128 bits and adding mod 2^128 is the design: readers take differences of two
            // readings, exact while the true difference stays below 2^128 (for SCU/USDC, months of prices).
            // forge-lint: disable-start(unsafe-typecast)
            c0 += uint128((uint256(r1) << 64) * elapsed / r0);
            c1 += uint128((uint256(r0) << 64) * elapsed / r1);
            // forge-lint: disable-end(unsafe-typecast)
        }
        return (c0, c1);
    }

    /// @dev When the protocol fee is on, mints its share of the fees earned since the last mint or burn, as
    /// new LP shares: `share`/10,000 of the growth in √k. Returns whether the fee is on.
    function _mintProtocolFee(uint112 r0, uint112 r1) private returns (bool feeOn) {
        (address recipient, uint256 share) = IPoolFactory(factory).protocolFee();
        feeOn = share != 0;
        uint256 k = kLast;
        if (feeOn) {
            if (k != 0) {
                uint256 rootK = FixedPointMathLib.sqrt(uint256(r0) * r1);
                uint256 rootKLast = FixedPointMathLib.sqrt(k);
                if (rootK > rootKLast) {
                    // minted / (supply + minted) = share/D · (rootK − rootKLast) / rootK
                    uint256 numerator = totalSupply() * share * (rootK - rootKLast);
                    uint256 denominator = rootK * (PoolMath.FEE_DENOMINATOR - share) + rootKLast * share;
                    uint256 liquidity = numerator / denominator;
                    if (liquidity > 0) _mint(recipient, liquidity);
                }
            }
        } else if (k != 0) {
            kLast = 0;
        }
    }
}
