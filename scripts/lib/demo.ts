/**
 * The local chain's demo world: who the demo accounts are, and the three demo providers with their hosts,
 * stakes and minted credits. The seed creates it on a fresh chain; the dev orchestration starts a host agent
 * for each demo host with its signer key.
 */

/** Anvil account 0 deploys and owns the contracts; 1–3 are demo users with test USDC. */
export const DEMO_ACCOUNTS = [1, 2, 3];
export const DEMO_USDC = "50000";

export interface DemoHost {
  classId: string;
  gpus: number;
  region: string;
  listedDays: number;
  /** Index of the host's signer key on anvil's mnemonic, far from the funded accounts 0–9. */
  signerIndex: number;
  /** Where its host agent listens on this machine. */
  port: number;
}

export interface DemoProvider {
  name: string;
  /** Anvil account index of the provider's wallet. */
  account: number;
  stakeUsdc: string;
  mintScu: string;
  hosts: DemoHost[];
}

/**
 * Three providers of different sizes and classes. Each stakes well above 150% of its credits at the pool's
 * $1.40, so the TWAP taking over from the $1 floor after half an hour leaves none of them liquidatable.
 */
export const DEMO_PROVIDERS: DemoProvider[] = [
  {
    name: "Lumen Compute",
    account: 4,
    stakeUsdc: "300000",
    // Its credits seed the SCU/USDC pool (with POOL_SEED_USDC), so the market has depth from the start.
    mintScu: "100000",
    hosts: [
      { classId: "h100-sxm", gpus: 8, region: "eu-west", listedDays: 365, signerIndex: 100, port: 8701 },
      { classId: "h100-sxm", gpus: 8, region: "us-east", listedDays: 365, signerIndex: 101, port: 8702 },
    ],
  },
  {
    name: "Ridgeline GPU",
    account: 5,
    stakeUsdc: "25000",
    mintScu: "5000",
    hosts: [
      { classId: "a100-80gb-sxm", gpus: 8, region: "us-west", listedDays: 365, signerIndex: 102, port: 8703 },
      { classId: "l40s", gpus: 4, region: "us-west", listedDays: 180, signerIndex: 103, port: 8704 },
    ],
  },
  {
    name: "Basement Labs",
    account: 6,
    stakeUsdc: "5000",
    mintScu: "1000",
    hosts: [
      { classId: "rtx-4090", gpus: 4, region: "eu-central", listedDays: 90, signerIndex: 104, port: 8705 },
      { classId: "rtx-5090", gpus: 2, region: "eu-central", listedDays: 90, signerIndex: 105, port: 8706 },
    ],
  },
];

/** The pool's USDC beside the first provider's 100,000 SCU: $1.40 per SCU, mid-range of what an A100-hour
 * traded at in late 2026 ($1.1–1.7). */
export const POOL_SEED_USDC = "140000";
