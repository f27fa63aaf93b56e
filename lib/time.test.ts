import { expect, it } from "vitest";
import { formatClock, formatDuration, formatElapsed } from "./time";

it("formatDuration picks the unit a person would say", () => {
  expect(formatDuration(1)).toBe("1 second");
  expect(formatDuration(45)).toBe("45 seconds");
  expect(formatDuration(600)).toBe("10 minutes");
  expect(formatDuration(3600)).toBe("1 hour");
  expect(formatDuration(7 * 3600)).toBe("7 hours");
  expect(formatDuration(3 * 86400)).toBe("3 days");
  expect(formatDuration(-5)).toBe("0 seconds");
});

it("formatClock writes chain time in UTC, and formatElapsed a stopwatch", () => {
  expect(formatClock(1_795_000_000)).toBe("2026-11-18 11:06 UTC");
  expect(formatElapsed(245)).toBe("4:05");
  expect(formatElapsed(3723)).toBe("1:02:03");
  expect(formatElapsed(-3)).toBe("0:00");
});
