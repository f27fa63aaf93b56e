// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IQuoter} from "../src/interfaces/IQuoter.sol";
import {PoolMath} from "../src/libraries/PoolMath.sol";
import {AmmFixture} from "./utils/AmmFixture.sol";

contract QuoterTest is AmmFixture {
    function setUp() public override {
        super.setUp();
        seedPool();
    }

    function test_poolState_reportsEverythingInOneCall() public {
        vm.warp(vm.getBlockTimestamp() + 60);
        IQuoter.PoolState memory s = quoter.poolState(address(pool));
        (uint112 r0, uint112 r1, uint32 t) = pool.getReserves();
        (uint128 c0, uint128 c1,) = pool.cumulativePrices();
        assertEq(s.pool, address(pool));
        assertEq(s.token0, pool.token0());
        assertEq(s.reserve0, r0);
        assertEq(s.reserve1, r1);
        assertEq(s.blockTimestampLast, t);
        assertEq(s.totalSupply, pool.totalSupply());
        assertEq(s.fee, 30);
        assertEq(s.price0Cumulative, c0);
        assertEq(s.price1Cumulative, c1);
        assertGt(c0, 0);
        assertEq(s.protocolFeeShare, 0);
    }

    function testFuzz_quoteExactIn_matchesTheRouterAndGrowsImpactWithSize(uint256 amountIn) public view {
        amountIn = bound(amountIn, 1e6, 1_000_000e6);
        address[] memory p = path(address(usdc), address(scu));
        (uint256[] memory amounts, uint256 impact) = quoter.quoteExactIn(amountIn, p);
        assertEq(amounts[1], router.getAmountsOut(amountIn, p)[1]);
        (, uint256 impactDouble) = quoter.quoteExactIn(amountIn * 2, p);
        assertGe(impactDouble, impact);
        // Impact net of fee ≈ amountIn / (reserveIn + amountIn·(1 − f)).
        uint256 expected = amountIn * 9970 * 1e18 / (SEED_USDC * 10_000 + amountIn * 9970);
        assertApproxEqAbs(impact, expected, 1e12);
    }

    function test_quoteExactOut_matchesTheRouter() public view {
        address[] memory p = path(address(usdc), address(scu));
        (uint256[] memory amounts, uint256 impact) = quoter.quoteExactOut(1_000e18, p);
        assertEq(amounts[0], router.getAmountsIn(1_000e18, p)[0]);
        assertGt(impact, 0);
    }

    function testFuzz_getAmountOut_isPoolMath(uint112 amountIn, uint112 reserveIn, uint112 reserveOut) public view {
        vm.assume(reserveIn > 0);
        assertEq(
            quoter.getAmountOut(amountIn, reserveIn, reserveOut, 30),
            PoolMath.getAmountOut(amountIn, reserveIn, reserveOut, 30)
        );
    }
}
