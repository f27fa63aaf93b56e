// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPool} from "../src/interfaces/IPool.sol";
import {IRouter} from "../src/interfaces/IRouter.sol";
import {Pool} from "../src/Pool.sol";
import {PoolMath} from "../src/libraries/PoolMath.sol";
import {AmmFixture} from "./utils/AmmFixture.sol";
import {MockERC20} from "./utils/MockERC20.sol";
import {PermitSigner} from "./utils/PermitSigner.sol";

contract RouterTest is AmmFixture, PermitSigner {
    MockERC20 internal gpu; // a third token, for two-hop paths through SCU
    address internal recv = makeAddr("recv");

    function setUp() public override {
        super.setUp();
        seedPool();
        gpu = new MockERC20("GPU", 18);
        gpu.mint(alice, 1_000_000e18);
        vm.startPrank(alice);
        gpu.approve(address(router), type(uint256).max);
        router.addLiquidity(address(gpu), address(scu), 500_000e18, 250_000e18, 0, 0, alice, block.timestamp);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ exact in

    function testFuzz_swapExactTokensForTokens_oneHopPaysTheQuote(uint256 amountIn) public {
        amountIn = bound(amountIn, 1, 1_000_000e6);
        address[] memory p = path(address(usdc), address(scu));
        uint256 quoted = router.getAmountsOut(amountIn, p)[1];
        vm.assume(quoted > 0);
        vm.prank(bob);
        uint256 out = router.swapExactTokensForTokens(amountIn, quoted, p, recv, block.timestamp);
        assertEq(out, quoted);
        assertEq(scu.balanceOf(recv), quoted);
    }

    function test_swapExactTokensForTokens_twoHopsPayTheQuote() public {
        address[] memory p = path(address(usdc), address(scu), address(gpu));
        uint256[] memory amounts = router.getAmountsOut(1_000e6, p);
        vm.prank(bob);
        uint256 out = router.swapExactTokensForTokens(1_000e6, amounts[2], p, recv, block.timestamp);
        assertEq(out, amounts[2]);
        assertEq(gpu.balanceOf(recv), amounts[2]);
        assertEq(scu.balanceOf(address(router)), 0, "router keeps nothing");
    }

    function test_swapExactTokensForTokens_minimumBoundary() public {
        address[] memory p = path(address(usdc), address(scu));
        uint256 quoted = router.getAmountsOut(1_000e6, p)[1];
        uint256 snapshot = vm.snapshotState();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IRouter.InsufficientOutputAmount.selector, quoted, quoted + 1));
        router.swapExactTokensForTokens(1_000e6, quoted + 1, p, recv, block.timestamp);
        vm.revertToState(snapshot);
        vm.prank(bob);
        router.swapExactTokensForTokens(1_000e6, quoted, p, recv, block.timestamp);
    }

    function test_swapExactTokensForTokens_deadlineBoundary() public {
        address[] memory p = path(address(usdc), address(scu));
        uint256 deadline = vm.getBlockTimestamp();
        vm.prank(bob);
        router.swapExactTokensForTokens(1e6, 0, p, recv, deadline); // at t: fine
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IRouter.DeadlineExpired.selector, deadline, deadline + 1));
        vm.prank(bob);
        router.swapExactTokensForTokens(1e6, 0, p, recv, deadline);
    }

    function test_swapExactTokensForTokens_revertsOnShortPath() public {
        address[] memory p = new address[](1);
        p[0] = address(usdc);
        vm.expectRevert(abi.encodeWithSelector(IRouter.InvalidPath.selector, 1));
        vm.prank(bob);
        router.swapExactTokensForTokens(1e6, 0, p, recv, block.timestamp);
    }

    function test_swapExactTokensForTokens_revertsWithoutAPool() public {
        MockERC20 none = new MockERC20("NONE", 18);
        vm.expectRevert(abi.encodeWithSelector(IRouter.PoolNotFound.selector, address(scu), address(none)));
        vm.prank(bob);
        router.swapExactTokensForTokens(1e6, 0, path(address(usdc), address(scu), address(none)), recv, block.timestamp);
    }

    function test_swapExactTokensForTokens_failedCallChangesNothing() public {
        (uint112 r0, uint112 r1,) = pool.getReserves();
        uint256 bobUsdc = usdc.balanceOf(bob);
        vm.prank(bob);
        vm.expectRevert();
        router.swapExactTokensForTokens(
            1e6, type(uint256).max, path(address(usdc), address(scu)), recv, block.timestamp
        );
        (uint112 r0After, uint112 r1After,) = pool.getReserves();
        assertEq(r0After, r0);
        assertEq(r1After, r1);
        assertEq(usdc.balanceOf(bob), bobUsdc);
    }

    // ------------------------------------------------------------------ exact out

    function testFuzz_swapTokensForExactTokens_paysExactlyTheOutput(uint256 amountOut) public {
        amountOut = bound(amountOut, 1, 100_000e18);
        address[] memory p = path(address(usdc), address(scu));
        uint256 quotedIn = router.getAmountsIn(amountOut, p)[0];
        uint256 before = usdc.balanceOf(bob);
        vm.prank(bob);
        uint256 amountIn = router.swapTokensForExactTokens(amountOut, quotedIn, p, recv, block.timestamp);
        assertEq(amountIn, quotedIn);
        assertEq(before - usdc.balanceOf(bob), quotedIn);
        assertEq(scu.balanceOf(recv), amountOut);
    }

    function test_swapTokensForExactTokens_twoHops() public {
        address[] memory p = path(address(usdc), address(scu), address(gpu));
        uint256[] memory amounts = router.getAmountsIn(50e18, p);
        vm.prank(bob);
        router.swapTokensForExactTokens(50e18, amounts[0], p, recv, block.timestamp);
        assertEq(gpu.balanceOf(recv), 50e18);
    }

    function test_swapTokensForExactTokens_maximumBoundary() public {
        address[] memory p = path(address(usdc), address(scu));
        uint256 quotedIn = router.getAmountsIn(10e18, p)[0];
        vm.expectRevert(abi.encodeWithSelector(IRouter.ExcessiveInputAmount.selector, quotedIn, quotedIn - 1));
        vm.prank(bob);
        router.swapTokensForExactTokens(10e18, quotedIn - 1, p, recv, block.timestamp);
        vm.prank(bob);
        router.swapTokensForExactTokens(10e18, quotedIn, p, recv, block.timestamp);
    }

    function test_getAmountsIn_revertsBeyondReserve() public {
        (, uint256 rOut) = reservesOf(pool, address(usdc));
        vm.expectRevert(abi.encodeWithSelector(IPool.InsufficientLiquidity.selector, rOut, rOut));
        router.getAmountsIn(rOut, path(address(usdc), address(scu)));
    }

    function test_getAmountsOut_revertsWithoutPool() public {
        MockERC20 none = new MockERC20("NONE", 18);
        vm.expectRevert(abi.encodeWithSelector(IRouter.PoolNotFound.selector, address(none), address(usdc)));
        router.getAmountsOut(1, path(address(none), address(usdc)));
    }

    // ------------------------------------------------------------------ permits

    function test_swapExactTokensForTokensWithPermit_needsNoApproval() public {
        (address signer, uint256 key) = makeAddrAndKey("signer");
        usdc.mint(signer, 1_000e6);
        IRouter.PermitSignature memory sig = _permit(usdc, key, signer, 1_000e6);
        vm.prank(signer);
        uint256 out = router.swapExactTokensForTokensWithPermit(
            1_000e6, 1, path(address(usdc), address(scu)), signer, block.timestamp, sig
        );
        assertGt(out, 0);
        assertEq(scu.balanceOf(signer), out);
    }

    function test_swapExactTokensForTokensWithPermit_survivesAFrontRunPermit() public {
        (address signer, uint256 key) = makeAddrAndKey("signer");
        usdc.mint(signer, 1_000e6);
        IRouter.PermitSignature memory sig = _permit(usdc, key, signer, 1_000e6);
        // Someone submits the permit from the mempool first.
        usdc.permit(signer, address(router), sig.value, sig.deadline, sig.v, sig.r, sig.s);
        vm.prank(signer);
        router.swapExactTokensForTokensWithPermit(
            1_000e6, 1, path(address(usdc), address(scu)), signer, block.timestamp, sig
        );
    }

    function test_swapExactTokensForTokensWithPermit_revertsOnBadPermitWithoutAllowance() public {
        (address signer,) = makeAddrAndKey("signer");
        (, uint256 otherKey) = makeAddrAndKey("other");
        usdc.mint(signer, 1_000e6);
        IRouter.PermitSignature memory sig = _permit(usdc, otherKey, signer, 1_000e6);
        vm.expectRevert(abi.encodeWithSelector(IRouter.PermitFailed.selector, address(usdc), 0, 1_000e6));
        vm.prank(signer);
        router.swapExactTokensForTokensWithPermit(
            1_000e6, 1, path(address(usdc), address(scu)), signer, block.timestamp, sig
        );
    }

    function test_swapTokensForExactTokensWithPermit_needsNoApproval() public {
        (address signer, uint256 key) = makeAddrAndKey("signer");
        usdc.mint(signer, 1_000e6);
        IRouter.PermitSignature memory sig = _permit(usdc, key, signer, 1_000e6);
        vm.prank(signer);
        router.swapTokensForExactTokensWithPermit(
            100e18, 1_000e6, path(address(usdc), address(scu)), signer, block.timestamp, sig
        );
        assertEq(scu.balanceOf(signer), 100e18);
    }

    function test_addAndRemoveLiquidityWithPermit_needNoApproval() public {
        (address signer, uint256 key) = makeAddrAndKey("signer");
        usdc.mint(signer, 1_400e6);
        scu.mint(signer, 1_000e18);
        vm.startPrank(signer);
        (uint256 amountA, uint256 amountB, uint256 liquidity) = router.addLiquidityWithPermit(
            address(scu),
            address(usdc),
            1_000e18,
            1_400e6,
            0,
            0,
            signer,
            block.timestamp,
            _permit(scu, key, signer, 1_000e18),
            _permit(usdc, key, signer, 1_400e6)
        );
        assertEq(amountA, 1_000e18);
        assertEq(amountB, 1_400e6);
        (uint256 outA, uint256 outB) = router.removeLiquidityWithPermit(
            address(scu),
            address(usdc),
            liquidity,
            0,
            0,
            signer,
            block.timestamp,
            _permit(MockERC20(address(pool)), key, signer, liquidity)
        );
        vm.stopPrank();
        assertApproxEqAbs(outA, 1_000e18, 1e9);
        assertApproxEqAbs(outB, 1_400e6, 1);
        assertLe(outA, amountA, "never more than went in");
        assertLe(outB, amountB, "never more than went in");
    }

    function _permit(MockERC20 token, uint256 key, address holder, uint256 value)
        internal
        view
        returns (IRouter.PermitSignature memory)
    {
        return signPermit(token, key, holder, address(router), value);
    }

    // ------------------------------------------------------------------ liquidity

    function testFuzz_addThenRemoveLiquidity_neverReturnsMore(uint256 amountScu, uint256 amountUsdc) public {
        amountScu = bound(amountScu, 1e12, 10_000_000e18);
        amountUsdc = bound(amountUsdc, 1, 10_000_000e6);
        vm.startPrank(bob);
        try router.addLiquidity(
            address(scu), address(usdc), amountScu, amountUsdc, 0, 0, bob, block.timestamp
        ) returns (
            uint256 inScu, uint256 inUsdc, uint256 liquidity
        ) {
            assertLe(inScu, amountScu);
            assertLe(inUsdc, amountUsdc);
            try router.removeLiquidity(address(scu), address(usdc), liquidity, 0, 0, bob, block.timestamp) returns (
                uint256 outScu, uint256 outUsdc
            ) {
                assertLe(outScu, inScu);
                assertLe(outUsdc, inUsdc);
            } catch (bytes memory reason) {
                assertEq(bytes4(reason), IPool.InsufficientLiquidityBurned.selector);
            }
        } catch (bytes memory reason) {
            assertEq(bytes4(reason), IPool.InsufficientLiquidityMinted.selector);
        }
        vm.stopPrank();
    }

    function test_addLiquidity_createsThePoolWhenMissing() public {
        MockERC20 other = new MockERC20("NEW", 18);
        other.mint(alice, 10e18);
        vm.startPrank(alice);
        other.approve(address(router), type(uint256).max);
        (,, uint256 liquidity) =
            router.addLiquidity(address(other), address(usdc), 10e18, 10e6, 0, 0, alice, block.timestamp);
        vm.stopPrank();
        assertEq(factory.getPool(address(other), address(usdc)), router.poolFor(address(other), address(usdc)));
        assertGt(liquidity, 0);
    }

    function test_addLiquidity_takesThePoolRatio() public {
        vm.prank(bob);
        (uint256 amountA, uint256 amountB,) =
            router.addLiquidity(address(scu), address(usdc), 1_000e18, 5_000e6, 0, 0, bob, block.timestamp);
        assertEq(amountA, 1_000e18);
        assertEq(amountB, PoolMath.quote(1_000e18, SEED_SCU, SEED_USDC));
    }

    function test_addLiquidity_minimumBoundary() public {
        uint256 optimalB = PoolMath.quote(1_000e18, SEED_SCU, SEED_USDC);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IRouter.InsufficientAmount.selector, address(usdc), optimalB, optimalB + 1)
        );
        router.addLiquidity(address(scu), address(usdc), 1_000e18, 5_000e6, 0, optimalB + 1, bob, block.timestamp);
        vm.prank(bob);
        router.addLiquidity(address(scu), address(usdc), 1_000e18, 5_000e6, 0, optimalB, bob, block.timestamp);
    }

    function test_addLiquidity_minimumBoundaryOnTheOtherSide() public {
        // Too little USDC for 1,000 SCU: the SCU side is scaled down and checked against its minimum.
        uint256 optimalA = PoolMath.quote(700e6, SEED_USDC, SEED_SCU);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IRouter.InsufficientAmount.selector, address(scu), optimalA, optimalA + 1)
        );
        router.addLiquidity(address(scu), address(usdc), 1_000e18, 700e6, optimalA + 1, 0, bob, block.timestamp);
        vm.prank(bob);
        (uint256 amountA,,) =
            router.addLiquidity(address(scu), address(usdc), 1_000e18, 700e6, optimalA, 0, bob, block.timestamp);
        assertEq(amountA, optimalA);
    }

    function test_addLiquidity_deadlineBoundary() public {
        uint256 deadline = vm.getBlockTimestamp();
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IRouter.DeadlineExpired.selector, deadline, deadline + 1));
        vm.prank(bob);
        router.addLiquidity(address(scu), address(usdc), 1e18, 2e6, 0, 0, bob, deadline);
    }

    function test_removeLiquidity_minimumBoundary() public {
        uint256 liquidity = pool.balanceOf(alice) / 10;
        uint256 supply = pool.totalSupply();
        uint256 expectedUsdc = liquidity * SEED_USDC / supply;
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IRouter.InsufficientAmount.selector, address(usdc), expectedUsdc, expectedUsdc + 1)
        );
        router.removeLiquidity(address(scu), address(usdc), liquidity, 0, expectedUsdc + 1, alice, block.timestamp);
        vm.prank(alice);
        (, uint256 amountB) =
            router.removeLiquidity(address(scu), address(usdc), liquidity, 0, expectedUsdc, alice, block.timestamp);
        assertEq(amountB, expectedUsdc);
    }

    function test_removeLiquidity_revertsWithoutPool() public {
        MockERC20 none = new MockERC20("NONE", 18);
        vm.expectRevert(abi.encodeWithSelector(IRouter.PoolNotFound.selector, address(none), address(usdc)));
        router.removeLiquidity(address(none), address(usdc), 1, 0, 0, alice, block.timestamp);
    }
}
