// Hiboutik's published limits per shop (FAQ "API requests"), on the sandbox's clock: 10,000 calls a
// month and 30 calls at the same time, shared by every app of the shop. Once the month's calls are
// spent every call answers 429 until the month ends (the counter starts again on the 1st, local
// time). A call beyond the 30 in flight is refused with 429 as well (GAP: the vendor documents the
// cap, not its refusal; 429 is the status it documents for its limits). No rate-limit header is
// sent: the vendor sends none.
import type { Admission, SandboxResponse } from "../../sandbox/server.js";
import { errorResponse } from "./errors.js";
import { daysInMonth, localDateTime } from "./format.js";

export interface HiboutikLimitOptions {
  /** Calls in flight at once. Default 30. */
  inFlight?: number;
  /** Calls per calendar month. Default 10,000. */
  monthlyQuota?: number;
  /** Start with this month's calls all spent (every call answers 429 until the month ends). */
  quotaExhausted?: boolean;
}

export interface HiboutikLimits {
  readonly inFlightLimit: number;
  readonly monthlyQuota: number;
  /** Calls in flight now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Calls counted in the current month (`YYYY-MM`, local time). */
  readonly month: string;
  readonly callsThisMonth: number;
  /** Spends the rest of this month's calls. */
  exhaust(): void;
  /** Gives this month's calls back. */
  resetMonth(): void;
}

export const HIBOUTIK_DEFAULT_LIMITS = { inFlight: 30, monthlyQuota: 10_000 } as const;

export function createLimits(
  options: HiboutikLimitOptions,
  now: () => number,
  timeZone: string,
): HiboutikLimits & { admit(): Admission | SandboxResponse } {
  const inFlightLimit = options.inFlight ?? HIBOUTIK_DEFAULT_LIMITS.inFlight;
  const monthlyQuota = options.monthlyQuota ?? HIBOUTIK_DEFAULT_LIMITS.monthlyQuota;
  let month = "";
  /** Until when the month cannot have changed (the local time is read again after it). */
  let stableUntil = -Infinity;
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const roll = () => {
    const at = now();
    if (at < stableUntil) return;
    const local = localDateTime(at, timeZone);
    const current = local.slice(0, 7);
    if (current !== month) {
      month = current;
      calls = 0;
    }
    // What is left of the local month, less a day for clock changes and zone offsets.
    const [y, m, d] = [0, 5, 8].map((i) => Number(local.slice(i, i + (i === 0 ? 4 : 2))));
    const secondOfDay = Number(local.slice(11, 13)) * 3600 + Number(local.slice(14, 16)) * 60;
    const left = (daysInMonth(y!, m!) - d!) * 86_400_000 + (86_400 - secondOfDay) * 1000;
    stableUntil = at + left - 86_400_000;
  };
  roll();
  if (options.quotaExhausted) calls = monthlyQuota;
  return {
    inFlightLimit,
    monthlyQuota,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get month() {
      roll();
      return month;
    },
    get callsThisMonth() {
      roll();
      return calls;
    },
    exhaust() {
      roll();
      calls = monthlyQuota;
    },
    resetMonth() {
      roll();
      calls = 0;
    },
    admit() {
      roll();
      if (calls >= monthlyQuota) {
        return errorResponse(
          429,
          `The monthly API call quota of this account (${monthlyQuota} calls) is spent: every call is refused until the end of the month unless more calls are bought`,
          { error: "quota_exceeded" },
        );
      }
      if (inFlight >= inFlightLimit) {
        return errorResponse(
          429,
          `Too many concurrent calls: at most ${inFlightLimit} calls of this account may be in progress at once`,
          { error: "too_many_concurrent_calls" },
        );
      }
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          inFlight--;
        },
      };
    },
  };
}
