/**
 * `npm run test:planted-bugs`: proves the protocol's tests can fail. Plants one small, realistic bug at a
 * time in a private copy of contracts/ (never the working tree, which dev, the tests and people read), runs the
 * protocol's forge suites there, and expects them to fail; the copy's file is restored after each. Exits
 * non-zero if any planted bug survives, naming it. Numbers after `--` run only those bugs
 * (`npm run test:planted-bugs -- 31 32`), for checking the ones a change touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CONTRACTS_DIR, FOUNDRY_BIN, ROOT } from "../lib/paths.ts";

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
    name: "a receipt may charge the whole lock whatever time the job ran",
    file: "src/JobEscrow.sol",
    find: "scu = Math.min(used, Math.mulDiv(j.locked, billed, maxDuration, Math.Rounding.Ceil));",
    replace: "scu = Math.min(used, j.locked);",
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
    replace:
      "        if (block.timestamp < j.disputeEndsAt) revert DisputeWindowOpen(jobId, j.disputeEndsAt, block.timestamp);\n",
  },
  {
    name: "stake held for an open dispute can be withdrawn",
    file: "src/ProviderRegistry.sol",
    find: "return Math.mulDiv(backed, price, 1e18, Math.Rounding.Ceil) + p.disputeStake;",
    replace: "return Math.mulDiv(backed, price, 1e18, Math.Rounding.Ceil);",
  },
  {
    name: "the arbiter's slash is not capped at the stake the dispute holds",
    file: "src/JobEscrow.sol",
    find: "        if (slashAmount > d.stakeAtRisk) revert SlashExceedsCap(jobId, slashAmount, d.stakeAtRisk);\n",
    replace: "",
  },
  {
    name: "a provider may mint one wei past its mint bound",
    file: "src/ProviderRegistry.sol",
    find: "if (obligation > bound) revert ExceedsCapacity(msg.sender, obligation, bound);",
    replace: "if (obligation > bound + 1) revert ExceedsCapacity(msg.sender, obligation, bound);",
  },
  {
    name: "collateral is checked at the spot price, which a same-block trade moves",
    file: "src/ProviderRegistry.sol",
    find: "        return Math.max(twap, floorPrice);\n",
    replace:
      "        (uint112 r0, uint112 r1,) = pool.getReserves();\n        twap = _scuIsToken0 ? uint256(r1) * 1e18 / r0 : uint256(r0) * 1e18 / r1;\n        return Math.max(twap, floorPrice);\n",
  },
  // Issue 15's rules, one planted break each.
  {
    name: "a host's signer need not consent: any signature registers it",
    file: "src/ProviderRegistry.sol",
    find: "if (err != ECDSA.RecoverError.NoError || recovered != params.signer) {",
    replace: "if (err != ECDSA.RecoverError.NoError) {",
  },
  {
    name: "one signer may serve several hosts",
    file: "src/ProviderRegistry.sol",
    find: "        if (bound != 0) revert SignerInUse(params.signer, bound);\n",
    replace: "",
  },
  {
    name: "a buyer's stop does not end what a receipt bills",
    file: "src/JobEscrow.sol",
    find: "        if (j.stoppedAt != 0) end = Math.min(end, j.stoppedAt);\n",
    replace: "",
  },
  {
    name: "a receipt may bill time that has not passed yet",
    file: "src/JobEscrow.sol",
    find: "end = Math.min(Math.min(endedAt, block.timestamp), startedAt + maxDuration);",
    replace: "end = Math.min(endedAt, startedAt + maxDuration);",
  },
  {
    name: "a buyer may stop a job after its maximum end",
    file: "src/JobEscrow.sol",
    find: "        if (block.timestamp >= maxEnd) revert StopTooLate(jobId, maxEnd, block.timestamp);\n",
    replace: "",
  },
  {
    name: "a liquidation may take the whole obligation for any shortfall (no close factor)",
    file: "src/ProviderRegistry.sol",
    find: "        if (scuAmount > most) revert LiquidationExceedsShortfall(account, scuAmount, most);\n",
    replace: "",
  },
  {
    name: "a liquidation's price bound is anchored to the floored reference price",
    file: "src/ProviderRegistry.sol",
    find: "uint256 fair = recent != 0 && recent < twap ? recent : twap;",
    replace: "uint256 fair = price;",
  },
  {
    name: "a liquidation may pay up to the TWAP when the market has fallen below it",
    file: "src/ProviderRegistry.sol",
    find: "uint256 fair = recent != 0 && recent < twap ? recent : twap;",
    replace: "uint256 fair = twap;",
  },
  {
    name: "the TWAP may average back further than two windows",
    file: "src/libraries/TwapOracle.sol",
    find: "if (baseAge <= 2 * window)",
    replace: "if (baseAge != type(uint256).max)",
  },
  {
    name: "a mint needs no headroom: a Max mint is liquidatable a second later",
    file: "src/ProviderRegistry.sol",
    find: "uint256 from = block.timestamp + MINT_HEADROOM;",
    replace: "uint256 from = block.timestamp;",
  },
  {
    name: "a failed dispute keeps the buyer's bond",
    file: "src/JobEscrow.sol",
    find: "providerWins ? awarded + bond : awarded,",
    replace: "awarded,",
  },
  {
    name: "anyone may apply the default ruling before the arbiter's deadline",
    file: "src/JobEscrow.sol",
    find: "        if (block.timestamp < d.ruleBy) revert RulingPending(jobId, d.ruleBy, block.timestamp);\n",
    replace: "",
  },
  {
    name: "a cancellation after the start timeout is a no-show without the host's acknowledgement",
    file: "src/JobEscrow.sol",
    find: "bool noShow = hostAck.length != 0 && block.timestamp >= startBy;",
    replace: "bool noShow = block.timestamp >= startBy;",
  },
  {
    name: "holding a host's GPUs unstarted costs nothing",
    file: "src/JobEscrow.sol",
    find: "uint256 fee = noShow ? 0 : _reservationFee(j);",
    replace: "uint256 fee = 0;",
  },
  {
    name: "an unbond request never lapses",
    file: "src/ProviderRegistry.sol",
    find: "        if (block.timestamp >= unlocksAt + UNBOND_WINDOW) revert UnbondExpired(msg.sender, unlocksAt + UNBOND_WINDOW);\n",
    replace: "",
  },
  {
    name: "SCU sitting in the escrow can fund anyone's job",
    file: "src/JobEscrow.sol",
    find: "uint256 arrived = _excess() + 1 - base;",
    replace: "uint256 arrived = _excess();",
  },
  {
    name: "the minter burns credits without their holder's allowance",
    file: "src/ComputeCredit.sol",
    find: "        if (from != msg.sender) _spendAllowance(from, msg.sender, amount);\n",
    replace: "",
  },
  {
    name: "a rating change applies at once, without notice",
    file: "src/ComputeStandard.sol",
    find: "return r.next != 0 && block.timestamp >= r.effectiveAt ? r.next : r.current;",
    replace: "return r.next != 0 ? r.next : r.current;",
  },
  {
    name: "a rating that falls shrinks the capacity a liquidation is judged against",
    file: "src/ProviderRegistry.sol",
    find: "scu += JobMath.capacity(h.gpuCount, h.ratingWad, h.listedUntil - block.timestamp);",
    replace: "scu += JobMath.capacity(h.gpuCount, standard.ratingOf(h.classId), h.listedUntil - block.timestamp);",
  },
  {
    name: "a liquidation may spend the stake an open dispute holds for the buyer",
    file: "src/ProviderRegistry.sol",
    find: "uint256 available = p.stake > p.disputeStake ? p.stake - p.disputeStake : 0;",
    replace: "uint256 available = p.stake;",
  },
  {
    name: "a job may be funded for the zero address, whose refunds can never be paid (so the job never ends)",
    file: "src/JobEscrow.sol",
    find: "        if (buyer == address(0)) revert InvalidBuyer();\n",
    replace: "",
  },
  {
    name: "the reservation fee stops at one start timeout while the GPUs stay held for two",
    file: "src/JobEscrow.sol",
    find: "uint256 held = Math.min(block.timestamp - j.createdAt, minDuration());",
    replace: "uint256 held = Math.min(block.timestamp - j.createdAt, startTimeout);",
  },
  {
    name: "a pause is judged at a raised rating a liquidation does not count",
    file: "src/ProviderRegistry.sol",
    find: "            if (counted && h.ratingWad < ratings[i]) ratings[i] = h.ratingWad;\n",
    replace: "",
  },
  {
    name: "extending a listing is refused while over the bound",
    file: "src/ProviderRegistry.sol",
    find: "        if (shorter) _checkCapacity(msg.sender, _providers[msg.sender].obligation);\n",
    replace: "        shorter;\n        _checkCapacity(msg.sender, _providers[msg.sender].obligation);\n",
  },
];

/** The copy: contracts/ (sources, tests, script, config) beside a link to node_modules, as foundry.toml's
 * `../node_modules` remappings expect; its build and cache stay inside it. */
const WORK_DIR = path.join(tmpdir(), "hourglass-planted-bugs");
const COPY_DIR = path.join(WORK_DIR, "contracts");
rmSync(WORK_DIR, { recursive: true, force: true });
mkdirSync(WORK_DIR, { recursive: true });
for (const part of ["src", "test", "script", "bin", "foundry.toml"]) {
  cpSync(path.join(CONTRACTS_DIR, part), path.join(COPY_DIR, part), { recursive: true });
}
symlinkSync(path.join(ROOT, "node_modules"), path.join(WORK_DIR, "node_modules"));
const SUITES =
  "JobEscrowTest|ProviderRegistryTest|JobRouterTest|ProtocolInvariantTest|EconomicAttacksTest|ComputeCreditTest|ComputeStandardTest|TwapOracleTest";

let running: ChildProcess | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // forge and the solc it started: the whole group, or an orphaned compiler keeps a core busy.
    if (running?.pid !== undefined) process.kill(-running.pid, "SIGKILL");
    process.exit(130);
  });
}

/** Runs the protocol suites; async, so Ctrl-C reaches the handler above while forge runs. */
function forgeTest(): Promise<{ passed: boolean; failing: string[] }> {
  const child = spawn(path.join(FOUNDRY_BIN, "forge"), ["test", "--match-contract", SUITES], {
    cwd: COPY_DIR,
    // Unoptimized: the same behaviour, compiled in about half the time.
    env: { ...process.env, FOUNDRY_INVARIANT_RUNS: "32", FOUNDRY_INVARIANT_DEPTH: "50", FOUNDRY_OPTIMIZER: "false" },
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

const chosen = process.argv.slice(2).map((arg) => {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > PLANTED_BUGS.length) {
    console.error(`"${arg}" is not a planted bug's number (1 to ${PLANTED_BUGS.length}).`);
    process.exit(2);
  }
  return n;
});
const toPlant = PLANTED_BUGS.map((bug, i) => ({ bug, n: i + 1 })).filter(
  ({ n }) => chosen.length === 0 || chosen.includes(n),
);

const started = Date.now();
console.log("Baseline: the suites pass on the real source…");
if (!(await forgeTest()).passed) {
  console.error("The suites fail without any planted bug: fix them first.");
  process.exit(1);
}

const survivors: string[] = [];
for (const { bug, n } of toPlant) {
  const file = path.join(COPY_DIR, bug.file);
  const original = readFileSync(file, "utf8");
  if (original.split(bug.find).length !== 2) throw new Error(`bug ${n}: its text must occur once in ${bug.file}`);
  writeFileSync(file, original.replace(bug.find, bug.replace));
  try {
    const { passed, failing } = await forgeTest();
    if (passed) survivors.push(bug.name);
    console.log(
      `${passed ? "SURVIVED" : "caught  "}  ${n}. ${bug.name}` +
        (passed
          ? ""
          : `\n            by ${failing.length} test${failing.length === 1 ? "" : "s"}: ${failing.join(", ")}`),
    );
  } finally {
    writeFileSync(file, original);
  }
}

console.log(
  `\n${toPlant.length - survivors.length} of ${toPlant.length} planted bugs caught in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
);
if (survivors.length > 0) {
  console.error(`Not caught:\n${survivors.map((s) => `  - ${s}`).join("\n")}`);
  process.exit(1);
}
