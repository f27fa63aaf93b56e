/**
 * `npm run test:planted-bugs`: proves the protocol's tests can fail. Plants one small, realistic bug at a
 * time in contracts/src, runs the protocol's forge suites, and expects them to fail; the source is restored
 * after each (also on Ctrl-C). Exits non-zero if any planted bug survives, naming it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CONTRACTS_DIR, FOUNDRY_BIN } from "../lib/paths.ts";

interface PlantedBug {
  name: string;
  file: string;
  /** Exact text to replace: must occur once. */
  find: string;
  replace: string;
}

export const PLANTED_BUGS: PlantedBug[] = [
  {
    name: "a job's pay-in burns SCU but leaves the provider's obligation as it was",
    file: "src/ProviderRegistry.sol",
    find: "            p.obligation -= burned.toUint128();\n",
    replace: "",
  },
  {
    name: "a receipt may charge more than the time the job ran",
    file: "src/JobEscrow.sol",
    find: "if (receipt.used > max) revert",
    replace: "if (receipt.used > j.locked) revert",
  },
  {
    name: "a host may start at the start timeout (off by one)",
    file: "src/JobEscrow.sol",
    find: "if (block.timestamp >= deadline) revert StartTimedOut",
    replace: "if (block.timestamp > deadline) revert StartTimedOut",
  },
  {
    name: "finalize leaves the job payable again",
    file: "src/JobEscrow.sol",
    find: "        if (block.timestamp < j.disputeEndsAt) revert DisputeWindowOpen(jobId, j.disputeEndsAt, block.timestamp);\n        j.status = JobStatus.Settled;\n",
    replace: "        if (block.timestamp < j.disputeEndsAt) revert DisputeWindowOpen(jobId, j.disputeEndsAt, block.timestamp);\n",
  },
  {
    name: "stake can be withdrawn while a dispute is open",
    file: "src/ProviderRegistry.sol",
    find: "        if (p.openDisputes != 0) revert DisputesOpen(msg.sender, p.openDisputes);\n",
    replace: "",
  },
  {
    name: "the arbiter's slash is not capped at the job's value",
    file: "src/JobEscrow.sol",
    find: "        if (slashAmount > cap) revert SlashExceedsCap(jobId, slashAmount, cap);\n",
    replace: "",
  },
  {
    name: "a provider may mint one wei past its capacity bound",
    file: "src/ProviderRegistry.sol",
    find: "if (obligation > bound) revert ExceedsCapacity",
    replace: "if (obligation > bound + 1) revert ExceedsCapacity",
  },
  {
    name: "collateral is checked at the spot price, which a same-block trade moves",
    file: "src/ProviderRegistry.sol",
    find: "        if (base.timestamp == 0 || elapsed < twapWindow) return floorPrice;\n",
    replace:
      "        if (base.timestamp == 0 || elapsed < twapWindow) return floorPrice;\n        (uint112 r0, uint112 r1,) = pool.getReserves();\n        if (r0 != 0 && r1 != 0) return _scuIsToken0 ? uint256(r1) * 1e18 / r0 : uint256(r0) * 1e18 / r1;\n",
  },
];

const SUITES = "JobEscrowTest|ProviderRegistryTest|JobRouterTest|ProtocolInvariantTest";

let restore: (() => void) | undefined;
let running: ChildProcess | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // forge and the solc it started: the whole group, or an orphaned compiler keeps a core busy.
    if (running?.pid !== undefined) process.kill(-running.pid, "SIGKILL");
    restore?.();
    process.exit(130);
  });
}

/** Runs the protocol suites; async, so Ctrl-C reaches the handler above while forge runs. */
function forgeTest(): Promise<{ passed: boolean; failing: string[] }> {
  const child = spawn(path.join(FOUNDRY_BIN, "forge"), ["test", "--match-contract", SUITES], {
    cwd: CONTRACTS_DIR,
    env: { ...process.env, FOUNDRY_INVARIANT_RUNS: "32", FOUNDRY_INVARIANT_DEPTH: "50" },
    detached: true,
  });
  running = child;
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (/Compiler run failed|Compilation failed/.test(output)) {
        reject(new Error(`the planted bug does not compile:\n${output}`));
        return;
      }
      // A unit test's name follows its [FAIL] on the line; an invariant's comes after its call sequence.
      const failing = [...output.matchAll(/\[FAIL[^\]]*\][\s\S]*?\b((?:test|invariant)\w*)\(/g)].map((m) => m[1]!);
      resolve({ passed: code === 0, failing: [...new Set(failing)] });
    });
  });
}

const started = Date.now();
console.log("Baseline: the suites pass on the real source…");
if (!(await forgeTest()).passed) {
  console.error("The suites fail without any planted bug: fix them first.");
  process.exit(1);
}

const survivors: string[] = [];
for (const [i, bug] of PLANTED_BUGS.entries()) {
  const file = path.join(CONTRACTS_DIR, bug.file);
  const original = readFileSync(file, "utf8");
  if (original.split(bug.find).length !== 2) throw new Error(`bug ${i + 1}: its text must occur once in ${bug.file}`);
  restore = () => writeFileSync(file, original);
  writeFileSync(file, original.replace(bug.find, bug.replace));
  try {
    const { passed, failing } = await forgeTest();
    if (passed) survivors.push(bug.name);
    console.log(
      `${passed ? "SURVIVED" : "caught  "}  ${i + 1}. ${bug.name}` +
        (passed ? "" : `\n            by ${failing.length} test${failing.length === 1 ? "" : "s"}: ${failing.join(", ")}`),
    );
  } finally {
    restore();
    restore = undefined;
  }
}

console.log(
  `\n${PLANTED_BUGS.length - survivors.length} of ${PLANTED_BUGS.length} planted bugs caught in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
);
if (survivors.length > 0) {
  console.error(`Not caught:\n${survivors.map((s) => `  - ${s}`).join("\n")}`);
  process.exit(1);
}
