import { describe, expect, it } from "vitest";
import { jobCost, meterUsage, usageCap } from "./cost";

const H100 = 2_283_000_000_000_000_000n;

describe("job cost and metering", () => {
  it("prices GPUs × rating × hours, rounded up to the wei", () => {
    expect(jobCost(4, H100, 7200)).toBe(18_264_000_000_000_000_000n);
    expect(jobCost(1, 1n, 1)).toBe(1n); // 1/3600 of a wei rounds up
  });

  it("caps usage pro rata of what was locked, rounded up", () => {
    expect(usageCap(100n, 1, 3)).toBe(34n);
    expect(usageCap(100n, 3, 3)).toBe(100n);
  });

  it("bills whole minutes and never past the maximum", () => {
    const locked = jobCost(2, H100, 3600);
    expect(meterUsage(locked, 61, 3600)).toEqual({ seconds: 120, used: usageCap(locked, 120, 3600) });
    expect(meterUsage(locked, 0, 3600)).toEqual({ seconds: 0, used: 0n });
    expect(meterUsage(locked, 3599.5, 3600)).toEqual({ seconds: 3600, used: locked });
    expect(meterUsage(locked, 5000, 3600).used).toBe(locked);
  });

  it("bills to the second of an on-chain stop, never the rest of its minute", () => {
    const locked = jobCost(2, H100, 3600);
    expect(meterUsage(locked, 7, 3600, 4)).toEqual({ seconds: 4, used: usageCap(locked, 4, 3600) });
    expect(meterUsage(locked, 61, 3600, 600)).toEqual({ seconds: 120, used: usageCap(locked, 120, 3600) });
  });
});
