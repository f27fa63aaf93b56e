/**
 * The agent's verification duties, started together and stopped by one abort: the prover for its own host
 * (always, once the verifier is known) and the watcher of everyone's reveals (`verification.watch`).
 */
import path from "node:path";
import { describeError } from "../../lib/errors";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import type { Runner } from "../../lib/verification/runner";
import { VERIFICATION_DEFAULTS, type HostConfig, type VerificationConfig } from "../config";
import type { HostChain } from "../hostChain";
import { Prover, type ProvingState } from "./prover";
import { torchRunner } from "./torchRunner";
import { verifierAddress, verifierChain } from "./verifierChain";
import { Watcher } from "./watcher";

/** The runner the config names, for a challenge of `gpus` GPUs. The torch runner runs the configured command (a
 * Python with torch, or a wrapper that ends in one, such as a `docker run` of an image with torch and the GPUs). */
export function runnerFor(verification: VerificationConfig): Runner | ((gpus: number) => Runner) {
  if (verification.runner === "cpu") return cpuRunner;
  const command = verification.torchCommand ?? [verification.python ?? "python3"];
  return (gpus) => torchRunner({ command, device: "cuda", gpus });
}

export interface Verification {
  /** The open challenge of the agent's host, for `/health`. */
  readonly proving: () => ProvingState | null;
  readonly prover: Prover;
  readonly watcher: Watcher | undefined;
  /** Resolves when both have stopped (after `signal` aborts). */
  readonly done: Promise<void>;
}

/**
 * Starts the duties until `signal` aborts. `hostId` names the agent's host once it is known (it may be registered
 * after the agent starts). Resolves once the verifier's address is read: undefined when the chain has none.
 */
export async function startVerification(
  config: HostConfig,
  chain: HostChain,
  hostId: () => bigint | undefined,
  signal: AbortSignal,
  options: { pollMs?: number; eventPollMs?: number; runner?: Runner | ((gpus: number) => Runner) } = {},
): Promise<Verification | undefined> {
  const settings = config.verification ?? VERIFICATION_DEFAULTS;
  const address = await verifierAddress(chain, config.contracts.SupplyVerifier);
  if (!address) return undefined;
  const verifier = verifierChain(chain, address);
  const prover = new Prover({
    verifier,
    runner: options.runner ?? runnerFor(settings),
    hostId,
    // Beside the job journal: the agent's own folder, which jobs cannot read.
    stateDir: path.join(config.journalDir, "verification"),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.eventPollMs ? { eventPollMs: options.eventPollMs } : {}),
  });
  const watcher = settings.watch
    ? new Watcher({
        verifier,
        maxTileMacs: settings.watchMaxTileMacs,
        ...(options.eventPollMs ? { eventPollMs: options.eventPollMs } : {}),
      })
    : undefined;
  const guard = (name: string, work: Promise<void>) =>
    work.catch((error: unknown) => console.error(`verification: the ${name} stopped: ${describeError(error)}`));
  const done = Promise.all([
    guard("prover", prover.run(signal)),
    watcher ? guard("watcher", watcher.run(signal)) : Promise.resolve(),
  ]).then(() => undefined);
  return { proving: () => prover.state ?? null, prover, watcher, done };
}
