import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { JobSpec } from "../../lib/jobs/spec";
import { isRunning as alive, waitFor } from "../../scripts/lib/proc";
import { Journal } from "../journal";
import { ProcessRuntime } from "./process";
import type { LogStream, RunRequest } from "./types";

const runtime = new ProcessRuntime();

function run(code: string, overrides: Partial<RunRequest> = {}, env: Record<string, string> = {}) {
  const logs: { stream: LogStream; text: string }[] = [];
  const spec: JobSpec = { version: 1, image: "node:22-slim", command: ["node", "-e", code], env };
  const job = runtime.run({
    jobId: 1n,
    spec,
    gpus: 1,
    timeLimitMs: 10_000,
    outputCapBytes: 1 << 20,
    onLog: (stream, text) => logs.push({ stream, text }),
    ...overrides,
  });
  const text = (stream: LogStream) =>
    logs
      .filter((l) => l.stream === stream)
      .map((l) => l.text)
      .join("");
  return { job, logs, text };
}

describe("process runtime", () => {
  it("runs the command without a shell and streams both outputs", async () => {
    const { job, text } = run("console.log('hello $HOME'); console.error('warn'); process.exit(3)");
    const result = await job.done;
    expect(result).toMatchObject({ reason: "exited", exitCode: 3 });
    expect(text("stdout")).toBe("hello $HOME\n");
    expect(text("stderr")).toBe("warn\n");
  });

  it("passes the spec's env and none of the host's secrets", async () => {
    process.env.HOURGLASS_TEST_SECRET = "s3cret";
    const { job, text } = run("console.log(JSON.stringify(process.env))", {}, { SIZE: "64" });
    await job.done;
    const env = JSON.parse(text("stdout")) as Record<string, string>;
    expect(env.SIZE).toBe("64");
    expect(env.HOURGLASS_JOB_ID).toBe("1");
    expect(env.HOURGLASS_TEST_SECRET).toBeUndefined();
    expect(env.PATH).toBeUndefined();
  });

  it("kills the whole process tree at the time limit", async () => {
    const code = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      console.log(child.pid);
      setInterval(() => {}, 1000);`;
    const { job, text } = run(code, { timeLimitMs: 500 });
    const result = await job.done;
    expect(result.reason).toBe("time-limit");
    const grandchild = Number(text("stdout").trim());
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it("runs on past its time limit when the job was extended, asking again before the new end", async () => {
    let asked = 0;
    const extensions = [Date.now() + 700, undefined];
    const { job } = run("setInterval(() => {}, 1000)", {
      timeLimitMs: 300,
      extendedUntil: async () => extensions[asked++],
    });
    const result = await job.done;
    expect(result.reason).toBe("time-limit");
    expect(asked).toBe(2);
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(650);
  });

  it("ends at its time limit when the extension check fails, and runs to its own exit when extended", async () => {
    const failing = run("setInterval(() => {}, 1000)", {
      timeLimitMs: 200,
      extendedUntil: () => Promise.reject(new Error("the chain is down")),
    });
    expect((await failing.job.done).reason).toBe("time-limit");
    const until = Date.now() + 5_000;
    const extended = run("setTimeout(() => process.exit(0), 600)", {
      timeLimitMs: 200,
      extendedUntil: async () => until,
    });
    expect(await extended.job.done).toMatchObject({ reason: "exited", exitCode: 0 });
  });

  it("stops on request", async () => {
    const { job } = run("setInterval(() => {}, 1000)");
    setTimeout(() => job.stop(), 100);
    expect((await job.done).reason).toBe("stopped");
  });

  it("caps output and stops a job that writes past it", async () => {
    const { job, text } = run("setInterval(() => process.stdout.write('x'.repeat(1000)), 1)", { outputCapBytes: 5000 });
    const result = await job.done;
    expect(result.reason).toBe("output-cap");
    expect(text("stdout").length).toBe(5000);
  });

  it("refuses executables outside its list", async () => {
    const job = runtime.run({
      jobId: 2n,
      spec: { version: 1, image: "alpine", command: ["sh", "-c", "id"], env: {} },
      gpus: 1,
      timeLimitMs: 1000,
      outputCapBytes: 1000,
      onLog: () => undefined,
    });
    expect(await job.done).toMatchObject({ reason: "failed-to-start", error: expect.stringContaining('not "sh"') });
  });
});

/**
 * A hostile buyer's job on a host whose agent runs as root (as CI does): it goes for the agent's keys, its
 * journal, another job's output, and tries to outlive its own end. Run as the agent's user (the unisolated
 * runtime) every one of these succeeds, which is why that mode serves only the local chain.
 */
describe.runIf(process.getuid?.() === 0)("process runtime with a user per job, against a hostile job", () => {
  const users = { first: 3_500_000, count: 4 };
  const isolated = new ProcessRuntime(users);
  const runAs = (runtime: ProcessRuntime, code: string, jobId = 1n) => {
    let out = "";
    const job = runtime.run({
      jobId,
      spec: { version: 1, image: "node:22-slim", command: ["node", "-e", code], env: {} },
      gpus: 1,
      timeLimitMs: 10_000,
      outputCapBytes: 1 << 20,
      onLog: (_stream, text) => (out += text),
    });
    return { job, out: () => out };
  };
  /** What the job could do to the agent: each attempt's outcome. */
  const probe = `
    const fs = require("node:fs");
    const attempt = (what, f) => { try { f(); return [what, "done"]; } catch (e) { return [what, e.code]; } };
    console.log(JSON.stringify(Object.fromEntries([
      attempt("read the agent's environment", () => fs.readFileSync("/proc/" + process.ppid + "/environ")),
      attempt("read the config", () => fs.readFileSync(process.argv[1])),
      attempt("write the journal", () => fs.writeFileSync(process.argv[2] + "/job-9.json", "{}")),
      attempt("read the journal", () => fs.readdirSync(process.argv[2])),
    ])));`;
  const agentFiles = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "agent-"));
    const config = path.join(dir, "host.json");
    writeFileSync(config, JSON.stringify({ signerKey: "0xsecret" }), { mode: 0o600 });
    const journal = path.join(dir, "journal");
    new Journal(journal);
    return { config, journal };
  };
  const attacks = async (runtime: ProcessRuntime) => {
    const { config, journal } = agentFiles();
    const job = runtime.run({
      jobId: 3n,
      spec: { version: 1, image: "node:22-slim", command: ["node", "-e", probe, config, journal], env: {} },
      gpus: 1,
      timeLimitMs: 10_000,
      outputCapBytes: 1 << 20,
      onLog: (_s, text) => (out += text),
    });
    let out = "";
    await job.done;
    return JSON.parse(out) as Record<string, string>;
  };

  it("cannot read the agent's environment, config or journal, nor write the journal", async () => {
    expect(await attacks(isolated)).toEqual({
      "read the agent's environment": "EACCES",
      "read the config": "EACCES",
      "write the journal": "EACCES",
      "read the journal": "EACCES",
    });
    // The same job as the agent's user takes them all.
    expect(Object.values(await attacks(new ProcessRuntime()))).toEqual(["done", "done", "done", "done"]);
  });

  it("cannot read another job's folder while both run", async () => {
    const victim = runAs(
      isolated,
      "require('fs').writeFileSync('out.txt', 'private'); console.log(process.cwd()); setTimeout(() => {}, 3000)",
      4n,
    );
    await waitFor("the victim's folder", async () => victim.out().includes("/"), 5_000);
    const folder = victim.out().trim();
    const thief = runAs(
      isolated,
      `try { console.log(require('fs').readFileSync(${JSON.stringify(`${folder}/out.txt`)}, 'utf8')) } catch (e) { console.log(e.code) }`,
      5n,
    );
    await thief.job.done;
    expect(thief.out().trim()).toBe("EACCES");
    victim.job.stop();
    await victim.job.done;
  });

  it("kills a detached grandchild when the job ends, and deletes what it left in /tmp", async () => {
    const leftover = `/tmp/hourglass-leftover-${process.pid}-${Date.now()}`;
    const code = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { detached: true, stdio: "ignore" });
      child.unref();
      require("node:fs").writeFileSync(${JSON.stringify(leftover)}, "left");
      console.log(child.pid);`;
    const escaped = runAs(new ProcessRuntime(), code, 6n);
    await escaped.job.done;
    const outlived = Number(escaped.out().trim());
    // As the agent's user, the detached grandchild outlives its job (and its file stays).
    expect(alive(outlived)).toBe(true);
    process.kill(outlived, "SIGKILL");
    rmSync(leftover, { force: true });

    const contained = runAs(isolated, code, 7n);
    await contained.job.done;
    expect(alive(Number(contained.out().trim()))).toBe(false);
    expect(existsSync(leftover)).toBe(false);
  });

  it("after an agent restart, kills every run the previous agent left", async () => {
    const orphan = runAs(isolated, "console.log(process.pid); setInterval(() => {}, 1000)", 8n);
    await waitFor("the run", async () => orphan.out().trim() !== "", 5_000);
    const pid = Number(orphan.out().trim());
    // A new agent's runtime over the same users; the old one's bookkeeping is gone with its process.
    expect((await new ProcessRuntime(users).killLeftovers()).length).toBe(1);
    expect(alive(pid)).toBe(false);
    await orphan.job.done;
  });
});
