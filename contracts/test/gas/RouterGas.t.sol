// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AmmFixture} from "../utils/AmmFixture.sol";
import {MockERC20} from "../utils/MockERC20.sol";

/// @notice Gas of each router entry point on a warm market, written to contracts/snapshots/Router.json.
/// `npm test` runs these with FORGE_SNAPSHOT_CHECK, so any change in gas fails until the snapshot is
/// regenerated (`npm run snapshot`) and committed. Whole-transaction figures against Uniswap v2 are in
/// BENCHMARKS.md (`npm run bench:amm`).
contract RouterGasTest is AmmFixture {
    MockERC20 internal gpu;

    function setUp() public override {
        super.setUp();
        seedPool();
        gpu = new MockERC20("GPU", 18);
        gpu.mint(alice, 1_000_000e18);
        gpu.mint(bob, 1e18); // bob already holds every token, as a returning user does
        vm.startPrank(alice);
        gpu.approve(address(router), type(uint256).max);
        router.addLiquidity(address(gpu), address(scu), 500_000e18, 250_000e18, 0, 0, alice, block.timestamp);
        vm.stopPrank();
        // A market that has traded before: both pools' price accumulators are already non-zero.
        vm.warp(vm.getBlockTimestamp() + 12);
        vm.prank(bob);
        router.swapExactTokensForTokens(1e6, 0, path(address(usdc), address(scu), address(gpu)), bob, block.timestamp);
        vm.warp(vm.getBlockTimestamp() + 12); // the measured call is the first in its block
    }

    function test_gas_swapExactIn_oneHop() public {
        vm.prank(bob);
        router.swapExactTokensForTokens(1_000e6, 0, path(address(usdc), address(scu)), bob, block.timestamp);
        vm.snapshotGasLastCall("Router", "swapExactTokensForTokens, 1 hop");
    }

    function test_gas_swapExactIn_twoHops() public {
        vm.prank(bob);
        router.swapExactTokensForTokens(
            1_000e6, 0, path(address(usdc), address(scu), address(gpu)), bob, block.timestamp
        );
        vm.snapshotGasLastCall("Router", "swapExactTokensForTokens, 2 hops");
    }

    function test_gas_swapExactOut_oneHop() public {
        vm.prank(bob);
        router.swapTokensForExactTokens(
            100e18, type(uint256).max, path(address(usdc), address(scu)), bob, block.timestamp
        );
        vm.snapshotGasLastCall("Router", "swapTokensForExactTokens, 1 hop");
    }

    function test_gas_addLiquidity() public {
        vm.prank(bob);
        router.addLiquidity(address(scu), address(usdc), 1_000e18, 1_400e6, 0, 0, bob, block.timestamp);
        vm.snapshotGasLastCall("Router", "addLiquidity");
    }

    function test_gas_removeLiquidity() public {
        vm.prank(alice);
        router.removeLiquidity(address(scu), address(usdc), 1e15, 0, 0, alice, block.timestamp);
        vm.snapshotGasLastCall("Router", "removeLiquidity");
    }
}
