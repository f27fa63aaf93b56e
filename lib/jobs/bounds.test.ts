import { describe, expect, it } from "vitest";
import { MAX_HOURS } from "../contracts/constants";
import { MAX_JOB_GPUS, parseJobGpus, parseJobHours } from "./bounds";

describe("what a job may ask for", () => {
  it("reads a whole GPU count from 1 to the page's most", () => {
    expect(parseJobGpus(" 2 ")).toEqual({ value: 2 });
    expect(parseJobGpus(String(MAX_JOB_GPUS))).toEqual({ value: MAX_JOB_GPUS });
    expect(parseJobGpus("0")).toEqual({ error: `The GPU count must be from 1 to ${MAX_JOB_GPUS}.` });
    expect(parseJobGpus("1.5")).toEqual({ error: "Enter the GPU count as a whole number." });
  });

  it("reads hours from the escrow's shortest job to a week (JobEscrow.MAX_DURATION)", () => {
    expect(MAX_HOURS).toBe(168);
    expect(parseJobHours("0.5", 1200)).toEqual({ value: 0.5 });
    expect(parseJobHours(" 168 ", 1200)).toEqual({ value: 168 });
    expect(parseJobHours("", 1200)).toEqual({ error: "Enter the hours as a number, like 3 or 0.5." });
    expect(parseJobHours("three", 1200)).toEqual({ error: "Enter the hours as a number, like 3 or 0.5." });
    expect(parseJobHours("168.5", 1200)).toEqual({ error: "A job runs for at most 7 days (168 hours)." });
    expect(parseJobHours("0.1", 1200)).toEqual({
      error:
        "A job runs for at least 20 minutes (0.3333 hours); you pay only for the seconds it runs (or, cancelled before it starts, for the time it held the GPUs).",
    });
  });
});
