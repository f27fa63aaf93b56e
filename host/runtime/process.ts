/**
 * The process runtime, for development and CI on the local chain (the agent refuses it on any other chain
 * unless its config carries the loudly named unsafe flag, host/config.ts): runs a spec's command on this
 * machine, without a shell, in a fresh private folder, with an allow-listed environment, a wall-clock limit
 * and capped output.
 *
 * Run by root, the agent runs each job as a user of its own (JobUsers: a uid with no groups, no home, no
 * login), which is what keeps the agent's keys from the job: it cannot read the agent's config (mode 0600),
 * its environment or memory (/proc/<agent>/environ and mem are the agent user's), its journal (mode 0700), nor
 * another job's folder, output or processes; and ending the job kills every process of that user, those that
 * left its process group or detached included, then deletes what it left at the top of the shared temp folders. Run by
 * any other user, jobs run as that user and can read all of the agent's (its config, so its keys): fine for
 * the local chain's well-known development keys, and why nothing else may use it so. It isolates no network
 * and no GPU: real GPU hosts use the docker runtime.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chownSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { supervise } from "./supervise";
import type { RunRequest, RunResult, RunningJob, Runtime, ServiceAddress } from "./types";

/** Executables a spec may name, and what runs for each: never whatever is first on the host's PATH. */
const EXECUTABLES: Record<string, string> = { node: process.execPath };
/** The host's environment a job sees; everything else comes from its spec. */
const ENV_ALLOW_LIST = ["LANG", "TZ"];
/** Time a stopped job gets to exit on SIGTERM before its processes are killed. */
const STOP_GRACE_MS = 2_000;
/** Shared folders any user can write to: a job's leftovers there are deleted when it ends, so that the next
 * job given its user finds nothing of it. */
const SHARED_TEMP_DIRS = ["/tmp", "/var/tmp", "/dev/shm"];

/**
 * The users jobs run as: `count` uids from `first`, handed out least recently used first so that a uid comes
 * back only after every other one did. Far above the ranges distributions give people and services (1000–60000)
 * and user namespaces (100000 + 65536 per user), so no one else's files or processes share them.
 */
export interface JobUsers {
  first: number;
  count: number;
}
export const DEFAULT_JOB_USERS: JobUsers = { first: 3_000_000, count: 1024 };

export class ProcessRuntime implements Runtime {
  readonly name = "process" as const;
  private readonly idle: number[];

  /** `users`: run each job as its own user (needs root); left out, jobs run as the agent's user. */
  constructor(private readonly users?: JobUsers) {
    if (users && process.getuid?.() !== 0)
      throw new Error("the process runtime can run jobs as their own users only when the agent runs as root");
    this.idle = users ? Array.from({ length: users.count }, (_, i) => users.first + i) : [];
  }

  /** Isolated per job when the agent runs as root, else as the agent's user (see the top of this file). */
  static forThisMachine(): ProcessRuntime {
    return new ProcessRuntime(process.getuid?.() === 0 ? DEFAULT_JOB_USERS : undefined);
  }

  /** Whether jobs run as users of their own. */
  get isolated(): boolean {
    return this.users !== undefined;
  }

  run(request: RunRequest): RunningJob {
    const startedAt = Date.now();
    const refuse = (error: string): RunningJob => {
      const result: RunResult = {
        reason: "failed-to-start",
        exitCode: null,
        signal: null,
        outputBytes: 0,
        startedAt,
        endedAt: startedAt,
        error,
      };
      return { done: Promise.resolve(result), stop: () => undefined };
    };
    const [command, ...args] = request.spec.command;
    const executable = EXECUTABLES[command!];
    if (!executable)
      return refuse(`the process runtime runs only ${Object.keys(EXECUTABLES).join(", ")}, not "${command}"`);
    // No network namespace here: each declared port is served on a free loopback port, which the job is told.
    const ports = new Map<number, number>();
    const declared = request.spec.ports ?? [];
    try {
      freeLoopbackPorts(declared.length).forEach((local, i) => ports.set(declared[i]!, local));
    } catch (error) {
      return refuse((error as Error).message);
    }
    const uid = this.users ? this.idle.shift() : undefined;
    if (this.users && uid === undefined) return refuse("every job user is busy");

    // mkdtemp makes it 0700: the job's user alone may enter it once it owns it.
    const workDir = mkdtempSync(path.join(tmpdir(), `hourglass-job-${request.jobId}-`));
    if (uid !== undefined) chownSync(workDir, uid, uid);
    const env: Record<string, string> = { HOME: workDir, TMPDIR: workDir, HOURGLASS_JOB_ID: String(request.jobId) };
    for (const name of ENV_ALLOW_LIST) if (process.env[name] !== undefined) env[name] = process.env[name]!;
    Object.assign(env, request.spec.env, { HOURGLASS_GPUS: String(request.gpus) });
    for (const [port, local] of ports) env[`HOURGLASS_PORT_${port}`] = String(local);
    // The job's files inside its own folder, the one place its user can reach (the agent's folders above the
    // staged ones are the agent's alone): its inputs copied in read-only, its outputs copied out when it ends.
    const outputs = request.files && path.join(workDir, "outputs");
    if (request.files && outputs) {
      const inputs = path.join(workDir, "inputs");
      cpSync(request.files.inputsDir, inputs, { recursive: true });
      mkdirSync(outputs);
      if (uid !== undefined) chownSync(outputs, uid, uid);
      env.HOURGLASS_INPUTS = inputs;
      env.HOURGLASS_OUTPUTS = outputs;
    }

    const child = spawn(executable, args, {
      cwd: workDir,
      env: env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      shell: false,
      // libuv drops every supplementary group when it changes the user.
      ...(uid !== undefined ? { uid, gid: uid } : {}),
    });
    const killAll = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
      if (uid !== undefined && signal === "SIGKILL") killUser(uid);
    };
    let ended = false;
    const job = supervise(child, request, {
      kill: () => {
        killAll("SIGTERM");
        setTimeout(() => killAll("SIGKILL"), STOP_GRACE_MS).unref();
      },
      cleanUp: () => {
        killAll("SIGKILL"); // anything the job left running, in its group or not
        ended = true;
        // Moved out whole (its processes are dead), for the agent to keep within its caps; copied, links as links,
        // only when the two folders are on different filesystems.
        if (request.files && outputs) {
          try {
            rmSync(request.files.outputsDir, { recursive: true, force: true });
            try {
              renameSync(outputs, request.files.outputsDir);
            } catch {
              cpSync(outputs, request.files.outputsDir, { recursive: true, verbatimSymlinks: true, force: true });
            }
          } catch (error) {
            console.error(`job #${request.jobId}: its outputs were not kept: ${(error as Error).message}`);
          }
        }
        rmSync(workDir, { recursive: true, force: true });
        if (uid !== undefined) {
          removeFilesOf(uid);
          this.idle.push(uid);
        }
      },
    });
    const serviceAddress = async (port: number): Promise<ServiceAddress | undefined> => {
      const local = ports.get(port);
      return local === undefined || ended ? undefined : { host: "127.0.0.1", port: local };
    };
    return { ...job, serviceAddress };
  }

  /** After a restart: every process of a job user dies (the previous agent's runs), and their leftovers go. */
  async killLeftovers(): Promise<string[]> {
    if (!this.users) return [];
    const { first, count } = this.users;
    const found = [
      ...new Set(
        processes()
          .filter((p) => p.uid >= first && p.uid < first + count)
          .map((p) => p.uid),
      ),
    ];
    for (const uid of found) {
      killUser(uid);
      removeFilesOf(uid);
    }
    return found.map((uid) => `the processes of job user ${uid}`);
  }
}

/** `count` loopback ports free now (the kernel's pick for a socket bound to port 0), found synchronously: the run
 * is set up before anything awaits. */
function freeLoopbackPorts(count: number): number[] {
  if (count === 0) return [];
  const script =
    "const net = require('node:net'); const n = Number(process.argv[1]); const servers = [];" +
    "const next = () => { if (servers.length === n) { console.log(servers.map((s) => s.address().port).join(',')); servers.forEach((s) => s.close()); return; }" +
    "const s = net.createServer(); servers.push(s); s.listen(0, '127.0.0.1', next); }; next();";
  const found = spawnSync(process.execPath, ["-e", script, String(count)], { encoding: "utf8", timeout: 10_000 });
  const ports = found.stdout.trim().split(",").map(Number);
  if (found.status !== 0 || ports.length !== count || ports.some((p) => !(p > 0)))
    throw new Error(`finding free ports for the job's services: ${found.stderr || found.error?.message}`);
  return ports;
}

/** Live (not zombie) processes on this machine with their real uid, from /proc. */
function processes(): { pid: number; uid: number }[] {
  const list: { pid: number; uid: number }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, "utf8");
      if (/^State:\s+[ZX]/m.test(status)) continue;
      const uid = /^Uid:\s+(\d+)/m.exec(status);
      if (uid) list.push({ pid: Number(name), uid: Number(uid[1]) });
    } catch {
      // It ended while we looked.
    }
  }
  return list;
}

/**
 * Kills every process of `uid`: `kill(-1, SIGKILL)` sent as that user reaches all of that user's processes and
 * nothing else, whatever group or session they moved to. Repeated while any is left (one may have forked
 * between the scan and the kill), a bounded number of times.
 */
export function killUser(uid: number): void {
  for (let round = 0; round < 20 && processes().some((p) => p.uid === uid); round++) {
    spawnSync(process.execPath, ["-e", "try { process.kill(-1, 'SIGKILL') } catch {}"], {
      uid,
      gid: uid,
      stdio: "ignore",
      timeout: 5_000,
    });
  }
}

/** Deletes what `uid` left at the top of the shared temp folders (a job can create nothing deeper there but in
 * folders other users made writable to all, which those folders are not meant to be). */
function removeFilesOf(uid: number): void {
  for (const dir of SHARED_TEMP_DIRS) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const entry = path.join(dir, name);
      try {
        if (lstatSync(entry).uid === uid) rmSync(entry, { recursive: true, force: true });
      } catch {
        // Gone already.
      }
    }
  }
}
