// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {TestUSDC} from "../../src/local/TestUSDC.sol";
import {ITestUSDC} from "../../src/interfaces/local/ITestUSDC.sol";

contract TestUSDCTest is Test {
    TestUSDC internal usdc;
    address internal owner = makeAddr("owner");
    address internal alice = makeAddr("alice");

    function setUp() public {
        vm.warp(1_700_000_000);
        usdc = new TestUSDC(owner);
    }

    function test_metadata() public view {
        assertEq(usdc.symbol(), "USDC");
        assertEq(usdc.decimals(), 6);
        assertEq(usdc.FAUCET_CAP(), 10_000e6);
    }

    function testFuzz_faucet_sendsUpToCap(uint256 amount) public {
        amount = bound(amount, 1, usdc.FAUCET_CAP());
        vm.expectEmit(address(usdc));
        emit ITestUSDC.FaucetDrip(alice, amount);
        vm.prank(alice);
        usdc.faucet(amount);
        assertEq(usdc.balanceOf(alice), amount);
        assertEq(usdc.faucetAvailableAt(alice), vm.getBlockTimestamp() + usdc.FAUCET_COOLDOWN());
    }

    function test_faucet_revertsOnZero() public {
        vm.expectRevert(ITestUSDC.FaucetZeroAmount.selector);
        vm.prank(alice);
        usdc.faucet(0);
    }

    function test_faucet_revertsAtCapPlusOne() public {
        uint256 cap = usdc.FAUCET_CAP();
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.FaucetAmountTooLarge.selector, cap + 1, cap));
        vm.prank(alice);
        usdc.faucet(cap + 1);
        assertEq(usdc.balanceOf(alice), 0);
    }

    function test_faucet_revertsDuringCooldown() public {
        vm.startPrank(alice);
        usdc.faucet(1e6);
        uint256 availableAt = vm.getBlockTimestamp() + usdc.FAUCET_COOLDOWN();
        vm.warp(availableAt - 1);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.FaucetCooldown.selector, alice, availableAt));
        usdc.faucet(1e6);

        vm.warp(availableAt);
        usdc.faucet(1e6);
        vm.stopPrank();
        assertEq(usdc.balanceOf(alice), 2e6);
    }

    function test_faucet_cooldownIsPerAccount() public {
        vm.prank(alice);
        usdc.faucet(1e6);
        address bob = makeAddr("bob");
        vm.prank(bob);
        usdc.faucet(1e6);
        assertEq(usdc.balanceOf(bob), 1e6);
    }

    function test_mint_onlyOwner() public {
        vm.prank(owner);
        usdc.mint(alice, 5e6);
        assertEq(usdc.balanceOf(alice), 5e6);

        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        usdc.mint(alice, 5e6);
    }
}
