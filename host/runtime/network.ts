/**
 * The networks a job's container may be on, each a docker bridge of the agent's own with firewall rules keyed to
 * its interface (docker's bridges forward a container's packets anywhere its host can reach):
 *
 * - **jobs** (`docker.network: "public"`): jobs reach the internet and nothing else.
 *     iptables  -N HOURGLASS-JOBS;  -A HOURGLASS-JOBS -d <each range below> -j DROP;  -A HOURGLASS-JOBS -j RETURN
 *     iptables  -I DOCKER-USER 1 -i hg-jobs0 -j HOURGLASS-JOBS   (forwarded: the LAN, metadata, other containers)
 * - **services** (`services.allow`, on a host whose jobs have no network): an internal bridge (docker routes
 *   nothing off it) the agent reaches a job's declared ports over, and the job nothing.
 *     iptables  -I DOCKER-USER 1 -i hg-svc0 -j DROP
 *
 * and on both, to the host itself (at any of its addresses) only answers to the agent's own connections, which is
 * how it reaches a job's service; a job opens nothing on the host:
 *     iptables  -I INPUT 1 -i <bridge> -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP
 *     ip6tables -I INPUT 1 -i <bridge> -j DROP;  ip6tables -I FORWARD 1 -i <bridge> -j DROP
 *
 * The agent checks them (ahead of every other rule in their chains) before every job it starts on a bridge,
 * refusing the job when they are gone. Each bridge isolates its containers from each other (enable_icc=false)
 * and has no IPv6; each job's container also turns IPv6 off. Docker's embedded DNS answers jobs from inside
 * their own network namespace, so no rule lets them reach a resolver on the host.
 */
import { execFile } from "node:child_process";

export const JOB_NETWORK = "hourglass-jobs";
/** The bridges' interface names (at most 15 characters): the rules match on them. */
export const JOB_BRIDGE = "hg-jobs0";
export const FIREWALL_CHAIN = "HOURGLASS-JOBS";
export const SERVICE_NETWORK = "hourglass-services";
export const SERVICE_BRIDGE = "hg-svc0";

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

/** What reaches the host from a bridge: answers to the host's own connections only. */
const hostInput = (bridge: string): Rule[] => [
  {
    binary: "iptables",
    chain: "INPUT",
    spec: ["-i", bridge, "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED", "-j", "DROP"],
  },
  { binary: "ip6tables", chain: "INPUT", spec: ["-i", bridge, "-j", "DROP"] },
  { binary: "ip6tables", chain: "FORWARD", spec: ["-i", bridge, "-j", "DROP"] },
];

/** One of the agent's bridges: its docker network and the rules in the built-in chains that guard it. */
export interface Bridge {
  network: string;
  bridge: string;
  /** Docker routes nothing off an internal network. */
  internal: boolean;
  /** Each must come before any rule of the chain that is not one of the agent's. */
  hooks: readonly Rule[];
  /** The jobs network's own chain of blocked ranges. */
  chain: boolean;
}

export const JOBS_BRIDGE: Bridge = {
  network: JOB_NETWORK,
  bridge: JOB_BRIDGE,
  internal: false,
  chain: true,
  hooks: [
    { binary: "iptables", chain: "DOCKER-USER", spec: ["-i", JOB_BRIDGE, "-j", FIREWALL_CHAIN] },
    ...hostInput(JOB_BRIDGE),
  ],
};

export const SERVICES_BRIDGE: Bridge = {
  network: SERVICE_NETWORK,
  bridge: SERVICE_BRIDGE,
  internal: true,
  chain: false,
  hooks: [
    { binary: "iptables", chain: "DOCKER-USER", spec: ["-i", SERVICE_BRIDGE, "-j", "DROP"] },
    ...hostInput(SERVICE_BRIDGE),
  ],
};

/** An INPUT rule of earlier agents that dropped the answers to the agent's own connections too. */
const LEGACY_INPUT: Rule = { binary: "iptables", chain: "INPUT", spec: ["-i", JOB_BRIDGE, "-j", "DROP"] };

/** The chain's rules, as `iptables -S` prints them. */
export const firewallChainRules = (): string[] => [
  `-N ${FIREWALL_CHAIN}`,
  ...BLOCKED_IPV4.map((range) => `-A ${FIREWALL_CHAIN} -d ${range} -j DROP`),
  `-A ${FIREWALL_CHAIN} -j RETURN`,
];

const networkOptions = (bridge: Bridge) => ({
  "com.docker.network.bridge.name": bridge.bridge,
  "com.docker.network.bridge.enable_icc": "false",
});

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

/** Every hook line of every bridge: the leading run of a chain the agent's rules must be in. */
const ALL_HOOK_LINES = new Set([...JOBS_BRIDGE.hooks, ...SERVICES_BRIDGE.hooks].map((rule) => hookLine(rule)));

/** Whether `rule` is in its chain ahead of every rule that is not the agent's. */
async function leads(rule: Rule): Promise<boolean> {
  const rules = (await listed(rule.binary, rule.chain))?.filter((line) => line.startsWith("-A ")) ?? [];
  for (const line of rules) {
    if (line === hookLine(rule)) return true;
    if (!ALL_HOOK_LINES.has(line)) return false;
  }
  return false;
}

/** What is wrong with `bridge`'s network and its firewall, in sentences; empty when all is in place. */
export async function checkNetwork(
  docker: (args: string[]) => Promise<Outcome>,
  bridge: Bridge = JOBS_BRIDGE,
): Promise<string[]> {
  const problems: string[] = [];
  const network = await docker(["network", "inspect", "--format", "{{json .}}", bridge.network]);
  if (network.code !== 0) {
    problems.push(`the docker network ${bridge.network} does not exist`);
  } else {
    const info = JSON.parse(network.stdout) as {
      Driver: string;
      EnableIPv6: boolean;
      Internal: boolean;
      Options: Record<string, string> | null;
    };
    const options = info.Options ?? {};
    const wrong = Object.entries(networkOptions(bridge)).some(([key, value]) => options[key] !== value);
    if (info.Driver !== "bridge" || info.EnableIPv6 || info.Internal !== bridge.internal || wrong) {
      problems.push(
        `the docker network ${bridge.network} is not the agent's (a${bridge.internal ? "n internal" : ""} bridge named ${bridge.bridge}, containers isolated, no IPv6): remove it and restart the agent`,
      );
    }
  }
  if (bridge.chain) {
    const chain = await listed("iptables", FIREWALL_CHAIN);
    if (chain?.join("\n") !== firewallChainRules().join("\n"))
      problems.push(`the iptables chain ${FIREWALL_CHAIN} is missing or changed`);
  }
  for (const rule of bridge.hooks)
    if (!(await leads(rule)))
      problems.push(`\`${rule.binary} ${hookLine(rule)}\` is not ahead of the other rules of ${rule.chain}`);
  return problems;
}

export const checkJobNetwork = (docker: (args: string[]) => Promise<Outcome>) => checkNetwork(docker, JOBS_BRIDGE);

/**
 * Creates `bridge`'s network and applies its firewall rules, where they are missing (needs root, iptables and
 * ip6tables, and docker's DOCKER-USER chain); throws a sentence when they still are not all in place.
 */
export async function prepareNetwork(
  docker: (args: string[]) => Promise<Outcome>,
  bridge: Bridge = JOBS_BRIDGE,
): Promise<void> {
  if ((await docker(["network", "inspect", bridge.network])).code !== 0) {
    const created = await docker([
      "network",
      "create",
      "--driver",
      "bridge",
      ...(bridge.internal ? ["--internal"] : []),
      "--label",
      `hourglass.network=${bridge.internal ? "services" : "jobs"}`,
      ...Object.entries(networkOptions(bridge)).flatMap(([key, value]) => ["--opt", `${key}=${value}`]),
      bridge.network,
    ]);
    // Another agent on this machine may have created it first.
    if (created.code !== 0 && !/already exists/.test(created.stderr))
      throw new Error(`docker network create ${bridge.network}: ${created.stderr.trim()}`);
  }
  const chain = bridge.chain ? await listed("iptables", FIREWALL_CHAIN) : undefined;
  if (bridge.chain && chain?.join("\n") !== firewallChainRules().join("\n")) {
    // Refilled only when it differs (the first start, a changed list), with the bridge's forwarding closed
    // meanwhile: a job already on it (another agent's on this machine) never sees the chain half-filled.
    const closed = ["DOCKER-USER", "-i", bridge.bridge, "-j", "DROP"];
    await table({ binary: "iptables" }, ["-I", closed[0]!, "1", ...closed.slice(1)]);
    try {
      if (!chain) await table({ binary: "iptables" }, ["-N", FIREWALL_CHAIN]);
      await table({ binary: "iptables" }, ["-F", FIREWALL_CHAIN]);
      for (const line of firewallChainRules().slice(1)) await table({ binary: "iptables" }, line.split(" "));
    } finally {
      await table({ binary: "iptables" }, ["-D", ...closed]);
    }
  }
  for (const rule of bridge.hooks) {
    if (await leads(rule)) continue;
    // Inserted first, then any older copy further down deleted (by number, from the last): never a moment without it.
    const inserted = await table(rule, ["-I", rule.chain, "1", ...rule.spec]);
    if (inserted.code !== 0)
      throw new Error(`${rule.binary} -I ${rule.chain} 1 ${rule.spec.join(" ")}: ${inserted.stderr.trim()}`);
    const now = (await listed(rule.binary, rule.chain))?.filter((line) => line.startsWith("-A ")) ?? [];
    for (let n = now.length; n > 1; n--)
      if (now[n - 1] === hookLine(rule)) await table(rule, ["-D", rule.chain, String(n)]);
  }
  // An earlier agent's INPUT rule dropped the answers to the agent's own connections: gone once the new one leads.
  if (bridge === JOBS_BRIDGE) while ((await table(LEGACY_INPUT, ["-D", "INPUT", ...LEGACY_INPUT.spec])).code === 0);
  const problems = await checkNetwork(docker, bridge);
  if (problems.length > 0)
    throw new Error(`the docker network ${bridge.network} needs its firewall rules, and ${problems.join("; ")}`);
}

export const prepareJobNetwork = (docker: (args: string[]) => Promise<Outcome>) => prepareNetwork(docker, JOBS_BRIDGE);

/** Undoes prepareNetwork: for a host going back to `network: "none"` or no services, and for tests. Needs no
 * job on it. */
export async function removeNetwork(
  docker: (args: string[]) => Promise<Outcome>,
  bridge: Bridge = JOBS_BRIDGE,
): Promise<void> {
  for (const rule of bridge.hooks) while ((await table(rule, ["-D", rule.chain, ...rule.spec])).code === 0);
  if (bridge.chain) {
    await table({ binary: "iptables" }, ["-F", FIREWALL_CHAIN]);
    await table({ binary: "iptables" }, ["-X", FIREWALL_CHAIN]);
  }
  await docker(["network", "rm", bridge.network]);
}

export const removeJobNetwork = (docker: (args: string[]) => Promise<Outcome>) => removeNetwork(docker, JOBS_BRIDGE);
