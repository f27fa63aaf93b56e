// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {JobParams, UsageReceipt} from "../../src/types/Job.sol";

/// @notice Gas of a job's life on a warm protocol (the provider has jobs behind it, the buyer holds SCU and
/// USDC, the price observations are recorded), written to contracts/snapshots/JobEscrow.json and checked by
/// `npm test` like the router's. BENCHMARKS.md lists the figures.
contract EscrowGasTest is ProtocolFixture {
    uint64 internal hostId;
    JobParams internal params;
    uint256 internal runningJob;

    function setUp() public override {
        super.setUp();
        hostId = registerHost(provider, hostKey, H100, 8, 30 days);
        stake(provider, 100_000e6);
        vm.prank(provider);
        registry.mint(10e18, provider); // an obligation for pay-ins to retire
        params = jobParams(hostId, 2, 1 hours);
        buyScu(buyer, 100e18);
        usdc.mint(buyer, 1_000e6);
        vm.startPrank(buyer);
        usdc.approve(address(jobRouter), type(uint256).max);
        escrow.createJob(params); // not the first job: counters and the provider's books are warm
        vm.stopPrank();
        runningJob = createJob(buyer, hostId, 2, 1 hours);
        vm.prank(hostSigner);
        escrow.start(runningJob);
        vm.warp(vm.getBlockTimestamp() + 30 minutes); // the measured call is the first in its block
    }

    function test_gas_createJob() public {
        vm.prank(buyer);
        escrow.createJob(params);
        vm.snapshotGasLastCall("JobEscrow", "createJob");
    }

    function test_gas_swapAndCreateJob() public {
        vm.prank(buyer);
        jobRouter.swapAndCreateJob(params, 1_000e6, block.timestamp);
        vm.snapshotGasLastCall("JobEscrow", "JobRouter.swapAndCreateJob");
    }

    function test_gas_start() public {
        uint256 jobId = createJob(buyer, hostId, 2, 1 hours);
        vm.prank(hostSigner);
        escrow.start(jobId);
        vm.snapshotGasLastCall("JobEscrow", "start");
    }

    function test_gas_submitReceipt() public {
        UsageReceipt memory r = receipt(runningJob, 2e18, vm.getBlockTimestamp());
        bytes memory signature = sign(hostKey, r);
        escrow.submitReceipt(r, signature);
        vm.snapshotGasLastCall("JobEscrow", "submitReceipt");
    }

    function test_gas_finalize() public {
        UsageReceipt memory r = receipt(runningJob, 2e18, vm.getBlockTimestamp());
        escrow.submitReceipt(r, sign(hostKey, r));
        vm.warp(vm.getBlockTimestamp() + DISPUTE_WINDOW);
        escrow.finalize(runningJob);
        vm.snapshotGasLastCall("JobEscrow", "finalize");
    }
}
