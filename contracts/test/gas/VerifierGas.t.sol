// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Parameters} from "../../script/Parameters.sol";
import {VerifierConfig, WorkShape} from "../../src/types/Verification.sol";

/// @notice Gas of a challenge's life on the local chain's shape (64×256 by 256×16, tiles of 8 rows in groups of 4,
/// every class at Parameters.LOCAL_MFLOPS_PER_GPU), written to contracts/snapshots/SupplyVerifier.json and checked
/// by `npm test` like the escrow's. The host is 8 H100s: 153 rounds, 1,224 tiles, 306 leaves, proofs 9 deep.
abstract contract VerifierGasBase is ProtocolFixture {
    uint256 internal hostId;
    address internal challenger = makeAddr("challenger");

    function verifierConfig() internal pure virtual override returns (VerifierConfig memory c) {
        c = Parameters.verifierConfig(true);
    }

    function classRates() internal pure override returns (uint64[] memory rates) {
        rates = new uint64[](2);
        (rates[0], rates[1]) = (Parameters.LOCAL_MFLOPS_PER_GPU, Parameters.LOCAL_MFLOPS_PER_GPU);
    }

    function setUp() public override {
        super.setUp();
        hostId = registerUnverifiedHost(provider, hostKey, H100, 8, 30 days);
        stake(provider, 100_000e6);
        buyScu(challenger, 10e18);
        vm.prank(challenger);
        scu.approve(address(verifier), type(uint256).max);
    }

    function open() internal returns (uint256 id) {
        vm.prank(challenger);
        id = verifier.challenge(hostId);
    }

    function revealed(Behaviour memory b) internal returns (uint256 id, bytes[] memory tiles) {
        id = open();
        bytes[] memory groupStats;
        bytes32[][] memory proofs;
        (tiles, groupStats, proofs) = commitWork(verifier, id, b);
        vm.prank(hostSigner);
        verifier.reveal(id, tiles, groupStats, proofs);
    }

    /// @dev The revealed tiles' hashes and a column of sample 0's first row whose true value is not zero.
    function fraudTarget(uint256 id, bytes[] memory tiles)
        internal
        view
        returns (bytes32[] memory hashes, uint256 col)
    {
        hashes = new bytes32[](8);
        for (uint256 i; i < 8; ++i) {
            hashes[i] = keccak256(tiles[i]);
        }
        uint256 index = verifier.auditIndices(id)[0];
        WorkShape memory s = verifier.shape();
        uint256 perRound = s.rows / s.tileRows;
        bytes32 seed = verifier.challengeOf(id).seed;
        while (verifier.element(seed, index / perRound, (index % perRound) * s.tileRows, col) == 0) ++col;
    }
}

contract VerifierGasTest is VerifierGasBase {
    function test_gas_challenge() public {
        vm.prank(challenger);
        verifier.challenge(hostId);
        vm.snapshotGasLastCall("SupplyVerifier", "challenge");
    }

    function test_gas_commit() public {
        uint256 id = open();
        mineSeed(verifier, id);
        vm.prank(hostSigner);
        verifier.commit(id, keccak256("root"));
        vm.snapshotGasLastCall("SupplyVerifier", "commit");
    }

    function test_gas_reveal() public {
        uint256 id = open();
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, honest);
        vm.prank(hostSigner);
        verifier.reveal(id, tiles, groupStats, proofs);
        vm.snapshotGasLastCall("SupplyVerifier", "reveal");
    }

    /// @dev All-zero tiles (statistic 0) revealed; the fraud proof recomputes one element, K = 256.
    function test_gas_proveFraud() public {
        Behaviour memory lazy;
        lazy.zeroTiles = true;
        (uint256 id, bytes[] memory tiles) = revealed(lazy);
        (bytes32[] memory hashes, uint256 col) = fraudTarget(id, tiles);
        verifier.proveFraud(id, 0, tiles[0], hashes, 0, col);
        vm.snapshotGasLastCall("SupplyVerifier", "proveFraud");
    }

    function test_gas_finalize() public {
        Behaviour memory honest;
        (uint256 id,) = revealed(honest);
        vm.warp(vm.getBlockTimestamp() + verifier.fraudWindow());
        verifier.finalize(id);
        vm.snapshotGasLastCall("SupplyVerifier", "finalize");
    }
}

/// @notice proveFraud at the real chains' inner dimension, K = 65,536 (8,192 word pairs): the most a fraud proof
/// costs, whatever M and N (a 2×65,536 by 65,536×2 product here, so the fixture's honest proofs stay quick).
contract VerifierFraudGasTest is VerifierGasBase {
    function verifierConfig() internal pure override returns (VerifierConfig memory c) {
        c = Parameters.verifierConfig(true);
        c.shape = WorkShape({rows: 2, cols: 2, inner: 65_536, tileRows: 2, groupTiles: 1});
    }

    function test_gas_proveFraud_k65536() public {
        Behaviour memory lazy;
        lazy.zeroTiles = true;
        (uint256 id, bytes[] memory tiles) = revealed(lazy);
        (bytes32[] memory hashes, uint256 col) = fraudTarget(id, tiles);
        verifier.proveFraud(id, 0, tiles[0], hashes, 0, col);
        vm.snapshotGasLastCall("SupplyVerifier", "proveFraud, K = 65,536");
    }
}
