import { describe, expect, it } from "vitest";
import type { JobSpec } from "../../lib/jobs/spec";
import { isRunning as alive } from "../../scripts/lib/proc";
import { ProcessRuntime } from "./process";
import type { LogStream, RunRequest } from "./types";

const runtime = new ProcessRuntime();

function run(code: string, overrides: Partial<RunRequest> = {}, env: Record<string, string> = {}) {
  const logs: { stream: LogStream; text: string }[] = [];
  const spec: JobSpec = { version: 1, image: "node:22-slim", command: ["node", "-e", code], env };
  const job = runtime.run({
    jobId: 1n, spec, gpus: 1, timeLimitMs: 10_000, outputCapBytes: 1 << 20,
    onLog: (stream, text) => logs.push({ stream, text }), ...overrides,
  });
  const text = (stream: LogStream) => logs.filter((l) => l.stream === stream).map((l) => l.text).join("");
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
      jobId: 2n, spec: { version: 1, image: "alpine", command: ["sh", "-c", "id"], env: {} }, gpus: 1,
      timeLimitMs: 1000, outputCapBytes: 1000, onLog: () => undefined,
    });
    expect(await job.done).toMatchObject({ reason: "failed-to-start", error: expect.stringContaining('not "sh"') });
  });
});
