/**
 * `npm run host -- --config <file>`: the GPU host agent a provider runs. Loads and checks its config, looks at
 * the machine, finds (or checks) the host it serves, carries on any job its journal left unfinished, keeps the
 * registry's price readings coming, and serves the job API.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { hexToString } from "viem";
import { LOCAL_CHAIN_ID } from "../lib/chain";
import { describeError } from "../lib/errors";
import { gpuClass, rating } from "../lib/scu/ratings";
import { HostAgent } from "./agent";
import { hostChain } from "./hostChain";
import { loadHostConfig } from "./config";
import { cpuMatmulGflops, detectGpus, ratingCheck } from "./gpu";
import { keepPriceFresh } from "./oracle";
import { releaseHeldGpus } from "./reaper";
import { dockerAvailable, dockerRuntimeFor } from "./runtime/docker";
import { ProcessRuntime } from "./runtime/process";
import { hostServer } from "./server";
import { startVerification } from "./verifier/service";

/** The longest a signal waits for the agent's duties to stop before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

const DEPLOYMENTS_DIR = path.resolve(import.meta.dirname, "../lib/contracts/deployments");

function deployment(chainId: number) {
  const file = path.join(DEPLOYMENTS_DIR, `${chainId}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, `0x${string}`>) : undefined;
}

/** The process runtime, with a warning that says what it does not protect. */
function processRuntime(chainId: number): ProcessRuntime {
  const runtime = ProcessRuntime.forThisMachine();
  if (chainId !== LOCAL_CHAIN_ID) {
    console.warn(
      `UNSAFE: the process runtime on chain ${chainId}: buyers' code runs on this machine with no container, no network or GPU isolation.`,
    );
  }
  if (!runtime.isolated) {
    console.warn(
      "warning: not run as root, the process runtime runs jobs as this user: a job can read this agent's config and keys.",
    );
  }
  return runtime;
}

export async function startHost(configFile: string) {
  const config = loadHostConfig(configFile, deployment);
  if (config.runtime === "docker") {
    const engine = dockerAvailable();
    if (!engine.ok) throw new Error(`${configFile}: runtime: "docker" needs a Docker engine: ${engine.reason}`);
  }
  const chain = hostChain(config);
  const gpus = await detectGpus();
  const gflops = cpuMatmulGflops();
  console.log(`CPU matmul benchmark: ${gflops.toFixed(2)} GFLOPS`);

  const agent = new HostAgent(
    config,
    chain,
    config.runtime === "docker" ? await dockerRuntimeFor(config) : processRuntime(config.chainId),
  );
  /** Says which host this agent serves, once it is known, and checks the machine against its class. */
  const announce = async (hostId: bigint) => {
    const host = await chain.host(hostId);
    const classId = hexToString(host.classId, { size: 32 });
    console.log(ratingCheck(classId, rating(gpuClass(classId)), gpus));
    console.log(`host #${hostId}: ${classId} × ${host.gpuCount}, signer ${chain.signer}, provider ${host.provider}`);
  };
  if (agent.hostId !== undefined) {
    await agent.checkConfiguredHost().catch((error: unknown) => {
      throw new Error(`${configFile}: ${describeError(error)}`);
    });
    await announce(agent.hostId);
  } else if ((await agent.identify()) !== undefined) {
    await announce(agent.hostId!);
  } else if (agent.foreignHostId === undefined) {
    console.log(
      `no host of provider ${config.provider} is registered with signer ${chain.signer} yet: register one from that ` +
        `account on the provider page (the agent signs its consent) and this agent serves it`,
    );
    const look = setInterval(() => {
      agent
        .identify()
        .then((found) => {
          if (found === undefined && agent.foreignHostId === undefined) return;
          clearInterval(look);
          return found === undefined ? undefined : announce(found);
        })
        .catch((error: unknown) => console.error(`looking for this agent's host: ${describeError(error)}`));
    }, 2_000);
    look.unref();
  }
  await agent.resume();
  agent.keepJournalBounded();
  agent.watchChain();
  keepPriceFresh(chain, config.observeEverySeconds);
  releaseHeldGpus(
    chain,
    () => agent.hostId,
    (jobId) => agent.ackOf(jobId),
    config.reapEverySeconds,
  );
  // Proving this host's throughput and checking everyone's proofs: stopped by `stop`, never ending the agent.
  const stopping = new AbortController();
  const verification = await startVerification(config, chain, () => agent.hostId, stopping.signal).catch(
    (error: unknown) => {
      console.error(`verification: not started: ${describeError(error)}`);
      return undefined;
    },
  );
  if (verification) {
    const runner = config.verification?.runner ?? "cpu";
    console.log(
      `verification: proving this host's challenges on the ${runner} runner` +
        (verification.watcher ? "; checking every host's reveals" : ""),
    );
  } else {
    console.log("verification: this chain's registry names no supply verifier: nothing to prove");
  }
  const server = hostServer(agent, () => ({
    hostId: agent.hostId === undefined ? null : Number(agent.hostId),
    signer: chain.signer,
    provider: config.provider,
    runtime: config.runtime,
    maxJobs: config.maxConcurrentJobs,
    gpus: gpus.map((g) => ({ name: g.name, memoryMiB: g.memoryMiB })),
    benchmark: { cpuMatmulGflops: gflops },
    ...(verification ? { proving: verification.proving() } : {}),
  }));
  const separator = config.listen.lastIndexOf(":");
  const [hostname, port] = [config.listen.slice(0, separator), Number(config.listen.slice(separator + 1))];
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  console.log(`listening on http://${config.listen}`);
  /** Stops proving and watching (a step under way is abandoned: the chain keeps its state, and the next start
   * carries it on) and closes the server. */
  const stop = async () => {
    stopping.abort();
    server.close();
    server.closeAllConnections();
    await verification?.done;
  };
  return { server, agent, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { config: { type: "string" } } });
  if (!values.config) {
    console.error("usage: npm run host -- --config <file>");
    process.exit(2);
  }
  startHost(values.config).then(
    ({ stop }) => {
      // A challenge's computation yields to the loop: a signal stops it within its step, then the agent exits.
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
          console.log(`${signal}: stopping`);
          const forced = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
          void stop().finally(() => {
            clearTimeout(forced);
            process.exit(0);
          });
        });
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
