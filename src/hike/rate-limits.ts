// Hike's limits per app and store: 60 calls in any rolling 60 seconds and 5,000 in any rolling 24
// hours. A refused call counts too, so the client schedules every call inside both windows.
import type { WindowRule } from "../core/limits/window-scheduler.js";

export type HikeBucket = "minute" | "day";

export interface HikeLimits {
  perMinute: number;
  perDay: number;
}

export const HIKE_LIMITS: HikeLimits = { perMinute: 60, perDay: 5_000 };

export function hikeWindows(limits: HikeLimits): Record<HikeBucket, readonly WindowRule[]> {
  return {
    minute: [{ sizeMs: 60_000, limit: limits.perMinute, rolling: true }],
    day: [{ sizeMs: 24 * 60 * 60_000, limit: limits.perDay, rolling: true }],
  };
}

/** Every call counts in both windows; the minute is last, so a plain 429 pauses it. */
export const HIKE_BUCKETS: readonly HikeBucket[] = ["day", "minute"];

/** The window a 429 names in X-Rate-Limit-Problem (`Minute` or `Daily`). */
export function refusedHikeBucket(response: Response): HikeBucket | undefined {
  const problem = response.headers.get("X-Rate-Limit-Problem")?.trim().toLowerCase();
  if (problem === "daily") return "day";
  if (problem === "minute") return "minute";
  return undefined;
}
