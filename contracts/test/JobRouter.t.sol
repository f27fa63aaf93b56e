// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {PermitSigner} from "./utils/PermitSigner.sol";
import {IJobRouter} from "../src/interfaces/IJobRouter.sol";
import {IRouter} from "../src/interfaces/IRouter.sol";
import {PoolMath} from "../src/libraries/PoolMath.sol";
import {Job, JobParams, JobStatus} from "../src/types/Job.sol";

contract JobRouterTest is ProtocolFixture, PermitSigner {
    uint64 internal hostId;
    JobParams internal params;

    function setUp() public override {
        super.setUp();
        hostId = registerHost(provider, hostKey, H100, 8, 30 days);
        stake(provider, 100_000e6);
        params = jobParams(hostId, 8, 3 hours);
    }

    function test_quote_isTheExactOutputSwapForTheJobsPrice() public view {
        (uint256 usdcIn, uint256 scuOut) = jobRouter.quote(params);
        assertEq(scuOut, escrow.quote(params));
        (uint112 r0, uint112 r1,) = pool.getReserves();
        (uint256 rUsdc, uint256 rScu) =
            pool.token0() == address(usdc) ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        assertEq(usdcIn, PoolMath.getAmountIn(scuOut, rUsdc, rScu, 30));
    }

    function test_swapAndCreateJob_fundsAJobFromUsdc() public {
        (uint256 usdcIn, uint256 price) = jobRouter.quote(params);
        usdc.mint(buyer, usdcIn);
        vm.startPrank(buyer);
        usdc.approve(address(jobRouter), usdcIn);
        vm.expectEmit(address(jobRouter));
        emit IJobRouter.JobBought(1, buyer, usdcIn, price);
        (uint256 jobId, uint256 paid) = jobRouter.swapAndCreateJob(params, usdcIn, block.timestamp);
        vm.stopPrank();
        Job memory j = escrow.job(jobId);
        assertEq(paid, usdcIn);
        assertEq(j.buyer, buyer);
        assertEq(j.locked, price);
        assertEq(uint8(j.status), uint8(JobStatus.Created));
        assertEq(usdc.balanceOf(buyer), 0);
        assertEq(scu.balanceOf(address(escrow)), price);
        assertEq(scu.balanceOf(address(jobRouter)) + usdc.balanceOf(address(jobRouter)), 0);
    }

    function test_swapAndCreateJob_revertsAboveTheMaximumInput() public {
        (uint256 usdcIn,) = jobRouter.quote(params);
        usdc.mint(buyer, usdcIn);
        vm.startPrank(buyer);
        usdc.approve(address(jobRouter), usdcIn);
        vm.expectRevert(abi.encodeWithSelector(IJobRouter.ExcessiveInputAmount.selector, usdcIn, usdcIn - 1));
        jobRouter.swapAndCreateJob(params, usdcIn - 1, block.timestamp);
        vm.stopPrank();
    }

    function test_swapAndCreateJob_revertsAfterTheDeadline() public {
        uint256 deadline = vm.getBlockTimestamp() - 1;
        vm.expectRevert(abi.encodeWithSelector(IJobRouter.DeadlineExpired.selector, deadline, vm.getBlockTimestamp()));
        jobRouter.swapAndCreateJob(params, 1e12, deadline);
    }

    function test_swapAndCreateJobWithPermit_needsNoApproval() public {
        (address signer, uint256 key) = makeAddrAndKey("permit buyer");
        (uint256 usdcIn,) = jobRouter.quote(params);
        uint256 maxIn = usdcIn * 101 / 100;
        usdc.mint(signer, maxIn);
        IRouter.PermitSignature memory sig = signPermit(usdc, key, signer, address(jobRouter), maxIn);
        vm.prank(signer);
        (uint256 jobId,) = jobRouter.swapAndCreateJobWithPermit(params, maxIn, block.timestamp, sig);
        assertEq(escrow.job(jobId).buyer, signer);
        assertEq(usdc.balanceOf(signer), maxIn - usdcIn);
    }

    function test_swapAndCreateJobWithPermit_revertsOnABadPermitWithoutAllowance() public {
        (address signer,) = makeAddrAndKey("permit buyer");
        (, uint256 otherKey) = makeAddrAndKey("other");
        IRouter.PermitSignature memory sig = signPermit(usdc, otherKey, signer, address(jobRouter), 100e6);
        vm.expectRevert(abi.encodeWithSelector(IJobRouter.PermitFailed.selector, 0, 100e6));
        vm.prank(signer);
        jobRouter.swapAndCreateJobWithPermit(params, 100e6, block.timestamp, sig);
    }

    function test_quote_revertsWhenThePoolCannotSupplyTheJob() public {
        uint64 big = registerHost(provider, newSignerKey("big"), H100, 1024, 60 days);
        stake(provider, 10_000_000e6);
        JobParams memory huge = jobParams(big, 1024, 7 days); // ≈ 393k SCU against the pool's 1M: fine
        jobRouter.quote(huge);
        // An LP leaves, taking the pool's SCU below the job's price.
        uint256 shares = pool.balanceOf(whale) * 70 / 100;
        vm.prank(whale);
        pool.burn(whale, shares, whale);
        uint256 price = escrow.quote(huge);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        uint256 rScu = pool.token0() == address(scu) ? r0 : r1;
        vm.expectRevert(abi.encodeWithSelector(IJobRouter.InsufficientPoolLiquidity.selector, price, rScu));
        jobRouter.quote(huge);
    }
}
