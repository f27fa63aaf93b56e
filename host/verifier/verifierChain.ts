/**
 * What the prover and the watcher read from and send to the SupplyVerifier: a challenge, its seed and audit
 * indices, the host's verification, the deployment's work shape and windows; commit and reveal (as the host
 * signer: the verifier takes them from no one else), finalize and proveFraud (as the operator, who pays the
 * agent's other gas). Every send goes through the agent's own per-account queue (hostChain.transact), so a commit
 * never races a `start` for a nonce.
 */
import { decodeFunctionData, zeroAddress, type Address, type Hex } from "viem";
import { providerRegistryAbi, supplyVerifierAbi } from "../../lib/contracts/abis";
import { inBlockRanges } from "../../lib/logs";
import { challengeStatus, type ChallengeStatus } from "../../lib/verification/status";
import type { WorkShape } from "../../lib/verification/work";
import type { HostChain } from "../hostChain";

/** A challenge as the verifier holds it (`challengeOf`); times are unix seconds and blocks numbers, 0 until set. */
export interface Challenge {
  id: bigint;
  hostId: bigint;
  status: ChallengeStatus;
  rounds: number;
  gpus: number;
  fee: bigint;
  begunAt: number;
  seedBlock: bigint;
  commitBy: number;
  committedAt: number;
  commitBlock: bigint;
  revealedAt: number;
  seed: Hex;
  root: Hex;
  revealHash: Hex;
}

/** Seconds after a commit that its reveal is taken, and after a reveal that anyone may prove fraud. */
export interface VerifierWindows {
  revealWindow: number;
  fraudWindow: number;
}

/** `reveal`'s arguments as its transaction carried them. */
export interface RevealCall {
  challengeId: bigint;
  /** The audited tiles' values (T·N int32 big-endian each), in sample order. */
  tiles: Hex[];
  /** Each sample's group's statistics (G uint64 big-endian). */
  groupStats: Hex[];
  /** Each sample's group's Merkle proof. */
  proofs: Hex[][];
}

/** The verifier `config` names, or else the one the registry was wired to; undefined when it has none. */
export async function verifierAddress(chain: HostChain, configured: Address | undefined): Promise<Address | undefined> {
  if (configured) return configured;
  const wired = await chain.client.readContract({
    address: chain.registry,
    abi: providerRegistryAbi,
    functionName: "verifier",
  });
  return wired === zeroAddress ? undefined : wired;
}

export function verifierChain(chain: HostChain, address: Address) {
  const { client } = chain;
  const contract = { address, abi: supplyVerifierAbi } as const;
  let shape: WorkShape | undefined;
  let windows: VerifierWindows | undefined;

  return {
    address,
    client,

    async challenge(id: bigint): Promise<Challenge> {
      const c = await client.readContract({ ...contract, functionName: "challengeOf", args: [id] });
      return {
        id,
        hostId: BigInt(c.hostId),
        status: challengeStatus(c.status),
        rounds: Number(c.rounds),
        gpus: Number(c.gpus),
        fee: BigInt(c.fee),
        begunAt: Number(c.begunAt),
        seedBlock: BigInt(c.seedBlock),
        commitBy: Number(c.commitBy),
        committedAt: Number(c.committedAt),
        commitBlock: BigInt(c.commitBlock),
        revealedAt: Number(c.revealedAt),
        seed: c.seed,
        root: c.root,
        revealHash: c.revealHash,
      };
    },

    /** The host's latest challenge id (0: never challenged). */
    async lastChallengeId(hostId: bigint): Promise<bigint> {
      const [, , , , lastChallengeId] = await client.readContract({
        ...contract,
        functionName: "hostVerification",
        args: [hostId],
      });
      return BigInt(lastChallengeId);
    },

    /** The host's verification: until when it holds (unix seconds, 0: never passed), whether it failed, what its
     * last pass measured (MFLOP/s) and when the next challenge may begin. */
    async verification(
      hostId: bigint,
    ): Promise<{ verifiedUntil: number; failed: boolean; measuredMflops: bigint; nextChallengeAt: number }> {
      const [verifiedUntil, measuredMflops, , , , nextChallengeAt, failed] = await client.readContract({
        ...contract,
        functionName: "hostVerification",
        args: [hostId],
      });
      return {
        verifiedUntil: Number(verifiedUntil),
        failed,
        measuredMflops: BigInt(measuredMflops),
        nextChallengeAt: Number(nextChallengeAt),
      };
    },

    /** The challenge's seed; 0x00…0 before its seed block is mined (and past 256 blocks after it). */
    seedOf: (id: bigint): Promise<Hex> => client.readContract({ ...contract, functionName: "seedOf", args: [id] }),

    /** The deployment's work shape (immutable: read once). */
    async shape(): Promise<WorkShape> {
      if (!shape) {
        const s = await client.readContract({ ...contract, functionName: "shape" });
        shape = {
          rows: Number(s.rows),
          cols: Number(s.cols),
          inner: Number(s.inner),
          tileRows: Number(s.tileRows),
          groupTiles: Number(s.groupTiles),
        };
      }
      return shape;
    },

    /** The reveal and fraud windows (immutable: read once). */
    async windows(): Promise<VerifierWindows> {
      if (!windows) {
        const [revealWindow, fraudWindow] = await Promise.all([
          client.readContract({ ...contract, functionName: "revealWindow" }),
          client.readContract({ ...contract, functionName: "fraudWindow" }),
        ]);
        windows = { revealWindow: Number(revealWindow), fraudWindow: Number(fraudWindow) };
      }
      return windows;
    },

    /** The 8 audited tile indices, once the block after the commit is mined (the read reverts before). */
    async auditIndices(id: bigint): Promise<bigint[]> {
      const indices = await client.readContract({ ...contract, functionName: "auditIndices", args: [id] });
      return indices.map((i) => BigInt(i));
    },

    blockNumber: () => client.getBlockNumber({ cacheTime: 0 }),

    now: chain.now,

    /** Pending → Proving, once the host's GPUs are free (anyone may). */
    begin: (id: bigint) => chain.transact("operator", contract, "begin", [id]),

    commit: (id: bigint, root: Hex) => chain.transact("signer", contract, "commit", [id, root]),

    /** The audited tiles, their groups' statistics and the groups' proofs, in sample order. */
    reveal: (id: bigint, tiles: readonly Hex[], groupStats: readonly Hex[], proofs: readonly (readonly Hex[])[]) =>
      chain.transact("signer", contract, "reveal", [id, tiles, groupStats, proofs]),

    finalize: (id: bigint) => chain.transact("operator", contract, "finalize", [id]),

    proveFraud: (id: bigint, sample: number, tile: Hex, tileHashes: readonly Hex[], row: number, col: number) =>
      chain.transact("operator", contract, "proveFraud", [
        id,
        BigInt(sample),
        tile,
        tileHashes,
        BigInt(row),
        BigInt(col),
      ]),

    /** Calls `onBegun` for every challenge that begins on host `hostId` from now on; returns the unwatch function. */
    watchBegun(hostId: bigint, onBegun: (id: bigint) => void, pollingInterval = 2_000): () => void {
      return client.watchContractEvent({
        ...contract,
        eventName: "ChallengeBegun",
        args: { hostId },
        pollingInterval,
        onLogs: (logs) => {
          for (const log of logs) if (log.args.id !== undefined) onBegun(log.args.id);
        },
        onError: (error) => console.error(`watching challenges: ${error.message}`),
      });
    },

    /** Calls `onRevealed` with every reveal (any host) from now on, and its transaction; returns the unwatch. */
    watchRevealed(onRevealed: (id: bigint, tx: Hex) => void, pollingInterval = 2_000): () => void {
      return client.watchContractEvent({
        ...contract,
        eventName: "Revealed",
        pollingInterval,
        onLogs: (logs) => {
          for (const log of logs)
            if (log.args.id !== undefined && log.transactionHash) onRevealed(log.args.id, log.transactionHash);
        },
        onError: (error) => console.error(`watching reveals: ${error.message}`),
      });
    },

    /** The reveals of the last `blocks` blocks (read in bounded ranges), oldest first. */
    async revealedSince(blocks: bigint): Promise<{ id: bigint; tx: Hex }[]> {
      const latest = await client.getBlockNumber();
      const from = latest > blocks ? latest - blocks : 0n;
      const logs = await inBlockRanges(from, latest, (range) =>
        client.getContractEvents({ ...contract, eventName: "Revealed", ...range }),
      );
      return logs.flatMap((log) =>
        log.args.id !== undefined && log.transactionHash ? [{ id: log.args.id, tx: log.transactionHash }] : [],
      );
    },

    /**
     * The `reveal` call transaction `tx` carried, decoded from its calldata; undefined when it was not a direct call
     * of the verifier's `reveal` (a contract wallet's call, for one: its tiles are then in a trace, not the input).
     */
    async revealCall(tx: Hex): Promise<RevealCall | undefined> {
      const transaction = await client.getTransaction({ hash: tx });
      if (transaction.to?.toLowerCase() !== address.toLowerCase()) return undefined;
      try {
        const call = decodeFunctionData({ abi: supplyVerifierAbi, data: transaction.input });
        if (call.functionName !== "reveal") return undefined;
        const [challengeId, tiles, groupStats, proofs] = call.args as unknown as [bigint, Hex[], Hex[], Hex[][]];
        return { challengeId, tiles: [...tiles], groupStats: [...groupStats], proofs: proofs.map((p) => [...p]) };
      } catch {
        return undefined;
      }
    },
  };
}

export type VerifierChain = ReturnType<typeof verifierChain>;
