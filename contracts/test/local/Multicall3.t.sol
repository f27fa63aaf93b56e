// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Multicall3} from "../../src/local/Multicall3.sol";
import {IMulticall3} from "../../src/interfaces/local/IMulticall3.sol";
import {TestUSDC} from "../../src/local/TestUSDC.sol";
import {ITestUSDC} from "../../src/interfaces/local/ITestUSDC.sol";

contract Multicall3Test is Test {
    Multicall3 internal multicall;
    TestUSDC internal usdc;
    address internal alice = makeAddr("alice");

    function setUp() public {
        multicall = new Multicall3();
        usdc = new TestUSDC(address(this));
        usdc.mint(alice, 7e6);
        vm.deal(alice, 3 ether);
    }

    function test_aggregate3_batchesTokenAndEthReads() public {
        IMulticall3.Call3[] memory calls = new IMulticall3.Call3[](2);
        calls[0] = IMulticall3.Call3(address(usdc), false, abi.encodeCall(usdc.balanceOf, (alice)));
        calls[1] = IMulticall3.Call3(address(multicall), false, abi.encodeCall(multicall.getEthBalance, (alice)));
        IMulticall3.Result[] memory results = multicall.aggregate3(calls);
        assertTrue(results[0].success && results[1].success);
        assertEq(abi.decode(results[0].returnData, (uint256)), 7e6);
        assertEq(abi.decode(results[1].returnData, (uint256)), 3 ether);
    }

    function test_aggregate3_reportsAllowedFailure() public {
        IMulticall3.Call3[] memory calls = new IMulticall3.Call3[](1);
        calls[0] = IMulticall3.Call3(address(usdc), true, abi.encodeCall(usdc.faucet, (0)));
        IMulticall3.Result[] memory results = multicall.aggregate3(calls);
        assertFalse(results[0].success);
        assertEq(results[0].returnData, abi.encodeWithSelector(ITestUSDC.FaucetZeroAmount.selector));
    }

    function test_aggregate3_revertsOnDisallowedFailure() public {
        IMulticall3.Call3[] memory calls = new IMulticall3.Call3[](2);
        calls[0] = IMulticall3.Call3(address(usdc), false, abi.encodeCall(usdc.balanceOf, (alice)));
        calls[1] = IMulticall3.Call3(address(usdc), false, abi.encodeCall(usdc.faucet, (0)));
        vm.expectRevert(
            abi.encodeWithSelector(
                IMulticall3.Multicall3CallFailed.selector,
                1,
                abi.encodeWithSelector(ITestUSDC.FaucetZeroAmount.selector)
            )
        );
        multicall.aggregate3(calls);
    }

    function test_blockViews() public {
        vm.roll(42);
        vm.warp(1_700_000_000);
        assertEq(multicall.getBlockNumber(), 42);
        assertEq(multicall.getCurrentBlockTimestamp(), 1_700_000_000);
    }
}
