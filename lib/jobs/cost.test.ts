import { describe, expect, it } from "vitest";
import { billing, jobCost, meterRun, MIN_CHARGE_SECONDS, usageCap } from "./cost";

const H100 = 2_283_000_000_000_000_000n;
const locked = jobCost(2, H100, 3600);
const job = { locked, maxDuration: 3600, startedAt: 1_000_000, stoppedAt: 0 };

describe("job cost", () => {
  it("prices GPUs × rating × hours, rounded up to the wei", () => {
    expect(jobCost(4, H100, 7200)).toBe(18_264_000_000_000_000_000n);
    expect(jobCost(1, 1n, 1)).toBe(1n); // 1/3600 of a wei rounds up
  });

  it("caps usage pro rata of what was locked, rounded up", () => {
    expect(usageCap(100n, 1, 3)).toBe(34n);
    expect(usageCap(100n, 3, 3)).toBe(100n);
  });
});

describe("billing (JobEscrow._bill)", () => {
  const start = job.startedAt;

  it("bills to the second up to the receipt's end, at most what the receipt asks", () => {
    expect(billing(job, locked, start + 61, start + 100)).toEqual({
      billedEnd: start + 61,
      scu: usageCap(locked, 61, 3600),
    });
    expect(billing(job, 5n, start + 61, start + 100)).toEqual({ billedEnd: start + 61, scu: 5n });
  });

  it("ends at the chain's now, the maximum or the stop, whichever is first, never before the start", () => {
    expect(billing(job, locked, start + 500, start + 120).billedEnd).toBe(start + 120);
    expect(billing(job, locked, start + 9999, start + 9999)).toEqual({ billedEnd: start + 3600, scu: locked });
    expect(billing({ ...job, stoppedAt: start + 90 }, locked, start + 500, start + 600)).toEqual({
      billedEnd: start + 90,
      scu: usageCap(locked, 90, 3600),
    });
    expect(billing(job, locked, start - 50, start + 10)).toEqual({
      billedEnd: start,
      scu: usageCap(locked, MIN_CHARGE_SECONDS, 3600),
    });
  });

  it("charges the first minute however soon the job ends", () => {
    expect(billing(job, locked, start + 1, start + 1).scu).toBe(usageCap(locked, 60, 3600));
    expect(billing({ ...job, stoppedAt: start }, locked, start + 30, start + 30).scu).toBe(usageCap(locked, 60, 3600));
  });
});

describe("meterRun (what a host signs)", () => {
  const start = job.startedAt;

  it("ends the receipt at the start plus the seconds it ran, rounded up, and charges the escrow's cap for them", () => {
    expect(meterRun(job, 61)).toEqual({ endedAt: start + 61, seconds: 61, used: usageCap(locked, 61, 3600) });
    expect(meterRun(job, 60.2)).toEqual({ endedAt: start + 61, seconds: 61, used: usageCap(locked, 61, 3600) });
  });

  it("charges a minute for a run of a second, or of none", () => {
    expect(meterRun(job, 1)).toEqual({ endedAt: start + 1, seconds: 1, used: usageCap(locked, 60, 3600) });
    expect(meterRun(job, -3)).toEqual({ endedAt: start, seconds: 0, used: usageCap(locked, 60, 3600) });
  });

  it("never runs past the maximum, nor past a stop it knows of", () => {
    expect(meterRun(job, 5000)).toEqual({ endedAt: start + 3600, seconds: 3600, used: locked });
    expect(meterRun({ ...job, stoppedAt: start + 4 }, 7)).toEqual({
      endedAt: start + 4,
      seconds: 4,
      used: usageCap(locked, 60, 3600),
    });
    expect(meterRun({ ...job, stoppedAt: start + 600 }, 121)).toEqual({
      endedAt: start + 121,
      seconds: 121,
      used: usageCap(locked, 121, 3600),
    });
  });

  it("is what the escrow bills it whenever the chain has reached its end", () => {
    for (const ran of [0, 1, 59, 60, 61, 1799, 3599, 3600, 4000]) {
      for (const stoppedAt of [0, start + 30, start + 1000]) {
        const j = { ...job, stoppedAt };
        const signed = meterRun(j, ran);
        expect(billing(j, signed.used, signed.endedAt, signed.endedAt + 5), `${ran} s, stop ${stoppedAt}`).toEqual({
          billedEnd: signed.endedAt,
          scu: signed.used,
        });
      }
    }
  });
});
