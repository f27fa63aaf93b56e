// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ComputeStandard} from "../src/ComputeStandard.sol";
import {IComputeStandard} from "../src/interfaces/IComputeStandard.sol";
import {Deployers} from "./utils/Deployers.sol";

contract ComputeStandardTest is Test {
    ComputeStandard internal standard;
    address internal owner = makeAddr("owner");
    bytes32 internal constant H100 = "h100-sxm";

    function setUp() public {
        standard = Deployers.computeStandard(owner);
    }

    function test_addGpuClass_listsAndEmits() public {
        vm.expectEmit(address(standard));
        emit IComputeStandard.GpuClassAdded(H100, "NVIDIA H100 SXM 80GB", 2.28e18);
        vm.prank(owner);
        standard.addGpuClass(H100, "NVIDIA H100 SXM 80GB", 2.28e18);
        assertEq(standard.ratingOf(H100), 2.28e18);
        assertEq(standard.gpuClasses().length, 1);
        assertEq(standard.gpuClasses()[0], H100);
    }

    function test_addGpuClass_revertsWhenListed() public {
        vm.startPrank(owner);
        standard.addGpuClass(H100, "H100", 2e18);
        vm.expectRevert(abi.encodeWithSelector(IComputeStandard.GpuClassExists.selector, H100));
        standard.addGpuClass(H100, "H100", 3e18);
        vm.stopPrank();
    }

    function testFuzz_addGpuClass_boundsTheRating(uint256 ratingWad) public {
        vm.prank(owner);
        if (ratingWad == 0 || ratingWad > 1_000e18) {
            vm.expectRevert(abi.encodeWithSelector(IComputeStandard.InvalidRating.selector, H100, ratingWad));
            standard.addGpuClass(H100, "H100", ratingWad);
        } else {
            standard.addGpuClass(H100, "H100", ratingWad);
            assertEq(standard.ratingOf(H100), ratingWad);
        }
    }

    function test_addGpuClass_onlyOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
        standard.addGpuClass(H100, "H100", 2e18);
    }

    function test_setRating_appliesAfterTheNoticeAndNotBefore() public {
        vm.startPrank(owner);
        standard.addGpuClass(H100, "H100", 2e18);
        uint64 effectiveAt = uint64(vm.getBlockTimestamp() + 7 days);
        vm.expectEmit(address(standard));
        emit IComputeStandard.RatingChangeScheduled(H100, 2e18, 2.3e18, effectiveAt);
        standard.setRating(H100, 2.3e18);
        vm.stopPrank();
        (uint256 current, uint256 next, uint64 at) = standard.ratingSchedule(H100);
        assertEq(current, 2e18);
        assertEq(next, 2.3e18);
        assertEq(at, effectiveAt);
        vm.warp(effectiveAt - 1);
        assertEq(standard.ratingOf(H100), 2e18);
        vm.warp(effectiveAt);
        assertEq(standard.ratingOf(H100), 2.3e18);
        (current, next, at) = standard.ratingSchedule(H100);
        assertEq(current, 2.3e18);
        assertEq(next + at, 0);
    }

    function test_setRating_aNewAnnouncementReplacesAPendingOne() public {
        vm.startPrank(owner);
        standard.addGpuClass(H100, "H100", 2e18);
        standard.setRating(H100, 3e18);
        vm.warp(vm.getBlockTimestamp() + 6 days);
        standard.setRating(H100, 1e18); // the notice starts again; the pending 3 never applies
        vm.stopPrank();
        vm.warp(vm.getBlockTimestamp() + 6 days);
        assertEq(standard.ratingOf(H100), 2e18);
        vm.warp(vm.getBlockTimestamp() + 1 days);
        assertEq(standard.ratingOf(H100), 1e18);
    }

    function test_setRating_onAnAppliedChangeAnnouncesFromIt() public {
        vm.startPrank(owner);
        standard.addGpuClass(H100, "H100", 2e18);
        standard.setRating(H100, 3e18);
        vm.warp(vm.getBlockTimestamp() + 7 days);
        vm.expectEmit(address(standard));
        emit IComputeStandard.RatingChangeScheduled(H100, 3e18, 4e18, uint64(vm.getBlockTimestamp() + 7 days));
        standard.setRating(H100, 4e18);
        vm.stopPrank();
        assertEq(standard.ratingOf(H100), 3e18);
    }

    function test_setRating_revertsForUnknownClassOrBadRating() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IComputeStandard.UnknownGpuClass.selector, H100));
        standard.setRating(H100, 1e18);
        standard.addGpuClass(H100, "H100", 2e18);
        vm.expectRevert(abi.encodeWithSelector(IComputeStandard.InvalidRating.selector, H100, 0));
        standard.setRating(H100, 0);
        vm.stopPrank();
    }

    function test_ratingOf_revertsForUnknownClass() public {
        vm.expectRevert(abi.encodeWithSelector(IComputeStandard.UnknownGpuClass.selector, bytes32("v100")));
        standard.ratingOf("v100");
    }
}
