// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console2} from "forge-std/console2.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {ProtocolHandler} from "./handlers/ProtocolHandler.sol";
import {Host} from "../../src/types/Provider.sol";
import {Job, JobStatus} from "../../src/types/Job.sol";

/// @notice PROTOCOL.md's invariants 1, 2, 4 and 5 (and 3's checks), whatever sequence of mints, retirements,
/// stakes, withdrawals, liquidations, trades, jobs, receipts, disputes and rulings the handler makes.
contract ProtocolInvariantTest is ProtocolFixture {
    ProtocolHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new ProtocolHandler(scu, usdc, registry, escrow, router, arbiter, [H100, A100, H100]);
        targetContract(address(handler));
    }

    /// @dev Invariant 1: nothing creates or destroys SCU except against an obligation.
    function invariant_supplyEqualsTheSumOfObligations() public view {
        uint256 sum = registry.provider(whale).obligation;
        for (uint256 i; i < handler.providerCount(); ++i) {
            sum += registry.provider(handler.providers(i)).obligation;
        }
        assertEq(scu.totalSupply(), sum);
    }

    /// @dev Invariant 2, where it is enforced: no mint ever left an obligation above its capacity bound.
    function invariant_noMintExceedsTheCapacityBound() public view {
        assertFalse(handler.ghostMintAboveBound());
    }

    /// @dev Invariant 4, per job, measured by balances: locked = paid + refunded + still locked, paid once.
    function invariant_everyJobsCreditsAreAccountedFor() public view {
        for (uint256 i; i < handler.jobCount(); ++i) {
            uint256 jobId = handler.jobIds(i);
            Job memory j = escrow.job(jobId);
            bool open = j.status == JobStatus.Created || j.status == JobStatus.Running
                || j.status == JobStatus.Submitted || j.status == JobStatus.Disputed;
            assertEq(j.locked, handler.ghostPaid(jobId) + handler.ghostRefunded(jobId) + (open ? j.locked : 0));
            assertEq(handler.ghostPayouts(jobId), open ? 0 : 1, "a job paid out other than once");
            if (j.status == JobStatus.Settled) assertLe(handler.ghostPaid(jobId), j.used);
            else assertEq(handler.ghostPaid(jobId), 0);
        }
    }

    /// @dev The escrow holds exactly what open jobs locked; the registry books the same per provider, and
    /// the GPUs of created and running jobs per host, never above the host's count.
    function invariant_escrowAndRegistryBooksAgree() public view {
        uint256 open;
        uint256[3] memory credits;
        uint256[3] memory busy;
        for (uint256 i; i < handler.jobCount(); ++i) {
            Job memory j = escrow.job(handler.jobIds(i));
            uint256 p = _providerIndex(j.provider);
            if (j.status == JobStatus.Created || j.status == JobStatus.Running) busy[p] += j.gpus;
            if (
                j.status == JobStatus.Created || j.status == JobStatus.Running || j.status == JobStatus.Submitted
                    || j.status == JobStatus.Disputed
            ) {
                open += j.locked;
                credits[p] += j.locked;
            }
        }
        assertEq(escrow.totalLocked(), open);
        assertEq(scu.balanceOf(address(escrow)), open);
        for (uint256 p; p < 3; ++p) {
            assertEq(registry.provider(handler.providers(p)).jobCredits, credits[p]);
            Host memory h = registry.host(handler.hosts(p));
            assertEq(h.gpusBusy, busy[p]);
            assertLe(h.gpusBusy, h.gpuCount);
        }
    }

    /// @dev Invariant 5's ledger: the registry holds exactly the providers' stakes.
    function invariant_registryHoldsExactlyTheStakes() public view {
        uint256 sum = registry.provider(whale).stake;
        for (uint256 i; i < handler.providerCount(); ++i) {
            sum += registry.provider(handler.providers(i)).stake;
        }
        assertEq(usdc.balanceOf(address(registry)), sum);
    }

    function _providerIndex(address p) internal view returns (uint256) {
        for (uint256 i; i < 3; ++i) {
            if (handler.providers(i) == p) return i;
        }
        revert("unknown provider");
    }

    /// @dev With -vv, how far each run got: a suite that never settles a job proves little.
    function afterInvariant() external view {
        string[10] memory actions = [
            "mint", "createJob", "start", "submitReceipt", "finalize", "confirm", "resolve", "reclaim", "liquidate", "runJob"
        ];
        string memory line;
        for (uint256 i; i < actions.length; ++i) {
            line = string.concat(line, actions[i], "=", vm.toString(handler.calls(bytes32(bytes(actions[i])))), " ");
        }
        console2.log(line);
    }
}
