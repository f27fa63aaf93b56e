/**
 * Job templates the app offers. Each is a real spec: under the process runtime (development, CI) its command
 * runs on the host with the host's Node.js; under docker, in the named image.
 */
import type { JobSpec } from "./spec";

export interface JobTemplate {
  id: string;
  name: string;
  description: string;
  spec: JobSpec;
}

const node = (source: string, env: Record<string, string> = {}): JobSpec => ({
  version: 1,
  image: "node:22-slim",
  command: ["node", "-e", source],
  env,
});

export const JOB_TEMPLATES: readonly JobTemplate[] = [
  {
    id: "hello-gpu",
    name: "Hello, GPU",
    description: "Prints what it was given (job id, GPU count) and exits: the quickest check that a host runs jobs.",
    spec: node(
      "console.log(`hello from job ${process.env.HOURGLASS_JOB_ID} on ${process.env.HOURGLASS_GPUS} GPU(s)`);" +
        "console.log(`node ${process.version}, ${new Date().toISOString()}`);",
    ),
  },
  {
    id: "matmul-benchmark",
    name: "Matrix-multiply benchmark",
    description: "Multiplies SIZE×SIZE matrices ROUNDS times and reports GFLOPS after each round.",
    spec: node(
      [
        "const n = Number(process.env.SIZE), rounds = Number(process.env.ROUNDS);",
        "const a = new Float64Array(n * n).map(() => Math.random()), b = new Float64Array(n * n).map(() => Math.random());",
        "for (let r = 1; r <= rounds; r++) {",
        "  const c = new Float64Array(n * n), t = performance.now();",
        "  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) { const x = a[i * n + k]; for (let j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j]; }",
        "  const s = (performance.now() - t) / 1000;",
        "  console.log(`round ${r}/${rounds}: ${n}x${n} in ${s.toFixed(3)} s, ${(2 * n ** 3 / s / 1e9).toFixed(2)} GFLOPS`);",
        "}",
      ].join("\n"),
      { SIZE: "256", ROUNDS: "5" },
    ),
  },
  {
    id: "countdown",
    name: "Countdown",
    description: "Logs once a second for SECONDS seconds: a long-running job to watch stream, or to stop early.",
    spec: node(
      "const total = Number(process.env.SECONDS); let left = total;" +
        "const tick = () => { console.log(`${left} s left`); if (left-- <= 0) process.exit(0); setTimeout(tick, 1000); }; tick();",
      { SECONDS: "120" },
    ),
  },
];
