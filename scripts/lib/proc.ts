/** Child processes for dev and test orchestration: prefixed logs, and every child stopped on the way out. */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";

const COLORS = [36, 35, 33, 32, 34, 31];
const children = new Set<ChildProcess>();
let colorIndex = 0;

function prefixLines(prefix: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) {
  if (!stream) return;
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) out.write(`${prefix} ${line}\n`);
  });
  stream.on("end", () => buffered && out.write(`${prefix} ${buffered}\n`));
}

export function makePrefix(name: string): string {
  const color = COLORS[colorIndex++ % COLORS.length];
  const label = `[${name}]`.padEnd(9);
  return process.stdout.isTTY ? `\x1b[${color}m${label}\x1b[0m` : label;
}

/**
 * Starts a long-running child in its own process group (so stopping it stops what it spawned), with each
 * output line prefixed by `name`.
 */
export function startService(name: string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = makePrefix(name);
  prefixLines(prefix, child.stdout, process.stdout);
  prefixLines(prefix, child.stderr, process.stderr);
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

/** Runs a command to completion with prefixed output; rejects with its exit code. */
export function run(name: string, command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  const child = startService(name, command, args, options);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${name}: \`${command} ${args.join(" ")}\` exited with ${code ?? signal}`)),
    );
  });
}

/** Stops one child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every child this process started, newest first (the app before the chain it reads). */
export async function stopAll(): Promise<void> {
  for (const child of [...children].reverse()) await stop(child);
}

/** Throws a clear error when something already listens on `port`. */
export async function assertPortFree(port: number, what: string, remedy: string): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
  if (inUse) {
    throw new Error(
      `Port ${port} (${what}) is already in use. Stop whatever holds it (\`lsof -i :${port}\` shows it) or ${remedy}.`,
    );
  }
}

/** Polls `check` until it resolves true, or throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

/** A TCP port nothing listens on right now, for throwaway test services. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Whether `pid` is running: alive and not a zombie (in a container nothing may reap a killed orphan, so it
 * lingers as one). Tests use it to prove a job's whole process tree is gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true; // no /proc: kill(0) is all there is
  }
}
