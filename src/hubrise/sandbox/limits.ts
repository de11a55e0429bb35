// HubRise's rate limits (General Concepts §3), per connection, on the sandbox's clock: 500 requests
// a minute, 2,500 an hour and 10,000 a day, plus 10 a minute for the heavy queries (the operations
// the description marks `x-hubrise-heavy-query`), in fixed windows starting at the round minute,
// hour and day (UTC days: HubRise does not say which zone). A refused request is not counted. The
// 429's body is `{"error_type":"too_many_requests"}`; its Retry-After (not documented by HubRise,
// read by its SDK) is the seconds until the window that refused it ends.
import type { SandboxResponse } from "../../sandbox/server.js";

export interface HubriseSandboxLimits {
  minute: number;
  hour: number;
  day: number;
  /** Heavy queries a minute, on top of the others. */
  heavyMinute: number;
}

export const HUBRISE_SANDBOX_LIMITS: HubriseSandboxLimits = {
  minute: 500,
  hour: 2_500,
  day: 10_000,
  heavyMinute: 10,
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Window {
  size: number;
  limit: number;
  heavyOnly: boolean;
  index: number;
  count: number;
}

/** One connection's windows. */
export class RateWindows {
  readonly #windows: Window[];

  constructor(limits: HubriseSandboxLimits) {
    const w = (size: number, limit: number, heavyOnly: boolean): Window => ({
      size,
      limit,
      heavyOnly,
      index: -1,
      count: 0,
    });
    this.#windows = [
      w(MINUTE, limits.minute, false),
      w(HOUR, limits.hour, false),
      w(DAY, limits.day, false),
      w(MINUTE, limits.heavyMinute, true),
    ];
  }

  /** Counts a request made at `now`, or answers the 429 when a window is used up. */
  admit(now: number, heavy: boolean): SandboxResponse | undefined {
    const applicable = this.#windows.filter((w) => heavy || !w.heavyOnly);
    for (const w of applicable) {
      const index = Math.floor(now / w.size);
      if (w.index !== index) {
        w.index = index;
        w.count = 0;
      }
    }
    const full = applicable.filter((w) => w.count >= w.limit);
    if (full.length > 0) {
      const resetAt = Math.max(...full.map((w) => (w.index + 1) * w.size));
      return {
        status: 429,
        body: { error_type: "too_many_requests" },
        headers: { "Retry-After": String(Math.max(1, Math.ceil((resetAt - now) / 1000))) },
      };
    }
    for (const w of applicable) w.count++;
    return undefined;
  }
}
