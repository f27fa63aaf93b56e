// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Reliability} from "../../src/libraries/Reliability.sol";

contract ReliabilityTest is Test {
    function test_scoreBps_aNewProviderIsAnEvenBet() public pure {
        assertEq(Reliability.scoreBps(0, 0), 5_000);
    }

    function test_scoreBps_theGpuHourPriorEachWay() public pure {
        // One GPU-hour served: (1 h + 1 h) / (1 h + 2 h) = 2/3.
        assertEq(Reliability.scoreBps(3600, 0), 6_666);
        // One GPU-hour failed: 1 h / (1 h + 2 h) = 1/3.
        assertEq(Reliability.scoreBps(0, 3600), 3_333);
    }

    function testFuzz_scoreBps_belowFullAndMonotone(uint64 served, uint64 failed) public pure {
        uint256 score = Reliability.scoreBps(served, failed);
        assertLt(score, 10_000, "the prior's failed GPU-hour keeps any score below 100%");
        assertGe(Reliability.scoreBps(uint256(served) + 1, failed), score, "serving more never lowers the score");
    }
}
