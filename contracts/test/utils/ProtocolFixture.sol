// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ComputeCredit} from "../../src/ComputeCredit.sol";
import {ComputeStandard} from "../../src/ComputeStandard.sol";
import {PoolFactory} from "../../src/PoolFactory.sol";
import {Pool} from "../../src/Pool.sol";
import {Router} from "../../src/Router.sol";
import {ProviderRegistry} from "../../src/ProviderRegistry.sol";
import {PriceOracle} from "../../src/PriceOracle.sol";
import {JobEscrow} from "../../src/JobEscrow.sol";
import {JobRouter} from "../../src/JobRouter.sol";
import {SupplyVerifier} from "../../src/SupplyVerifier.sol";
import {VerifierConfig, WorkShape} from "../../src/types/Verification.sol";
import {HostProver} from "./HostProver.sol";
import {HostParams, RegistryConfig} from "../../src/types/Provider.sol";
import {JobParams, UsageReceipt, EscrowConfig} from "../../src/types/Job.sol";
import {MockERC20} from "./MockERC20.sol";
import {Parameters} from "../../script/Parameters.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Deployers} from "./Deployers.sol";

/// @notice The whole protocol as deployed: SCU minted only by the registry, a USDC-like token, the SCU/USDC
/// pool seeded by a provider's minted credits, the escrow, the job router and the supply verifier. Every host the
/// fixture registers is proven through the verifier at once (HostProver), so it backs mints like a verified host.
abstract contract ProtocolFixture is HostProver, Test {
    ComputeCredit internal scu;
    ComputeStandard internal standard;
    MockERC20 internal usdc;
    PoolFactory internal factory;
    Router internal router;
    Pool internal pool;
    PriceOracle internal oracle;
    ProviderRegistry internal registry;
    JobEscrow internal escrow;
    JobRouter internal jobRouter;
    SupplyVerifier internal verifier;

    address internal owner = makeAddr("owner");
    address internal arbiter = makeAddr("arbiter");
    address internal provider = makeAddr("provider");
    address internal whale = makeAddr("whale"); // a provider whose credits seed the pool
    address internal buyer = makeAddr("buyer");
    uint256 internal hostKey;
    address internal hostSigner;
    /// @dev Signer keys made so far (one signer serves one host, so every host gets its own).
    uint256 internal signerCount;

    bytes32 internal constant A100 = "a100-80gb-sxm";
    bytes32 internal constant H100 = "h100-sxm";
    uint256 internal constant H100_RATING = 2.283e18;

    /// @dev The deployment's parameters (script/Parameters.sol), under the names the tests use.
    uint256 internal constant MINT_RATIO_BPS = Parameters.MINT_RATIO_BPS;
    uint256 internal constant COLLATERAL_RATIO_BPS = Parameters.COLLATERAL_RATIO_BPS;
    uint256 internal constant BONUS_BPS = Parameters.LIQUIDATION_BONUS_BPS;
    uint256 internal constant PREMIUM_BPS = Parameters.LIQUIDATION_MAX_PREMIUM_BPS;
    uint256 internal constant TWAP_WINDOW = Parameters.TWAP_WINDOW;
    uint256 internal constant UNBONDING_DELAY = Parameters.UNBONDING_DELAY;
    uint256 internal constant FLOOR_PRICE = Parameters.FLOOR_PRICE;
    uint256 internal constant START_TIMEOUT = Parameters.START_TIMEOUT;
    uint256 internal constant RECEIPT_GRACE = Parameters.RECEIPT_GRACE;
    uint256 internal constant DISPUTE_WINDOW = Parameters.DISPUTE_WINDOW;
    uint256 internal constant RULING_PERIOD = Parameters.RULING_PERIOD;
    uint256 internal constant DISPUTE_BOND_BPS = Parameters.DISPUTE_BOND_BPS;

    /// @dev The verifier's test work: an 8×256 by 256×4 product in tiles of 2 rows (2^14 FLOP a round, 4 tiles),
    /// every class rated 1 MFLOP/s a GPU for a second: the whale's 1,024 GPUs take 62,500 rounds, under the
    /// 2^23 − 1 the work allows, and an audited element costs 16 word pairs.
    uint32 internal constant TEST_ROWS = 8;
    uint32 internal constant TEST_COLS = 4;
    uint32 internal constant TEST_INNER = 256;
    uint32 internal constant TEST_TILE_ROWS = 2;
    /// @dev Two tiles a leaf: 4 tiles, 2 leaves a round, so a reveal opens a group with a neighbour in it.
    uint32 internal constant TEST_GROUP_TILES = 2;
    uint64 internal constant TEST_MFLOPS_PER_GPU = 1;
    uint256 internal constant FRAUD_WINDOW = 2 minutes;
    uint256 internal constant REVEAL_WINDOW = 10 minutes;
    /// @dev A year: tests that move the clock months on still mint against their hosts' one proof.
    uint256 internal constant VERIFIED_FOR = 365 days;

    /// @dev 1,000,000 SCU against 1,400,000 USDC: $1.40 per A100-hour.
    uint256 internal constant SEED_SCU = 1_000_000e18;
    uint256 internal constant SEED_USDC = 1_400_000e6;

    function setUp() public virtual {
        vm.warp(1_800_000_000);
        (hostSigner, hostKey) = makeAddrAndKey("host signer");
        scu = Deployers.computeCredit();
        standard = Deployers.computeStandard(owner);
        vm.startPrank(owner);
        standard.addGpuClass(A100, "NVIDIA A100 80GB SXM", 1e18);
        standard.addGpuClass(H100, "NVIDIA H100 SXM", H100_RATING);
        vm.stopPrank();
        usdc = new MockERC20("USDC", 6);
        factory = Deployers.poolFactory(owner);
        router = Deployers.router(address(factory));
        pool = Pool(factory.createPool(address(scu), address(usdc)));
        oracle = Deployers.priceOracle(pool, address(scu), TWAP_WINDOW);
        registry = Deployers.providerRegistry(scu, usdc, standard, oracle, Parameters.registryConfig());
        escrow = Deployers.jobEscrow(registry, scu, owner, arbiter, Parameters.escrowConfig());
        verifier = Deployers.supplyVerifier(registry, scu, verifierConfig(), classIds(), classRates());
        registry.setEscrow(address(escrow), address(verifier));
        scu.setMinter(address(registry));
        jobRouter = Deployers.jobRouter(escrow, pool, address(scu), address(usdc));
        seedPool();
    }

    /// @dev A window after deployment (the registry's first price reading is then a window old, so minting is
    /// open at the floor), the whale lists 1,024 H100s for two years, stakes, mints the seed credits and adds them
    /// to the pool. The reference price reads the pool's $1.40 once a window has passed since.
    function seedPool() internal {
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        registerHost(whale, newSignerKey("whale signer"), H100, 1024, 730 days);
        stake(whale, 3_000_000e6);
        vm.startPrank(whale);
        registry.mint(SEED_SCU, whale);
        usdc.mint(whale, SEED_USDC);
        scu.approve(address(router), SEED_SCU);
        usdc.approve(address(router), SEED_USDC);
        router.addLiquidity(address(scu), address(usdc), SEED_SCU, SEED_USDC, 0, 0, whale, block.timestamp);
        vm.stopPrank();
    }

    function verifierConfig() internal pure virtual returns (VerifierConfig memory) {
        return VerifierConfig({
            shape: WorkShape({
                rows: TEST_ROWS,
                cols: TEST_COLS,
                inner: TEST_INNER,
                tileRows: TEST_TILE_ROWS,
                groupTiles: TEST_GROUP_TILES
            }),
            targetSeconds: 1,
            commitOverhead: Parameters.COMMIT_OVERHEAD,
            toleranceBps: Parameters.TOLERANCE_BPS,
            revealWindow: uint32(REVEAL_WINDOW),
            fraudWindow: uint32(FRAUD_WINDOW),
            verifiedFor: uint32(VERIFIED_FOR),
            dutyCycleBps: Parameters.DUTY_CYCLE_BPS,
            failureSlashBps: Parameters.FAILURE_SLASH_BPS
        });
    }

    function classIds() internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](2);
        (ids[0], ids[1]) = (A100, H100);
    }

    function classRates() internal pure virtual returns (uint64[] memory rates) {
        rates = new uint64[](2);
        (rates[0], rates[1]) = (TEST_MFLOPS_PER_GPU, TEST_MFLOPS_PER_GPU);
    }

    /// @dev A fresh host signer key (a host agent's own key).
    function newSignerKey(string memory label) internal returns (uint256 key) {
        (, key) = makeAddrAndKey(string.concat(label, " ", vm.toString(++signerCount)));
    }

    /// @dev The signer key's EIP-712 consent to serve `who` on this registry, valid for an hour.
    function consent(uint256 signerKey, address who) internal view returns (uint256 deadline, bytes memory signature) {
        deadline = vm.getBlockTimestamp() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, registry.signerConsentDigest(who, deadline));
        signature = abi.encodePacked(r, s, v);
    }

    function hostParams(address signer, bytes32 classId, uint32 gpus, uint256 listedFor)
        internal
        view
        returns (HostParams memory)
    {
        return HostParams({
            signer: signer,
            classId: classId,
            gpuCount: gpus,
            listedUntil: uint64(vm.getBlockTimestamp() + listedFor),
            endpoint: "https://gpu.example.com",
            region: "eu-west"
        });
    }

    /// @dev Registers a host for `who` whose signer is `signerKey`'s address, with its consent, and proves it
    /// through the verifier at the same instant (the clock is wound back past the fraud window it waited).
    function registerHost(address who, uint256 signerKey, bytes32 classId, uint32 gpus, uint256 listedFor)
        internal
        returns (uint64 hostId)
    {
        hostId = registerUnverifiedHost(who, signerKey, classId, gpus, listedFor);
        selfVerify(verifier, hostId, true);
    }

    /// @dev Registers a host as `registerHost` does, without proving it.
    function registerUnverifiedHost(address who, uint256 signerKey, bytes32 classId, uint32 gpus, uint256 listedFor)
        internal
        returns (uint64 hostId)
    {
        (uint256 deadline, bytes memory signature) = consent(signerKey, who);
        vm.prank(who);
        hostId = uint64(
            registry.registerHost(hostParams(vm.addr(signerKey), classId, gpus, listedFor), deadline, signature)
        );
    }

    /// @dev The reference price P now (the registry's priceState); fails the test when there is none.
    function referencePrice() internal view returns (uint256 price) {
        bool fresh;
        (, price, fresh,,,) = registry.priceState();
        assertTrue(fresh, "no fresh reference price");
    }

    /// @dev Moves time on by `seconds_` and leaves a fresh reference price (a reading a window before the end):
    /// a keeper's observations while time passes.
    function skipFresh(uint256 seconds_) internal {
        if (seconds_ > TWAP_WINDOW) vm.warp(vm.getBlockTimestamp() + seconds_ - TWAP_WINDOW);
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + Math.min(seconds_, TWAP_WINDOW));
    }

    function stake(address who, uint256 amount) internal {
        usdc.mint(who, amount);
        vm.startPrank(who);
        usdc.approve(address(registry), amount);
        registry.stake(amount);
        vm.stopPrank();
    }

    /// @dev Gives `who` SCU bought from the pool (the only way to get credits besides minting).
    function buyScu(address who, uint256 amount) internal {
        uint256 usdcIn = amount * 2e6 / 1e18 + 1e6;
        usdc.mint(who, usdcIn);
        vm.startPrank(who);
        usdc.approve(address(router), usdcIn);
        address[] memory p = new address[](2);
        (p[0], p[1]) = (address(usdc), address(scu));
        router.swapTokensForExactTokens(amount, usdcIn, p, who, block.timestamp);
        scu.approve(address(escrow), type(uint256).max);
        vm.stopPrank();
    }

    function jobParams(uint64 hostId, uint32 gpus, uint32 duration) internal pure returns (JobParams memory) {
        return JobParams({hostId: hostId, gpus: gpus, maxDuration: duration, specHash: keccak256("spec")});
    }

    function createJob(address who, uint64 hostId, uint32 gpus, uint32 duration) internal returns (uint256 jobId) {
        JobParams memory params = jobParams(hostId, gpus, duration);
        buyScu(who, escrow.quote(params));
        vm.prank(who);
        jobId = escrow.createJob(params);
    }

    function sign(uint256 key, UsageReceipt memory usage) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, escrow.receiptDigest(usage));
        return abi.encodePacked(r, s, v);
    }

    function receipt(uint256 jobId, uint256 used, uint256 endedAt) internal pure returns (UsageReceipt memory) {
        return UsageReceipt({jobId: jobId, used: used, resultHash: keccak256("result"), endedAt: uint64(endedAt)});
    }
}
