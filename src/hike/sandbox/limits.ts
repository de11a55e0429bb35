// Hike's limits per app and store, on the sandbox's clock (Hike's rate-limit page): 60 calls in any
// rolling 60 seconds and 5,000 in any rolling 24 hours, refused calls counted too (so hammering a
// refusal keeps the window shut). A call is admitted when fewer than the limit were received in
// the window before it. The 429 names the window (`X-Rate-Limit-Problem: Minute` or `Daily`) and,
// as newer reference pages document, says in Retry-After how many seconds until a call would be
// admitted again if none were sent meanwhile.
import type { RateLimitProblem } from "./errors.js";

export interface HikeLimits {
  perMinute: number;
  perDay: number;
}

export const HIKE_SANDBOX_LIMITS: HikeLimits = { perMinute: 60, perDay: 5_000 };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface Refusal {
  problem: RateLimitProblem;
  /** Whole seconds until a call would be admitted, at least 1. */
  retryAfter: number;
}

export class RollingWindows {
  readonly limits: HikeLimits;
  /** Calls refused so far. */
  refused = 0;
  /** Arrival times of the calls of the last 24 hours (from `#head` on), oldest first. */
  #times: number[] = [];
  #head = 0;

  constructor(limits: HikeLimits) {
    for (const [name, value] of Object.entries(limits)) {
      if (!(Number.isInteger(value) && value >= 1)) {
        throw new RangeError(`limits.${name} must be a whole number ≥ 1`);
      }
    }
    this.limits = limits;
  }

  /** Counts a call at `now`; the refusal when a window is full, else undefined. */
  admit(now: number): Refusal | undefined {
    this.#forget(now);
    const inMinute = this.#since(now - MINUTE_MS);
    const inDay = this.#times.length - this.#head;
    this.#times.push(now);
    const minuteFull = inMinute >= this.limits.perMinute;
    const dayFull = inDay >= this.limits.perDay;
    if (!minuteFull && !dayFull) return undefined;
    this.refused++;
    // Both full: waiting for the minute would not help, so the day is named, and the longer wait.
    const waits = [
      minuteFull ? this.#reopens(now, MINUTE_MS, this.limits.perMinute) : 0,
      dayFull ? this.#reopens(now, DAY_MS, this.limits.perDay) : 0,
    ];
    return {
      problem: dayFull ? "Daily" : "Minute",
      retryAfter: Math.max(1, Math.ceil(Math.max(...waits) / 1000)),
    };
  }

  /** The arrival times counted in the last 24 hours (a copy), oldest first. */
  calls(): number[] {
    return this.#times.slice(this.#head);
  }

  /** How many calls arrived after `from` (times are in order: the clock does not go back). */
  #since(from: number): number {
    let lo = this.#head;
    let hi = this.#times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#times[mid]! > from) hi = mid;
      else lo = mid + 1;
    }
    return this.#times.length - lo;
  }

  /**
   * Milliseconds from `now` until a window of `size` holds fewer than `limit` calls, if none
   * arrive meanwhile: when the limit-th newest call is `size` old.
   */
  #reopens(now: number, size: number, limit: number): number {
    // A full window holds more than `limit` calls (this one included), so the index is in range.
    const leaving = this.#times[this.#times.length - limit]!;
    return leaving + size - now;
  }

  #forget(now: number) {
    while (this.#head < this.#times.length && this.#times[this.#head]! <= now - DAY_MS) {
      this.#head++;
    }
    // Drop the forgotten part now and then, not on every call.
    if (this.#head > 1_024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}
