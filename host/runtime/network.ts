/**
 * The network jobs get when a host allows them one (`docker.network: "public"`): a docker bridge of the
 * agent's own, on which jobs reach the internet and nothing else. Docker's bridges forward a container's
 * packets anywhere its host can reach, so the agent applies firewall rules keyed to that bridge's interface:
 *
 *   iptables  -N HOURGLASS-JOBS;  -A HOURGLASS-JOBS -d <each range below> -j DROP;  -A HOURGLASS-JOBS -j RETURN
 *   iptables  -I DOCKER-USER 1 -i hg-jobs0 -j HOURGLASS-JOBS   (forwarded: the LAN, metadata, other containers)
 *   iptables  -I INPUT 1 -i hg-jobs0 -j DROP                   (to the host itself, at any of its addresses)
 *   ip6tables -I INPUT 1 -i hg-jobs0 -j DROP;  ip6tables -I FORWARD 1 -i hg-jobs0 -j DROP
 *
 * and checks them (each first in its chain) before every job it starts there, refusing the job when they are
 * gone. The bridge isolates its containers from each other (enable_icc=false) and has no IPv6; each job's
 * container also turns IPv6 off. Docker's embedded DNS answers jobs from inside their own network namespace,
 * so no rule lets them reach a resolver on the host.
 */
import { execFile } from "node:child_process";

export const JOB_NETWORK = "hourglass-jobs";
/** The bridge's interface name (at most 15 characters): the rules match on it. */
export const JOB_BRIDGE = "hg-jobs0";
export const FIREWALL_CHAIN = "HOURGLASS-JOBS";

/** IPv4 destinations a job may never reach: every range that is not the public internet. */
export const BLOCKED_IPV4 = [
  "0.0.0.0/8", // "this network"
  "10.0.0.0/8", // private
  "100.64.0.0/10", // carrier-grade NAT, and some clouds' internal services
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link-local: the cloud metadata service (169.254.169.254)
  "172.16.0.0/12", // private, and docker's own bridges
  "192.0.0.0/24", // IETF protocol assignments
  "192.0.2.0/24", // documentation
  "192.88.99.0/24", // 6to4 relays
  "192.168.0.0/16", // private
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // documentation
  "203.0.113.0/24", // documentation
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, and broadcast
] as const;

interface Rule {
  binary: "iptables" | "ip6tables";
  chain: string;
  /** The rule as `iptables -S` prints it, less "-A <chain> ". */
  spec: string[];
}

/** The rules jumped to from the built-in chains; each must be the first rule of its chain. */
export const FIREWALL_HOOKS: readonly Rule[] = [
  { binary: "iptables", chain: "DOCKER-USER", spec: ["-i", JOB_BRIDGE, "-j", FIREWALL_CHAIN] },
  { binary: "iptables", chain: "INPUT", spec: ["-i", JOB_BRIDGE, "-j", "DROP"] },
  { binary: "ip6tables", chain: "INPUT", spec: ["-i", JOB_BRIDGE, "-j", "DROP"] },
  { binary: "ip6tables", chain: "FORWARD", spec: ["-i", JOB_BRIDGE, "-j", "DROP"] },
];

/** The chain's rules, as `iptables -S` prints them. */
export const firewallChainRules = (): string[] => [
  `-N ${FIREWALL_CHAIN}`,
  ...BLOCKED_IPV4.map((range) => `-A ${FIREWALL_CHAIN} -d ${range} -j DROP`),
  `-A ${FIREWALL_CHAIN} -j RETURN`,
];

const NETWORK_OPTIONS = {
  "com.docker.network.bridge.name": JOB_BRIDGE,
  "com.docker.network.bridge.enable_icc": "false",
};

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (or `timeoutMs`), never throwing: the caller judges the outcome. */
export function command(file: string, args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: 1 << 20, encoding: "utf8", ...(env ? { env } : {}) },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr || (error && code === -1 ? error.message : "") });
      },
    );
  });
}

/** `iptables -w` waits for the xtables lock rather than failing when another program holds it. */
const table = (rule: Pick<Rule, "binary">, args: string[]) => command(rule.binary, ["-w", "5", ...args]);
const listed = async (binary: Rule["binary"], chain: string) => {
  const out = await table({ binary }, ["-S", chain]);
  return out.code === 0 ? out.stdout.trim().split("\n") : undefined;
};
const hookLine = (rule: Rule) => `-A ${rule.chain} ${rule.spec.join(" ")}`;

/** What is wrong with the jobs' network and its firewall, in sentences; empty when all is in place. */
export async function checkJobNetwork(docker: (args: string[]) => Promise<Outcome>): Promise<string[]> {
  const problems: string[] = [];
  const network = await docker(["network", "inspect", "--format", "{{json .}}", JOB_NETWORK]);
  if (network.code !== 0) {
    problems.push(`the docker network ${JOB_NETWORK} does not exist`);
  } else {
    const info = JSON.parse(network.stdout) as {
      Driver: string;
      EnableIPv6: boolean;
      Internal: boolean;
      Options: Record<string, string> | null;
    };
    const options = info.Options ?? {};
    const wrong = Object.entries(NETWORK_OPTIONS).some(([key, value]) => options[key] !== value);
    if (info.Driver !== "bridge" || info.EnableIPv6 || wrong) {
      problems.push(
        `the docker network ${JOB_NETWORK} is not the agent's (a bridge named ${JOB_BRIDGE}, containers isolated, no IPv6): remove it and restart the agent`,
      );
    }
  }
  const chain = await listed("iptables", FIREWALL_CHAIN);
  if (chain?.join("\n") !== firewallChainRules().join("\n"))
    problems.push(`the iptables chain ${FIREWALL_CHAIN} is missing or changed`);
  for (const rule of FIREWALL_HOOKS) {
    const rules = (await listed(rule.binary, rule.chain))?.filter((line) => line.startsWith("-A "));
    if (rules?.[0] !== hookLine(rule))
      problems.push(`\`${rule.binary} ${hookLine(rule)}\` is not the first rule of ${rule.chain}`);
  }
  return problems;
}

/**
 * Creates the jobs' network and applies the firewall rules, where they are missing (needs root, iptables and
 * ip6tables, and docker's DOCKER-USER chain); throws a sentence when they still are not all in place.
 */
export async function prepareJobNetwork(docker: (args: string[]) => Promise<Outcome>): Promise<void> {
  if ((await docker(["network", "inspect", JOB_NETWORK])).code !== 0) {
    const created = await docker([
      "network",
      "create",
      "--driver",
      "bridge",
      "--label",
      "hourglass.network=jobs",
      ...Object.entries(NETWORK_OPTIONS).flatMap(([key, value]) => ["--opt", `${key}=${value}`]),
      JOB_NETWORK,
    ]);
    // Another agent on this machine may have created it first.
    if (created.code !== 0 && !/already exists/.test(created.stderr))
      throw new Error(`docker network create ${JOB_NETWORK}: ${created.stderr.trim()}`);
  }
  const chain = await listed("iptables", FIREWALL_CHAIN);
  if (chain?.join("\n") !== firewallChainRules().join("\n")) {
    // Refilled only when it differs (the first start, a changed list), with the bridge's forwarding closed
    // meanwhile: a job already on it (another agent's on this machine) never sees the chain half-filled.
    const closed = ["DOCKER-USER", "-i", JOB_BRIDGE, "-j", "DROP"];
    await table({ binary: "iptables" }, ["-I", closed[0]!, "1", ...closed.slice(1)]);
    try {
      if (!chain) await table({ binary: "iptables" }, ["-N", FIREWALL_CHAIN]);
      await table({ binary: "iptables" }, ["-F", FIREWALL_CHAIN]);
      for (const line of firewallChainRules().slice(1)) await table({ binary: "iptables" }, line.split(" "));
    } finally {
      await table({ binary: "iptables" }, ["-D", ...closed]);
    }
  }
  for (const rule of FIREWALL_HOOKS) {
    const rules = (await listed(rule.binary, rule.chain))?.filter((line) => line.startsWith("-A "));
    if (rules?.[0] === hookLine(rule)) continue;
    // Inserted first, then any older copy further down deleted (by number, from the last): never a moment without it.
    const inserted = await table(rule, ["-I", rule.chain, "1", ...rule.spec]);
    if (inserted.code !== 0)
      throw new Error(`${rule.binary} -I ${rule.chain} 1 ${rule.spec.join(" ")}: ${inserted.stderr.trim()}`);
    const now = (await listed(rule.binary, rule.chain))?.filter((line) => line.startsWith("-A ")) ?? [];
    for (let n = now.length; n > 1; n--)
      if (now[n - 1] === hookLine(rule)) await table(rule, ["-D", rule.chain, String(n)]);
  }
  const problems = await checkJobNetwork(docker);
  if (problems.length > 0)
    throw new Error(`docker.network "public" needs its firewall rules, and ${problems.join("; ")}`);
}

/** Undoes prepareJobNetwork: for a host going back to `network: "none"`, and for tests. Needs no job on it. */
export async function removeJobNetwork(docker: (args: string[]) => Promise<Outcome>): Promise<void> {
  for (const rule of FIREWALL_HOOKS) while ((await table(rule, ["-D", rule.chain, ...rule.spec])).code === 0);
  await table({ binary: "iptables" }, ["-F", FIREWALL_CHAIN]);
  await table({ binary: "iptables" }, ["-X", FIREWALL_CHAIN]);
  await docker(["network", "rm", JOB_NETWORK]);
}
