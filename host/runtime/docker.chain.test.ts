/**
 * An agent restart with a live container, all real but the GPUs: anvil, the protocol's contracts, the host agent
 * with the docker runtime (made by the same factory as `npm run host`) and a real Docker engine. The agent dies
 * mid-job: from then on its chain calls never answer, and its journal is what the crash left (copied as it
 * stood). A new agent on that journal kills the container by name before anything else, bills the job to its
 * last heartbeat and is paid once. (There is no GPU here: the runs are given 0 GPUs, so the engine is never asked
 * for one.) On CI (`CI=true`) a missing engine fails the test rather than skipping it.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageCap } from "../../lib/jobs/cost";
import type { JobSpec } from "../../lib/jobs/spec";
import { jobStatus } from "../../lib/jobs/status";
import { startHostBed, stopHostBed, type HostBed } from "../../scripts/lib/hostbed";
import { nodeImage } from "../../scripts/lib/node-image";
import { waitFor } from "../../scripts/lib/proc";
import { HostAgent } from "../agent";
import { hostChain, type HostChain } from "../hostChain";
import type { HostConfig } from "../config";
import { dockerAvailable, dockerRuntimeFor, type DockerRuntime } from "./docker";
import type { Runtime } from "./types";

const engine = dockerAvailable();
if (!engine.ok && process.env.CI === "true") {
  describe("docker runtime on CI", () => {
    it("has a Docker engine to test against (.ci/run installs and starts one)", () => {
      throw new Error(`CI=true, yet ${engine.reason}`);
    });
  });
}

/** The runtime with every run given 0 GPUs: the jobs on-chain rent 2, and no engine here has any. */
const withoutGpus = (runtime: DockerRuntime): Runtime => ({
  name: runtime.name,
  run: (request) => runtime.run({ ...request, gpus: 0 }),
  killLeftovers: (jobIds) => runtime.killLeftovers(jobIds),
});

/** A chain whose every call hangs once `dead()` is true: an agent that died, as far as the chain can tell. */
const dying = (chain: HostChain, dead: () => boolean): HostChain =>
  Object.fromEntries(
    Object.entries(chain).map(([key, value]) => [
      key,
      typeof value === "function"
        ? (...args: unknown[]) =>
            dead() ? new Promise(() => {}) : (value as (...a: unknown[]) => unknown).apply(chain, args)
        : value,
    ]),
  ) as unknown as HostChain;

describe.runIf(engine.ok)("docker runtime: crash recovery", () => {
  let bed: HostBed;
  beforeAll(async () => {
    bed = await startHostBed();
  }, 120_000);
  afterAll(() => stopHostBed(bed));

  it("attack: the agent restarts under a live container: it is killed by name, billed to its last heartbeat, paid once", async () => {
    const spec: JobSpec = {
      version: 1,
      image: nodeImage(),
      command: ["node", "-e", "let left = 600; setInterval(() => console.log(`${left--} s left`), 1000)"],
      env: {},
    };
    const jobId = await bed.createJob(spec);
    const configIn = (journalDir: string): HostConfig => ({
      ...bed.config,
      journalDir,
      heartbeatSeconds: 1,
      runtime: "docker",
      docker: {
        network: "none",
        memoryMiBPerGpu: 256,
        cpusPerGpu: 0.5,
        pidsLimit: 64,
        tmpMiB: 32,
        shmMiB: 16,
        allowedRegistries: ["docker.io"],
        pull: "missing",
        gpuDevices: ["0", "1"],
      },
    });

    const first = configIn(mkdtempSync(path.join(tmpdir(), "host-journal-")));
    let dead = false;
    const firstRuntime = await dockerRuntimeFor(first);
    const agent = new HostAgent(
      first,
      dying(hostChain(first), () => dead),
      withoutGpus(firstRuntime),
    );
    const body = await bed.dispatchBody(jobId, spec);
    await agent.dispatch({ jobId, spec, expiry: BigInt(body.expiry), signature: body.signature });

    const container = firstRuntime.containerName(jobId);
    const running = () =>
      spawnSync("docker", ["container", "inspect", "--format", "{{.State.Running}}", container], {
        encoding: "utf8",
      }).stdout.trim() === "true";
    const file = path.join(first.journalDir, `job-${jobId}.json`);
    const entry = () => JSON.parse(readFileSync(file, "utf8")) as { runStartedAtMs?: number; updatedAt: number };
    await waitFor(
      "the job running, and a heartbeat journaled",
      async () => running() && entry().updatedAt - (entry().runStartedAtMs ?? Infinity) >= 1_500,
      30_000,
    );

    // The crash: the agent answers nothing more, its journal stays as it was, the container runs on.
    dead = true;
    const second = configIn(mkdtempSync(path.join(tmpdir(), "host-journal-")));
    cpSync(file, path.join(second.journalDir, `job-${jobId}.json`));
    const crashed = entry();
    await new Promise((r) => setTimeout(r, 2_000)); // down for a while: none of it is billed
    expect(running()).toBe(true);

    const restarted = new HostAgent(second, hostChain(second), withoutGpus(await dockerRuntimeFor(second)));
    await restarted.resume();
    expect(spawnSync("docker", ["container", "inspect", container]).status).not.toBe(0); // gone before anything else

    const journaled = () =>
      JSON.parse(readFileSync(path.join(second.journalDir, `job-${jobId}.json`), "utf8")) as {
        step: string;
        endReason: string;
        ranSeconds: number;
      };
    await waitFor("the receipt", async () => journaled().step === "submitted", 30_000);
    const job = await bed.job(jobId);
    expect(jobStatus(job.status)).toBe("submitted");
    expect(journaled().endReason).toBe("host-restarted");
    // Billed to the last heartbeat the crash left in the journal (the first minute's price), never the time down.
    const { ranSeconds } = journaled();
    expect(ranSeconds).toBe(Math.ceil((crashed.updatedAt - crashed.runStartedAtMs!) / 1000));
    expect(ranSeconds).toBeLessThan(6);
    expect(job.endedAt - job.startedAt).toBe(BigInt(ranSeconds));
    expect(job.used).toBe(usageCap(job.locked, 60, 3600));
  }, 120_000);
});
