// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {IPool} from "../src/interfaces/IPool.sol";
import {Pool} from "../src/Pool.sol";
import {PoolMath} from "../src/libraries/PoolMath.sol";
import {AmmFixture} from "./utils/AmmFixture.sol";
import {ReentrantERC20} from "./utils/MockERC20.sol";

contract PoolTest is AmmFixture {
    address internal token0;
    address internal token1;
    /// @dev Receives pool outputs; starts with nothing.
    address internal recv = makeAddr("recv");

    function setUp() public override {
        super.setUp();
        (token0, token1) = (pool.token0(), pool.token1());
    }

    /// @dev Sends `amount` of `token` from alice straight to the pool, as the router does.
    function send(address token, uint256 amount) internal {
        vm.prank(alice);
        IERC20(token).transfer(address(pool), amount);
    }

    // ------------------------------------------------------------------ mint

    function test_mint_firstDepositLocksMinimumLiquidity() public {
        send(address(scu), 4e18);
        send(address(usdc), 9e6);
        uint256 liquidity = pool.mint(alice);
        uint256 root = FixedPointMathLib.sqrt(4e18 * 9e6);
        assertEq(liquidity, root - 1_000);
        assertEq(pool.balanceOf(0x000000000000000000000000000000000000dEaD), 1_000);
        assertEq(pool.totalSupply(), root);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        assertEq(uint256(r0) + r1, 4e18 + 9e6);
    }

    function test_mint_revertsWhenFirstDepositTooSmall() public {
        send(address(scu), 1_000);
        send(address(usdc), 1_000);
        vm.expectRevert(abi.encodeWithSelector(IPool.InsufficientLiquidityMinted.selector, 1_000, 1_000));
        pool.mint(alice);
    }

    function test_mint_proportionalToSmallerSide() public {
        seedPool();
        uint256 supply = pool.totalSupply();
        send(address(scu), SEED_SCU / 10);
        send(address(usdc), SEED_USDC / 5); // twice as much USDC as the ratio wants
        uint256 liquidity = pool.mint(recv);
        assertEq(liquidity, supply / 10);
        assertEq(pool.balanceOf(recv), supply / 10);
    }

    function testFuzz_mint_mintsProRataOfTheSmallerSide(uint256 amountScu, uint256 amountUsdc) public {
        seedPool();
        amountScu = bound(amountScu, 1e9, 10_000_000e18);
        amountUsdc = bound(amountUsdc, 1, 10_000_000e6);
        uint256 supply = pool.totalSupply();
        uint256 expected = FixedPointMathLib.min(amountScu * supply / SEED_SCU, amountUsdc * supply / SEED_USDC);
        send(address(scu), amountScu);
        send(address(usdc), amountUsdc);
        if (expected == 0) {
            (uint256 a0, uint256 a1) = token0 == address(scu) ? (amountScu, amountUsdc) : (amountUsdc, amountScu);
            vm.expectRevert(abi.encodeWithSelector(IPool.InsufficientLiquidityMinted.selector, a0, a1));
            pool.mint(recv);
        } else {
            assertEq(pool.mint(recv), expected);
            assertEq(pool.balanceOf(recv), expected);
        }
    }

    function test_mint_revertsWhenNothingSent() public {
        seedPool();
        vm.expectRevert(abi.encodeWithSelector(IPool.InsufficientLiquidityMinted.selector, 0, 0));
        pool.mint(alice);
    }

    function test_mint_emitsAmountsAndReserves() public {
        send(address(scu), 4e18);
        send(address(usdc), 9e6);
        (uint256 a0, uint256 a1) =
            token0 == address(scu) ? (uint256(4e18), uint256(9e6)) : (uint256(9e6), uint256(4e18));
        vm.expectEmit(address(pool));
        emit IPool.Mint(
            address(this), alice, a0, a1, FixedPointMathLib.sqrt(4e18 * 9e6) - 1_000, uint112(a0), uint112(a1)
        );
        pool.mint(alice);
    }

    // ------------------------------------------------------------------ burn

    function test_burn_paysProRata() public {
        uint256 liquidity = seedPool();
        uint256 supply = pool.totalSupply();
        vm.prank(alice);
        (uint256 amount0, uint256 amount1) = pool.burn(alice, liquidity / 2, recv);
        (uint256 seed0, uint256 seed1) = token0 == address(scu) ? (SEED_SCU, SEED_USDC) : (SEED_USDC, SEED_SCU);
        assertEq(amount0, (liquidity / 2) * seed0 / supply);
        assertEq(amount1, (liquidity / 2) * seed1 / supply);
        assertEq(IERC20(token0).balanceOf(recv), amount0);
        assertEq(IERC20(token1).balanceOf(recv), amount1);
        assertEq(pool.totalSupply(), supply - liquidity / 2);
    }

    function testFuzz_burn_paysProRataOfReserves(uint256 shares) public {
        uint256 liquidity = seedPool();
        shares = bound(shares, 1, liquidity);
        uint256 supply = pool.totalSupply();
        uint256 expectedScu = shares * SEED_SCU / supply;
        uint256 expectedUsdc = shares * SEED_USDC / supply;
        vm.prank(alice);
        if (expectedScu == 0 || expectedUsdc == 0) {
            vm.expectRevert();
            pool.burn(alice, shares, recv);
            return;
        }
        pool.burn(alice, shares, recv);
        assertEq(scu.balanceOf(recv), expectedScu);
        assertEq(usdc.balanceOf(recv), expectedUsdc);
        assertEq(pool.totalSupply(), supply - shares);
        (uint256 rScu, uint256 rUsdc) = reservesOf(pool, address(scu));
        assertEq(rScu, SEED_SCU - expectedScu);
        assertEq(rUsdc, SEED_USDC - expectedUsdc);
    }

    function test_burn_leavesAnUnsyncedDonationForSkim() public {
        uint256 liquidity = seedPool();
        send(address(usdc), 7e6);
        vm.prank(alice);
        pool.burn(alice, liquidity, recv);
        pool.skim(bob);
        assertEq(usdc.balanceOf(bob) - 100_000_000e6, 7e6);
    }

    function test_burn_revertsWhenSharesAreWorthNothing() public {
        seedPool();
        vm.expectRevert(abi.encodeWithSelector(IPool.InsufficientLiquidityBurned.selector, 0, 0));
        vm.prank(alice);
        pool.burn(alice, 0, recv);
    }

    function test_burn_revertsOverBalance() public {
        seedPool();
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, 1e12));
        vm.prank(bob);
        pool.burn(bob, 1e12, recv);
    }

    function test_burn_fromAnotherNeedsAllowance() public {
        uint256 liquidity = seedPool();
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 0, liquidity));
        vm.prank(bob);
        pool.burn(alice, liquidity, bob);

        vm.prank(alice);
        pool.approve(bob, liquidity);
        vm.prank(bob);
        pool.burn(alice, liquidity, recv);
        assertEq(pool.balanceOf(alice), 0);
        assertEq(pool.allowance(alice, bob), 0);
    }

    // ------------------------------------------------------------------ swap (exact out)

    function test_swap_paysExactOutputForEnoughInput() public {
        seedPool();
        bool zeroForOne = token0 == address(usdc); // USDC in
        (uint256 rIn, uint256 rOut) = reservesOf(pool, address(usdc));
        uint256 amountOut = 1_000e18;
        uint256 amountIn = PoolMath.getAmountIn(amountOut, rIn, rOut, 30);
        send(address(usdc), amountIn);
        pool.swap(zeroForOne, amountOut, recv);
        assertEq(scu.balanceOf(recv), amountOut);
        (uint256 rIn2, uint256 rOut2) = reservesOf(pool, address(usdc));
        assertEq(rIn2, rIn + amountIn);
        assertEq(rOut2, rOut - amountOut);
    }

    function test_swap_revertsAtOneUnitShortOfInput() public {
        seedPool();
        bool zeroForOne = token0 == address(usdc);
        (uint256 rIn, uint256 rOut) = reservesOf(pool, address(usdc));
        uint256 amountOut = 1_000e18;
        uint256 amountIn = PoolMath.getAmountIn(amountOut, rIn, rOut, 30);
        send(address(usdc), amountIn - 1);
        vm.expectRevert(abi.encodeWithSelector(IPool.InsufficientInputForOutput.selector, amountIn - 1, amountOut));
        pool.swap(zeroForOne, amountOut, recv);
    }

    function testFuzz_swap_exactOutputBoundary(uint256 amountOut, bool usdcIn) public {
        seedPool();
        address tokenIn = usdcIn ? address(usdc) : address(scu);
        (uint256 rIn, uint256 rOut) = reservesOf(pool, tokenIn);
        amountOut = bound(amountOut, 1, rOut / 2);
        uint256 amountIn = PoolMath.getAmountIn(amountOut, rIn, rOut, 30);
        bool zeroForOne = tokenIn == token0;
        // One unit short of the quoted input fails (unless rounding up made the quote one unit generous)...
        send(tokenIn, amountIn - 1);
        uint256 k = rIn * rOut;
        try pool.swap(zeroForOne, amountOut, recv) {
            (uint256 a, uint256 b) = reservesOf(pool, tokenIn);
            assertGe(a * b, k, "k fell");
        } catch (bytes memory reason) {
            // (With a quote of a single unit, one short is no input at all.)
            bytes4 expected =
                amountIn == 1 ? IPool.InsufficientInputAmount.selector : IPool.InsufficientInputForOutput.selector;
            assertEq(bytes4(reason), expected);
            // ...and the full quoted input always succeeds.
            send(tokenIn, 1);
            pool.swap(zeroForOne, amountOut, recv);
        }
        assertEq(IERC20(usdcIn ? address(scu) : address(usdc)).balanceOf(recv), amountOut);
    }

    function test_swap_revertsOnZeroOutput() public {
        seedPool();
        vm.expectRevert(IPool.InsufficientOutputAmount.selector);
        pool.swap(true, 0, recv);
    }

    function test_swap_revertsWhenOutputDrainsReserve() public {
        seedPool();
        send(token0, 1e6);
        (, uint256 rOut) = reservesOf(pool, token0);
        vm.expectRevert(abi.encodeWithSelector(IPool.InsufficientLiquidity.selector, rOut, rOut));
        pool.swap(true, rOut, recv);
    }

    function test_swap_revertsWithoutInput() public {
        seedPool();
        vm.expectRevert(IPool.InsufficientInputAmount.selector);
        pool.swap(true, 1, recv);
    }

    function test_swap_revertsWhenPayingAToken() public {
        seedPool();
        send(token0, token0 == address(scu) ? 1e20 : 1e9);
        vm.expectRevert(abi.encodeWithSelector(IPool.InvalidRecipient.selector, token1));
        pool.swap(true, 1, token1);
    }

    // ------------------------------------------------------------------ swapExactIn

    function testFuzz_swapExactIn_paysGetAmountOut(uint256 amountIn, bool usdcIn) public {
        seedPool();
        address tokenIn = usdcIn ? address(usdc) : address(scu);
        amountIn = bound(amountIn, usdcIn ? 1e3 : 1e15, usdcIn ? 10_000_000e6 : 10_000_000e18);
        (uint256 rIn, uint256 rOut) = reservesOf(pool, tokenIn);
        uint256 expected = PoolMath.getAmountOut(amountIn, rIn, rOut, 30);
        send(tokenIn, amountIn);
        uint256 kBefore = rIn * rOut;
        uint256 amountOut = pool.swapExactIn(tokenIn == token0, recv);
        assertEq(amountOut, expected);
        (uint256 rIn2, uint256 rOut2) = reservesOf(pool, tokenIn);
        assertGe(rIn2 * rOut2, kBefore, "k fell");
    }

    function test_swapExactIn_emitsFeeAndReserves() public {
        seedPool();
        (uint256 rIn, uint256 rOut) = reservesOf(pool, address(usdc));
        uint256 amountIn = 1_000e6;
        uint256 out = PoolMath.getAmountOut(amountIn, rIn, rOut, 30);
        send(address(usdc), amountIn);
        bool zeroForOne = token0 == address(usdc);
        (uint112 e0, uint112 e1) =
            zeroForOne ? (uint112(rIn + amountIn), uint112(rOut - out)) : (uint112(rOut - out), uint112(rIn + amountIn));
        vm.expectEmit(address(pool));
        emit IPool.Swap(address(this), recv, zeroForOne, amountIn, out, 3e6, e0, e1);
        pool.swapExactIn(zeroForOne, recv);
    }

    function test_swapExactIn_revertsWhenInputBuysNothing() public {
        seedPool();
        send(address(scu), 1); // 1 wei of SCU is worth far less than 1 unit of USDC
        vm.expectRevert(IPool.InsufficientOutputAmount.selector);
        pool.swapExactIn(token0 == address(scu), recv);
    }

    // ------------------------------------------------------------------ skim, sync

    function testFuzz_skimAndSync_accountForDonations(uint256 donation, bool thenSync) public {
        seedPool();
        donation = bound(donation, 1, 1_000_000e6);
        send(address(usdc), donation);
        if (thenSync) {
            pool.sync();
            (, uint256 rUsdc) = reservesOf(pool, address(scu));
            assertEq(rUsdc, SEED_USDC + donation);
            pool.skim(recv);
            assertEq(usdc.balanceOf(recv), 0, "nothing left to skim after a sync");
        } else {
            pool.skim(recv);
            assertEq(usdc.balanceOf(recv), donation);
            (, uint256 rUsdc) = reservesOf(pool, address(scu));
            assertEq(rUsdc, SEED_USDC);
        }
    }

    function test_skim_sendsOnlyTheExcess() public {
        seedPool();
        send(address(usdc), 5e6);
        pool.skim(recv);
        assertEq(usdc.balanceOf(recv), 5e6);
        assertEq(scu.balanceOf(recv), 0);
    }

    function test_sync_setsReservesToBalances() public {
        seedPool();
        send(address(usdc), 5e6);
        vm.expectEmit(address(pool));
        (uint112 e0, uint112 e1) = token0 == address(usdc)
            ? (uint112(SEED_USDC + 5e6), uint112(SEED_SCU))
            : (uint112(SEED_SCU), uint112(SEED_USDC + 5e6));
        emit IPool.Sync(e0, e1);
        pool.sync();
        (uint112 r0, uint112 r1,) = pool.getReserves();
        assertEq(r0, e0);
        assertEq(r1, e1);
    }

    // ------------------------------------------------------------------ TWAP

    function test_cumulativePrices_giveTheTimeWeightedPrice() public {
        seedPool();
        (uint128 c0Start,, uint32 tStart) = pool.cumulativePrices();
        // 1 hour at the seeded price, then 3 hours at a price the swap sets.
        vm.warp(vm.getBlockTimestamp() + 1 hours);
        send(address(usdc), 200_000e6);
        pool.swapExactIn(token0 == address(usdc), recv);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        vm.warp(vm.getBlockTimestamp() + 3 hours);
        (uint128 c0End,, uint32 tEnd) = pool.cumulativePrices();

        (uint256 s0, uint256 s1) = token0 == address(scu) ? (SEED_SCU, SEED_USDC) : (SEED_USDC, SEED_SCU);
        uint256 expected = ((s1 << 64) * 1 hours / s0 + (uint256(r1) << 64) * 3 hours / r0) / 4 hours;
        unchecked {
            assertEq(uint256(c0End - c0Start) / (tEnd - tStart), expected);
        }
    }

    function test_cumulativePrices_advanceOncePerBlock() public {
        seedPool();
        vm.warp(vm.getBlockTimestamp() + 10);
        send(address(usdc), 1e6);
        pool.swapExactIn(token0 == address(usdc), recv);
        (uint128 a0, uint128 a1,) = pool.cumulativePrices();
        // A second swap in the same second adds nothing: the accumulators weight prices by time.
        send(address(usdc), 1e6);
        pool.swapExactIn(token0 == address(usdc), recv);
        (uint128 b0, uint128 b1,) = pool.cumulativePrices();
        assertEq(a0, b0);
        assertEq(a1, b1);
    }

    // ------------------------------------------------------------------ protocol fee

    function test_protocolFee_offMintsNothing() public {
        seedPool();
        _churn();
        uint256 supply = pool.totalSupply();
        vm.prank(alice);
        router.addLiquidity(address(scu), address(usdc), 1e18, 2e6, 0, 0, alice, block.timestamp);
        assertEq(pool.kLast(), 0);
        assertLt(pool.totalSupply() - supply, 2e12);
    }

    function test_protocolFee_onMintsItsShareOfFeeGrowth() public {
        address treasury = makeAddr("treasury");
        vm.prank(owner);
        factory.setProtocolFee(treasury, 2_500);
        seedPool();
        (uint112 r0, uint112 r1,) = pool.getReserves();
        assertEq(pool.kLast(), uint256(r0) * r1);
        _churn();
        (r0, r1,) = pool.getReserves();
        uint256 rootK = FixedPointMathLib.sqrt(uint256(r0) * r1);
        uint256 rootKLast = FixedPointMathLib.sqrt(pool.kLast());
        uint256 supply = pool.totalSupply();
        uint256 expected = supply * 2_500 * (rootK - rootKLast) / (rootK * 7_500 + rootKLast * 2_500);
        assertGt(expected, 0);

        uint256 liquidity = pool.balanceOf(alice);
        vm.prank(alice);
        router.removeLiquidity(address(scu), address(usdc), liquidity / 2, 0, 0, alice, block.timestamp);
        assertEq(pool.balanceOf(treasury), expected);
    }

    /// @dev Trades back and forth so fees accrue.
    function _churn() internal {
        for (uint256 i; i < 5; ++i) {
            vm.startPrank(bob);
            router.swapExactTokensForTokens(100_000e6, 0, path(address(usdc), address(scu)), bob, block.timestamp);
            router.swapExactTokensForTokens(70_000e18, 0, path(address(scu), address(usdc)), bob, block.timestamp);
            vm.stopPrank();
        }
    }

    // ------------------------------------------------------------------ reentrancy

    function test_swap_cannotBeReenteredByTheOutputToken() public {
        ReentrantERC20 evil = new ReentrantERC20();
        Pool evilPool = Pool(factory.createPool(address(evil), address(usdc)));
        evil.mint(address(evilPool), 1_000e18);
        usdc.mint(address(evilPool), 1_000e6);
        evilPool.mint(alice);

        usdc.mint(address(evilPool), 10e6);
        bool zeroForOne = evilPool.token0() == address(usdc);
        // When the pool pays out the evil token, it tries to swap again inside the transfer.
        evil.arm(address(evilPool), abi.encodeCall(IPool.swapExactIn, (zeroForOne, recv)));
        evilPool.swapExactIn(zeroForOne, recv);
        assertEq(evil.lastRevert(), abi.encodeWithSelector(IPool.PoolLocked.selector));
    }

    function test_burn_cannotBeReenteredToMintOrSync() public {
        ReentrantERC20 evil = new ReentrantERC20();
        Pool evilPool = Pool(factory.createPool(address(evil), address(usdc)));
        evil.mint(address(evilPool), 1_000e18);
        usdc.mint(address(evilPool), 1_000e6);
        uint256 liquidity = evilPool.mint(address(this));
        evil.arm(address(evilPool), abi.encodeCall(IPool.sync, ()));
        evilPool.burn(address(this), liquidity, address(this));
        assertEq(evil.lastRevert(), abi.encodeWithSelector(IPool.PoolLocked.selector));
    }
}
