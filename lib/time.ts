/** Durations for people: "45 seconds", "1 hour", "3 days". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [value, unit] =
    s < 90
      ? [s, "second"]
      : s < 3600
        ? [Math.round(s / 60), "minute"]
        : s < 36 * 3600
          ? [Math.round(s / 3600), "hour"]
          : [Math.round(s / 86400), "day"];
  return `${value} ${unit}${value === 1 ? "" : "s"}`;
}

/** A chain timestamp as a UTC wall-clock time, the same on the server and in any browser: "2026-11-26 04:13 UTC". */
export function formatClock(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A running time as h:mm:ss (or m:ss under an hour): "1:02:03", "4:05". */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}
