import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadHostConfig } from "./config";

const dir = mkdtempSync(path.join(tmpdir(), "host-config-"));
const key = `0x${"11".repeat(32)}`;
const provider = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const good = {
  signerKey: key,
  operatorKey: key,
  provider,
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337,
  hostId: 1,
  runtime: "process",
  listen: "127.0.0.1:8701",
  journalDir: "journal",
};
const escrow = "0x1d1499e622D69689cdf9004d05Ec547d650Ff211";
const deployments = (chainId: number) =>
  (chainId === 31337 ? { JobEscrow: escrow, ProviderRegistry: escrow } : undefined) as never;

function load(config: unknown, mode = 0o644) {
  const file = path.join(dir, `c${Math.random()}.json`);
  writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config), { mode });
  return () => loadHostConfig(file, deployments);
}

describe("host config", () => {
  it("fills defaults, resolves the journal beside the file and finds the contracts", () => {
    const config = load(good)();
    expect(config.maxConcurrentJobs).toBe(4);
    expect(config.observeEverySeconds).toBe(60);
    expect(config.journalDir).toBe(path.join(dir, "journal"));
    expect(config.contracts.JobEscrow).toBe(escrow);
  });

  it("takes a config without a host id (the agent then finds its host by its signer)", () => {
    const unregistered: Partial<typeof good> = { ...good };
    delete unregistered.hostId;
    expect(load(unregistered)().hostId).toBeUndefined();
    expect(load({ ...good, hostId: 0 })).toThrow(/hostId:/);
  });

  it("needs the provider it serves, as an address (any case), and takes 0 to leave the price duty to others", () => {
    const withoutProvider: Partial<typeof good> = { ...good };
    delete withoutProvider.provider;
    expect(load(withoutProvider)).toThrow(/provider:/);
    expect(load({ ...good, provider: "0x1234" })).toThrow(/provider: an address/);
    expect(load({ ...good, provider: provider.toLowerCase() })().provider).toBe(provider);
    expect(load({ ...good, observeEverySeconds: 0 })().observeEverySeconds).toBe(0);
    expect(load({ ...good, observeEverySeconds: -1 })).toThrow(/observeEverySeconds:/);
  });

  it("names the field that is wrong", () => {
    expect(load({ ...good, operatorKey: "0x12" })).toThrow(/operatorKey: a 32-byte hex private key/);
    expect(load({ ...good, runtime: "vm" })).toThrow(/runtime:/);
    expect(load({ ...good, listen: "8701" })).toThrow(/listen: host:port/);
    expect(load({ ...good, rpcUrl: "ftp://x" })).toThrow(/rpcUrl:/);
    expect(load({ ...good, extra: 1 })).toThrow(/extra|Unrecognized/);
    expect(load({ ...good, runtime: "docker", chainId: 5, verification: { runner: "torch" } }, 0o600)).toThrow(
      /no deployment is known for chain 5/,
    );
    expect(load("{ not json")).toThrow(/JSON/);
  });

  it("refuses the process runtime off the local chain unless loudly told, and keys other users may read", () => {
    const elsewhere = {
      ...good,
      chainId: 8453,
      contracts: { JobEscrow: escrow, ProviderRegistry: escrow },
      verification: { runner: "torch" },
    };
    expect(load({ ...elsewhere, runtime: "docker", verification: undefined }, 0o600)).toThrow(
      /verification.runner "cpu" proves only the local chain's work; on chain 8453 .* use "torch"/,
    );
    expect(load(elsewhere, 0o600)).toThrow(
      /runtime: "process" runs buyers' code unisolated .* not chain 8453: use "docker"/,
    );
    expect(load({ ...elsewhere, UNSAFE_processRuntimeOffTheLocalChain: false }, 0o600)).toThrow(
      /UNSAFE_processRuntimeOffTheLocalChain/,
    );
    expect(load({ ...elsewhere, UNSAFE_processRuntimeOffTheLocalChain: true }, 0o600)().runtime).toBe("process");
    expect(load({ ...elsewhere, runtime: "docker" }, 0o600)().runtime).toBe("docker");
    expect(load({ ...elsewhere, runtime: "docker" }, 0o640)).toThrow(
      /holds the signer and operator keys, yet other users of this machine may read it: chmod 600/,
    );
    expect(load({ ...elsewhere, runtime: "docker" }, 0o604)).toThrow(/chmod 600/);
    // The local chain's keys are anvil's, known to everyone.
    expect(load(good, 0o644)().runtime).toBe("process");
  });

  it("proves on the CPU and watches by default; takes the torch runner's interpreter or command, with it only", () => {
    const config = load(good)();
    expect(config.verification).toEqual({ runner: "cpu", watch: true, watchMaxTileMacs: 2 ** 28 });
    expect(config.contracts.SupplyVerifier).toBeUndefined();
    const docker = ["docker", "run", "--rm", "-i", "--gpus", "all", "pytorch/pytorch", "python"];
    expect(load({ ...good, verification: { runner: "torch", torchCommand: docker } })().verification).toEqual({
      runner: "torch",
      torchCommand: docker,
      watch: true,
      watchMaxTileMacs: 2 ** 28,
    });
    expect(
      load({ ...good, verification: { runner: "torch", python: "/opt/venv/bin/python" } })().verification!.python,
    ).toBe("/opt/venv/bin/python");
    expect(load({ ...good, verification: { python: "python3" } })).toThrow(
      /verification: python and torchCommand are the torch runner's/,
    );
    expect(load({ ...good, verification: { runner: "torch", python: "python3", torchCommand: docker } })).toThrow(
      /verification: python or torchCommand, not both/,
    );
    expect(load({ ...good, verification: { runner: "gpu" } })).toThrow(/verification.runner:/);
    expect(load({ ...good, verification: { runner: "torch", torchCommand: [] } })).toThrow(
      /verification.torchCommand:/,
    );
    expect(load({ ...good, verification: { watch: "yes" } })).toThrow(/verification.watch:/);
    expect(load({ ...good, verification: { watchMaxTileMacs: 0 } })).toThrow(/verification.watchMaxTileMacs:/);
    expect(load({ ...good, verification: { extra: 1 } })).toThrow(/verification|Unrecognized/);
    expect(load({ ...good, verification: { watch: false } })().verification!.watch).toBe(false);
  });

  it("takes the supply verifier's address, checksummed", () => {
    const verifier = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const config = load({
      ...good,
      contracts: { JobEscrow: escrow, ProviderRegistry: escrow, SupplyVerifier: verifier.toLowerCase() },
    })();
    expect(config.contracts.SupplyVerifier).toBe(verifier);
  });
});
