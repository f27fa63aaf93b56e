/**
 * `npm run host -- --config <file>`: the GPU host agent a provider runs. Loads and checks its config, looks at
 * the machine, carries on any job its journal left unfinished, and serves the job API.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { hexToString } from "viem";
import { providerRegistryAbi } from "../lib/contracts/abis";
import { gpuClass, rating } from "../lib/scu/ratings";
import { HostAgent } from "./agent";
import { hostChain } from "./chain";
import { loadHostConfig } from "./config";
import { cpuMatmulGflops, detectGpus, ratingCheck } from "./gpu";
import { DockerRuntime, dockerAvailable } from "./runtime/docker";
import { ProcessRuntime } from "./runtime/process";
import { hostServer } from "./server";

const DEPLOYMENTS_DIR = path.resolve(import.meta.dirname, "../lib/contracts/deployments");

function deployment(chainId: number) {
  const file = path.join(DEPLOYMENTS_DIR, `${chainId}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, `0x${string}`>) : undefined;
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

  const agent = new HostAgent(config, chain, config.runtime === "docker" ? new DockerRuntime() : new ProcessRuntime());
  /** Says which host this agent serves, once it is known, and checks the machine against its class. */
  const announce = async (hostId: bigint) => {
    const host = await chain.client.readContract({
      address: config.contracts.ProviderRegistry, abi: providerRegistryAbi, functionName: "host", args: [hostId],
    });
    if (host.signer.toLowerCase() !== chain.signer.toLowerCase()) {
      throw new Error(`${configFile}: signerKey: its address ${chain.signer} is not host #${hostId}'s signer (${host.signer})`);
    }
    const classId = hexToString(host.classId, { size: 32 });
    console.log(ratingCheck(classId, rating(gpuClass(classId)), gpus));
    console.log(`host #${hostId}: ${classId} × ${host.gpuCount}, signer ${chain.signer}`);
  };
  const hostId = await agent.identify();
  if (hostId !== undefined) await announce(hostId);
  else {
    console.log(`no host is registered with signer ${chain.signer} yet: register one from the provider page and this agent serves it`);
    const look = setInterval(() => {
      agent
        .identify()
        .then((found) => {
          if (found === undefined) return;
          clearInterval(look);
          return announce(found);
        })
        .catch((error: unknown) => console.error(`looking for this agent's host: ${error instanceof Error ? error.message : String(error)}`));
    }, 2_000);
    look.unref();
  }
  await agent.resume();
  agent.watchChain();
  const server = hostServer(agent, () => ({
    hostId: agent.hostId === undefined ? null : Number(agent.hostId), signer: chain.signer, runtime: config.runtime,
    maxJobs: config.maxConcurrentJobs, gpus: gpus.map((g) => ({ name: g.name, memoryMiB: g.memoryMiB })),
    benchmark: { cpuMatmulGflops: gflops },
  }));
  const separator = config.listen.lastIndexOf(":");
  const [hostname, port] = [config.listen.slice(0, separator), Number(config.listen.slice(separator + 1))];
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  console.log(`listening on http://${config.listen}`);
  return { server, agent };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { config: { type: "string" } } });
  if (!values.config) {
    console.error("usage: npm run host -- --config <file>");
    process.exit(2);
  }
  startHost(values.config).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
