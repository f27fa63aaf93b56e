import { describe, expect, it } from "vitest";
import { DockerRuntime, dockerAvailable, dockerRunArgs } from "./docker";
import type { RunRequest } from "./types";

const request = (overrides: Partial<RunRequest> = {}): RunRequest => ({
  jobId: 7n,
  spec: { version: 1, image: "node:22-slim", command: ["node", "-e", "console.log(process.env.SIZE)"], env: { SIZE: "64" } },
  gpus: 2, timeLimitMs: 60_000, outputCapBytes: 1 << 20, onLog: () => undefined, ...overrides,
});

describe("docker runtime arguments", () => {
  const args = dockerRunArgs(request(), "hourglass-job-7");

  it("give the job its GPUs and nothing of the host's", () => {
    expect(args.slice(args.indexOf("--gpus"), args.indexOf("--gpus") + 2)).toEqual(["--gpus", "2"]);
    expect(args).not.toContain("--privileged");
    expect(args.join(" ")).not.toMatch(/--network host|--pid host|--ipc host|-v |--volume|--mount|docker\.sock/);
    expect(args).toEqual(expect.arrayContaining(["--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--read-only"]));
  });

  it("pass the spec's env and command as argv after the image, never through a shell", () => {
    expect(args).toEqual(expect.arrayContaining(["--env", "SIZE=64", "--env", "HOURGLASS_JOB_ID=7"]));
    expect(args.slice(args.indexOf("--"))).toEqual(["--", "node:22-slim", "node", "-e", "console.log(process.env.SIZE)"]);
  });
});

const engine = dockerAvailable();
describe.runIf(engine.ok)("docker runtime with an engine", () => {
  it("runs a job in a container", async () => {
    let output = "";
    const result = await new DockerRuntime().run(request({ gpus: 0, onLog: (_, text) => (output += text) })).done;
    expect(result.exitCode).toBe(0);
    expect(output).toBe("64\n");
  }, 300_000);
});
if (!engine.ok) console.warn(`docker runtime: engine tests not run here: ${engine.reason}`);
