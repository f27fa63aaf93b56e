/**
 * Verified supply end to end, all real: anvil, the protocol's contracts with the SupplyVerifier, the host's
 * signer and operator keys, the CPU runner. A provider proves its new host at no fee and can then mint against
 * it; an honest host passes a buyer's challenge (verified, its provider paid the fee) while the watcher finds
 * nothing wrong; the agent (`npm run host`) started after another died past its commit carries the challenge on
 * from the chain and the statistics file kept on disk (the leaves rebuilt from it, the file not rewritten),
 * /health showing it; a statistics file cut short before a restart, or changed under a running agent after its
 * commit, is refused with its reason before any reveal is sent from it, and the agent reveals what it committed
 * from statistics computed again; a host that reveals a tile with two values swapped (its statistic, the sum of
 * squares, unchanged, so the contract's own checks pass) is caught by the watcher, whose fraud proof fails the
 * challenge.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getAddress, hexToBytes, parseUnits, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostHealthSchema, type HostHealth } from "../../lib/protocol/health";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import type { Runner } from "../../lib/verification/runner";
import { challengeStatus } from "../../lib/verification/status";
import { decodeTile, groupOfTile, tileStat } from "../../lib/verification/work";
import { CONSENT_LIFETIME_SECONDS, signConsent } from "../../lib/protocol/consent";
import {
  anvilAccount,
  anvilKey,
  artifactContract as artifact,
  ensureFreshPrice,
  LOCAL_CHAIN_ID,
  localSigner,
  startAnvil,
  withAutomine,
} from "../../scripts/lib/localchain";
import { BIN, ROOT } from "../../scripts/lib/paths";
import { freePort, startService, stop, stopAll, waitFor } from "../../scripts/lib/proc";
import { classIdHex, deployProtocol, type ProtocolAddresses } from "../../scripts/lib/protocol";
import { hostChain, type HostChain } from "../hostChain";
import { Prover, type ProvingState } from "./prover";
import { verifierChain, verifierAddress, type VerifierChain } from "./verifierChain";
import { Watcher } from "./watcher";

/** The chain and what the tests act with: the protocol, a provider with one listed 8-GPU host (staked, not yet
 * verified, so nothing is minted against it), a buyer, and the host's chain side as the agent has it. */
interface Bed {
  rpcUrl: string;
  contracts: ProtocolAddresses;
  provider: LocalSigner;
  buyer: LocalSigner;
  signerKey: Hex;
  hostId: bigint;
  chain: HostChain;
  advance: (seconds: number) => Promise<void>;
  read: <T>(address: Address, name: string, functionName: string, args?: unknown[]) => Promise<T>;
}
type LocalSigner = ReturnType<typeof localSigner>;

async function startBed(): Promise<Bed> {
  const anvil = await startAnvil({ port: await freePort(), blockTime: 1 });
  const { rpcUrl } = anvil;
  const deployer = localSigner(rpcUrl);
  const provider = localSigner(rpcUrl, anvilAccount(1));
  const buyer = localSigner(rpcUrl, anvilAccount(2));
  const signerKey = generatePrivateKey();
  const registryAbi = artifact("ProviderRegistry").abi;
  const { contracts, hostId } = await withAutomine(anvil, async () => {
    const contracts = await deployProtocol(rpcUrl);
    const now = (await deployer.client.getBlock()).timestamp;
    const deadline = now + BigInt(CONSENT_LIFETIME_SECONDS);
    const consent = await signConsent(privateKeyToAccount(signerKey), LOCAL_CHAIN_ID, contracts.ProviderRegistry, {
      provider: provider.address,
      deadline,
    });
    await provider.send(contracts.ProviderRegistry, registryAbi, "registerHost", [
      {
        signer: privateKeyToAccount(signerKey).address,
        classId: classIdHex("h100-sxm"),
        gpuCount: 8,
        listedUntil: now + 30n * 86_400n,
        endpoint: "https://host.example",
        region: "local",
      },
      deadline,
      consent,
    ]);
    const stake = parseUnits("100000", 6);
    await deployer.send(contracts.USDC, artifact("TestUSDC").abi, "mint", [provider.address, stake]);
    await provider.send(contracts.USDC, artifact("TestUSDC").abi, "approve", [contracts.ProviderRegistry, stake]);
    await provider.send(contracts.ProviderRegistry, registryAbi, "stake", [stake]);
    // The host's signer commits and reveals: it needs gas.
    await deployer.client.request({
      method: "anvil_setBalance" as never,
      params: [privateKeyToAccount(signerKey).address, toHex(10n ** 18n)] as never,
    });
    const hostId = (await deployer.client.readContract({
      address: contracts.ProviderRegistry,
      abi: registryAbi,
      functionName: "hostCount",
    })) as bigint;
    return { contracts, hostId };
  });
  const chain = hostChain({
    signerKey,
    operatorKey: anvilKey(7),
    provider: provider.address,
    rpcUrl,
    chainId: LOCAL_CHAIN_ID,
    hostId: Number(hostId),
    contracts: { JobEscrow: contracts.JobEscrow, ProviderRegistry: contracts.ProviderRegistry },
    runtime: "process",
    listen: "127.0.0.1:0",
    maxConcurrentJobs: 1,
    journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")),
    outputCapBytes: 1 << 20,
    heartbeatSeconds: 15,
    observeEverySeconds: 0,
    reapEverySeconds: 0,
    logRetentionDays: 14,
  });
  return {
    rpcUrl,
    contracts,
    provider,
    buyer,
    signerKey,
    hostId,
    chain,
    advance: async (seconds) => {
      await deployer.client.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
      await deployer.client.request({ method: "evm_mine" as never, params: [] as never });
    },
    read: <T>(address: Address, name: string, functionName: string, args: unknown[] = []) =>
      deployer.client.readContract({ address, abi: artifact(name).abi, functionName, args }) as Promise<T>,
  };
}

let bed: Bed;
let verifier: VerifierChain;
let address: Address;
let watcher: Watcher;
const stopWatching = new AbortController();
const watcherLog: string[] = [];

const verifierAbi = () => artifact("SupplyVerifier").abi;
const read = <T>(functionName: string, args: unknown[] = []) =>
  bed.read<T>(address, "SupplyVerifier", functionName, args);
const scuOf = (who: Address) => bed.read<bigint>(bed.contracts.ComputeCredit, "ComputeCredit", "balanceOf", [who]);
const chainNow = async () => Number((await bed.chain.client.getBlock()).timestamp);
const statusOf = async (id: bigint) => (await verifier.challenge(id)).status;

beforeAll(async () => {
  bed = await startBed();
  address = (await verifierAddress(bed.chain, undefined))!;
  expect(getAddress(address)).toBe(getAddress(bed.contracts.SupplyVerifier));
  verifier = verifierChain(bed.chain, address);
  watcher = new Watcher({ verifier, maxTileMacs: 2 ** 28, log: (line) => watcherLog.push(line), eventPollMs: 250 });
  void watcher.run(stopWatching.signal);
}, 180_000);
afterAll(async () => {
  stopWatching.abort();
  await stopAll();
});

/** Opens a challenge on the bed's host as `challenger`, first moving the chain past the host's duty-cycle gap. */
async function openChallenge(challenger: LocalSigner): Promise<bigint> {
  const { nextChallengeAt } = await verifier.verification(bed.hostId);
  const now = await chainNow();
  if (nextChallengeAt > now) await bed.advance(nextChallengeAt - now + 1);
  await challenger.send(address, verifierAbi(), "challenge", [bed.hostId]);
  return read<bigint>("challengeCount");
}

/** A prover for the bed's host on `runner`, with its own abort, logging into `log`. */
function proverOf(
  options: {
    runner?: Runner;
    revealRunner?: Runner;
    verifier?: VerifierChain;
    stateDir?: string;
    log?: string[];
  } = {},
) {
  const log = options.log ?? [];
  const halt = new AbortController();
  const prover = new Prover({
    verifier: options.verifier ?? verifier,
    runner: options.runner ?? cpuRunner,
    ...(options.revealRunner ? { revealRunner: options.revealRunner } : {}),
    hostId: () => bed.hostId,
    stateDir: options.stateDir ?? mkdtempSync(path.join(tmpdir(), "prover-")),
    log: (line) => log.push(line),
    pollMs: 500,
    eventPollMs: 250,
  });
  const running = prover.run(halt.signal);
  return { prover, halt, running, log };
}

/** A buyer's challenge that an agent keeping its statistics in `stateDir` commits, then dies as its reveal is about
 * to leave: what a restarted agent finds. */
async function commitThenDie(stateDir: string): Promise<bigint> {
  const first = new AbortController();
  const one = new Prover({
    verifier: {
      ...verifier,
      reveal: async () => {
        first.abort();
        throw new Error("the agent died");
      },
    },
    runner: cpuRunner,
    hostId: () => bed.hostId,
    stateDir,
    log: () => {},
    pollMs: 500,
    eventPollMs: 250,
  });
  const id = await openChallenge(bed.buyer);
  await one.run(first.signal);
  expect(await statusOf(id)).toBe("committed");
  return id;
}

/** Waits until challenge `id` is `status`, noting the prover's states on the way. */
async function until(id: bigint, status: string, prover?: Prover, seen?: Set<string>, timeoutMs = 120_000) {
  await waitFor(
    `challenge #${id} to be ${status}`,
    async () => {
      const state: ProvingState | undefined = prover?.state;
      if (state) seen?.add(state.phase);
      return (await statusOf(id)) === status;
    },
    timeoutMs,
  );
}

const fraudWindow = async () => (await verifier.windows()).fraudWindow;

describe("the prover", () => {
  it("proves its host for its provider at no fee: the host is verified, and its provider mints against it", async () => {
    const { prover, halt, running, log } = proverOf();
    try {
      // Nothing is minted against a host nobody verified (a new deployment has no SCU at all).
      await ensureFreshPrice(bed.rpcUrl, bed.contracts.ProviderRegistry);
      const registryAbi = artifact("ProviderRegistry").abi;
      await expect(
        bed.provider.send(bed.contracts.ProviderRegistry, registryAbi, "mint", [10n ** 18n, bed.buyer.address]),
      ).rejects.toThrow(/ExceedsCapacity/);
      const id = await openChallenge(bed.provider);
      expect((await verifier.challenge(id)).fee).toBe(0n);
      await until(id, "revealed", prover);
      await bed.advance(await fraudWindow());
      await until(id, "passed", prover);
      await waitFor("the prover to log the pass", async () =>
        log.some((line) => line.startsWith(`challenge #${id}: passed`)),
      );
      // Verified for days: the provider mints, and the buyer has credits to challenge with.
      await ensureFreshPrice(bed.rpcUrl, bed.contracts.ProviderRegistry);
      await bed.provider.send(bed.contracts.ProviderRegistry, registryAbi, "mint", [
        parseUnits("1000", 18),
        bed.buyer.address,
      ]);
      expect(await scuOf(bed.buyer.address)).toBe(parseUnits("1000", 18));
    } finally {
      halt.abort();
      await running;
    }
  }, 240_000);

  it("passes a buyer's challenge end to end: committed, revealed, finalized; its provider paid the fee", async () => {
    const { prover, halt, running, log } = proverOf();
    try {
      await bed.buyer.send(bed.contracts.ComputeCredit, artifact("ComputeCredit").abi, "approve", [
        address,
        2n ** 255n,
      ]);
      const providerScu = await scuOf(bed.provider.address);
      const id = await openChallenge(bed.buyer);
      const { fee } = await verifier.challenge(id);
      expect(fee).toBeGreaterThan(0n);
      const phases = new Set<string>();
      await until(id, "revealed", prover, phases);
      // The prover reads the status its reveal moved the challenge to.
      await waitFor("the prover to see its reveal", async () => prover.state?.phase === "revealed");
      expect(prover.state).toEqual({ challengeId: String(id), phase: "revealed", deadline: expect.any(Number) });
      // What /health carries while a challenge is open passes its schema.
      expect(
        hostHealthSchema.safeParse({
          version: "1",
          signer: bed.chain.signer,
          provider: bed.provider.address,
          runtime: "process",
          gpus: [],
          slots: { max: 1, free: 1 },
          proving: prover.state,
        }).success,
      ).toBe(true);
      // The watcher checks the reveal and finds every value right.
      await waitFor("the watcher to check it", async () => watcher.checked.includes(id), 60_000);
      expect(watcher.proven).not.toContain(id);
      // What the reveal carried, decoded from its calldata as the watcher does: per sample, a tile of T·N int32 and
      // its group's G uint64 statistics, the tile's own among them.
      const shape = await verifier.shape();
      const { tx } = (await verifier.revealedSince(1_000n)).find((r) => r.id === id)!;
      const call = (await verifier.revealCall(tx))!;
      const audited = (await verifier.auditIndices(id)).map(Number);
      expect(call.tiles.map((t) => hexToBytes(t).length)).toEqual(Array(8).fill(4 * shape.tileRows * shape.cols));
      expect(call.groupStats.map((g) => hexToBytes(g).length)).toEqual(Array(8).fill(8 * shape.groupTiles));
      call.groupStats.forEach((g, s) => {
        const { position } = groupOfTile(shape, audited[s]!);
        const stat = new DataView(hexToBytes(g).buffer).getBigUint64(position * 8);
        expect(stat).toBe(tileStat(decodeTile(hexToBytes(call.tiles[s]!), shape)));
      });

      await bed.advance(await fraudWindow());
      await until(id, "passed", prover, phases);
      expect(phases).toContain("revealed");
      const now = await chainNow();
      const v = await verifier.verification(bed.hostId);
      expect(v.failed).toBe(false);
      expect(v.verifiedUntil).toBeGreaterThan(now);
      expect(v.measuredMflops).toBeGreaterThan(0n);
      expect(await scuOf(bed.provider.address)).toBe(providerScu + fee);
      expect(log.join("\n")).toMatch(
        new RegExp(`challenge #${id}: computed in [\\d.]+ s; committed root 0x[0-9a-f]{64}`),
      );
      await waitFor("the prover to log the pass", async () =>
        log.some((line) => line.startsWith(`challenge #${id}: passed`)),
      );
      await waitFor("the prover to be idle", async () => prover.state === undefined, 10_000);
    } finally {
      halt.abort();
      await running;
    }
  }, 240_000);

  it("carries a challenge on after a restart past its commit: the restarted agent (`npm run host`) reveals from the kept statistics and passes", async () => {
    // The agent's journal folder: the prover keeps its statistics in verification/ there.
    const dir = mkdtempSync(path.join(tmpdir(), "host-agent-"));
    const stateDir = path.join(dir, "journal", "verification");
    const id = await commitThenDie(stateDir);
    const kept = path.join(stateDir, `challenge-${id}.stats`);
    const keptAt = statSync(kept).mtimeMs;

    // The real agent, started on the same journal: it finds the challenge on-chain and carries it on.
    const port = await freePort();
    const file = path.join(dir, "host.json");
    writeFileSync(
      file,
      JSON.stringify({
        signerKey: bed.signerKey,
        operatorKey: anvilKey(8),
        provider: bed.provider.address,
        rpcUrl: bed.rpcUrl,
        chainId: LOCAL_CHAIN_ID,
        hostId: Number(bed.hostId),
        contracts: { JobEscrow: bed.contracts.JobEscrow, ProviderRegistry: bed.contracts.ProviderRegistry },
        runtime: "process",
        listen: `127.0.0.1:${port}`,
        journalDir: "journal",
        observeEverySeconds: 0,
        reapEverySeconds: 0,
        verification: { watch: false },
      }),
    );
    const agent = startService("agent", path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
    const health = async () => (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as HostHealth;
    try {
      await waitFor("the agent", async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 60_000);
      await until(id, "revealed", undefined, undefined, 60_000);
      // /health says so while the fraud window runs (once the agent has read the status its reveal moved it to).
      await waitFor("/health to show the reveal", async () => (await health()).proving?.phase === "revealed");
      expect(hostHealthSchema.parse(await health()).proving).toEqual({
        challengeId: String(id),
        phase: "revealed",
        deadline: expect.any(Number),
      });
      // The statistics came from the disk: the file was read, not computed and written again.
      expect(statSync(kept).mtimeMs).toBe(keptAt);
      await bed.advance(await fraudWindow());
      await until(id, "passed", undefined, undefined, 60_000);
      expect((await verifier.verification(bed.hostId)).failed).toBe(false);
      // Nothing is kept of a finished challenge, and /health says no challenge is open.
      await waitFor(
        "the statistics to be dropped",
        async () => !readdirSync(stateDir).includes(`challenge-${id}.stats`),
      );
      await waitFor("/health to say so", async () => (await health()).proving === null);
    } finally {
      await stop(agent);
    }
    // It stopped on SIGTERM by itself, well inside the grace before a SIGKILL.
    expect(agent.signalCode).toBeNull();
    expect(agent.exitCode).toBe(0);
  }, 240_000);
});

/** A verifier that records every reveal the prover sends through it (before the chain sees it). */
function recordingReveals(base: VerifierChain): {
  verifier: VerifierChain;
  sent: Parameters<VerifierChain["reveal"]>[];
} {
  const sent: Parameters<VerifierChain["reveal"]>[] = [];
  return {
    sent,
    verifier: {
      ...base,
      reveal: (...args) => {
        sent.push(args);
        return base.reveal(...args);
      },
    },
  };
}

describe("the prover's statistics file", () => {
  it("refuses a file cut short before a restart, and says why: the restarted agent computes the statistics again and reveals what it committed", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "prover-"));
    const id = await commitThenDie(stateDir);
    const kept = path.join(stateDir, `challenge-${id}.stats`);
    const size = statSync(kept).size;
    const { rounds } = await verifier.challenge(id);
    // 8 bytes a tile, 8 tiles a round at the local shape.
    expect(size).toBe(rounds * 64);
    truncateSync(kept, size - 8);

    const { verifier: recording, sent } = recordingReveals(verifier);
    const { prover, halt, running, log } = proverOf({ verifier: recording, stateDir });
    try {
      await until(id, "revealed", prover);
      expect(log).toContain(
        `challenge #${id}: not revealing from the statistics kept at the commit: the statistics file ${kept} holds ` +
          `${size - 8} bytes, not the ${size} of ${rounds} rounds: it is not whole; computing them again on the cpu runner`,
      );
      // One reveal left the agent, and the verifier took it: none was tried from the cut file.
      expect(sent).toHaveLength(1);
      expect(statSync(kept).size).toBe(size);
      await waitFor("the watcher to check it", async () => watcher.checked.includes(id), 60_000);
      expect(watcher.proven).not.toContain(id);
      await bed.advance(await fraudWindow());
      await until(id, "passed", prover);
    } finally {
      halt.abort();
      await running;
    }
  }, 240_000);

  it("catches a file changed after its commit before a reveal is sent from it: the group read back does not give its committed leaf", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "prover-"));
    const { verifier: recording, sent } = recordingReveals(verifier);
    // Right after the commit lands, every statistic's lowest bit flips: the file keeps its size, so only the check of
    // what is read back against the committed leaves can find it.
    const changing: VerifierChain = {
      ...recording,
      commit: async (id, root) => {
        const result = await verifier.commit(id, root);
        const file = path.join(stateDir, `challenge-${id}.stats`);
        const bytes = readFileSync(file);
        for (let i = 7; i < bytes.length; i += 8) bytes[i]! ^= 1;
        writeFileSync(file, bytes);
        return result;
      },
    };
    const { prover, halt, running, log } = proverOf({ verifier: changing, stateDir });
    try {
      const id = await openChallenge(bed.buyer);
      await until(id, "revealed", prover);
      const kept = path.join(stateDir, `challenge-${id}.stats`);
      const lines = log.join("\n");
      expect(lines).toMatch(
        new RegExp(
          `challenge #${id}: the statistics file ${kept} changed since the commit: group \\d+'s statistics do not ` +
            `give its committed leaf; not revealing from it \\(the statistics are computed again\\); trying again`,
        ),
      );
      expect(lines).toContain(
        `challenge #${id}: not revealing from the statistics kept at the commit: the statistics file ${kept} is ` +
          `missing; computing them again on the cpu runner`,
      );
      expect(sent).toHaveLength(1);
      await bed.advance(await fraudWindow());
      await until(id, "passed", prover);
    } finally {
      halt.abort();
      await running;
    }
  }, 240_000);

  it("refuses to reveal a tile whose values do not give the committed statistic, and says why; an agent with the right tiles then reveals in time", async () => {
    // A reveal runner that answers each audited tile with the next tile's values (a wrong kernel, a mixed-up index):
    // the contract would refuse them (StatMismatch), so the agent must not send them.
    const shifted: Runner = {
      kind: "cpu",
      tiles: (seed, shape, indices, signal) =>
        cpuRunner.tiles(
          seed,
          shape,
          indices.map((t) => t ^ 1),
          signal,
        ),
      stats: (...args) => cpuRunner.stats(...args),
    };
    const stateDir = mkdtempSync(path.join(tmpdir(), "prover-"));
    const { verifier: recording, sent } = recordingReveals(verifier);
    const wrong = proverOf({ verifier: recording, revealRunner: shifted, stateDir });
    const id = await openChallenge(bed.buyer);
    try {
      await waitFor("the refusal", async () =>
        wrong.log.some((line) => line.includes("the commitment or this runner is wrong; not revealing")),
      );
      expect(wrong.log.join("\n")).toMatch(
        new RegExp(
          `challenge #${id}: tile \\d+ computed on the cpu runner has the statistic \\d+, the committed one is \\d+: ` +
            `the commitment or this runner is wrong; not revealing \\(the verifier would refuse it\\); trying again`,
        ),
      );
      expect(sent).toHaveLength(0);
      expect(await statusOf(id)).toBe("committed");
    } finally {
      wrong.halt.abort();
      await wrong.running;
    }
    // The same journal, the CPU's own tiles: revealed within the window, and the challenge passes.
    const { prover, halt, running } = proverOf({ verifier: recording, stateDir });
    try {
      await until(id, "revealed", prover);
      expect(sent).toHaveLength(1);
      await bed.advance(await fraudWindow());
      await until(id, "passed", prover);
    } finally {
      halt.abort();
      await running;
    }
  }, 240_000);
});

describe("the watcher", () => {
  it("proves fraud against a host that revealed a tile with two values swapped: the challenge fails", async () => {
    // The statistic is the sum of squares: swapping two different values of a tile keeps it, and the tile's leaf
    // and Merkle path with it. Only recomputing the values finds the lie.
    const lying: Runner = {
      kind: "cpu",
      stats: (...args) => cpuRunner.stats(...args),
      async tiles(...args) {
        const tiles = await cpuRunner.tiles(...args);
        const tile = tiles[0]!;
        const j = tile.findIndex((v, i) => i + 1 < tile.length && v !== tile[i + 1]);
        [tile[j], tile[j + 1]] = [tile[j + 1]!, tile[j]!];
        return tiles;
      },
    };
    const { prover, halt, running } = proverOf({ revealRunner: lying });
    try {
      const challengerScu = await scuOf(bed.buyer.address);
      const usdcOf = (who: Address) => bed.read<bigint>(bed.contracts.USDC, "TestUSDC", "balanceOf", [who]);
      const challengerUsdc = await usdcOf(bed.buyer.address);
      // The watcher sends its proof as the bed agent's operator: the reward is the prover's.
      const watcherAccount = anvilAccount(7).address;
      const watcherUsdc = await usdcOf(watcherAccount);
      const id = await openChallenge(bed.buyer);
      const { fee } = await verifier.challenge(id);
      expect(fee).toBeGreaterThan(0n);
      // The contract takes the reveal (the statistic and the Merkle path hold); the watcher's proof fails it.
      await until(id, "failed", prover, undefined, 180_000);
      expect((await verifier.challenge(id)).revealedAt).toBeGreaterThan(0);
      // The watcher's proof did it (it notes one once its transaction is mined).
      await waitFor("the watcher to note its proof", async () => watcher.proven.includes(id));
      expect(watcherLog.join("\n")).toMatch(
        new RegExp(
          `challenge #${id} \\(host #${bed.hostId}\\): tile 0, row \\d+, column \\d+ is -?\\d+, the work gives -?\\d+: proving fraud`,
        ),
      );
      expect(challengeStatus(Number((await read<{ status: number }>("challengeOf", [id])).status))).toBe("failed");
      expect((await verifier.verification(bed.hostId)).failed).toBe(true);
      // The provider's reliability shows it: one challenge failed.
      const [, , , , , , challengesFailed] = await bed.read<
        readonly [bigint, number, number, number, bigint, bigint, number]
      >(bed.contracts.ProviderRegistry, "ProviderRegistry", "reliabilityOf", [bed.provider.address]);
      expect(challengesFailed).toBe(1);
      // The fee went back to the challenger; the reward from the provider's stake to whoever proved the lie.
      expect(await scuOf(bed.buyer.address)).toBe(challengerScu);
      expect(await usdcOf(bed.buyer.address)).toBe(challengerUsdc);
      expect(await usdcOf(watcherAccount)).toBeGreaterThan(watcherUsdc);
    } finally {
      halt.abort();
      await running;
    }
  }, 240_000);
});
