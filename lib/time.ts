/** Durations for people: "45 seconds", "1 hour", "3 days". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [value, unit] =
    s < 90 ? [s, "second"] : s < 3600 ? [Math.round(s / 60), "minute"] : s < 36 * 3600 ? [Math.round(s / 3600), "hour"] : [Math.round(s / 86400), "day"];
  return `${value} ${unit}${value === 1 ? "" : "s"}`;
}
