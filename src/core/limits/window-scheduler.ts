// Client-side scheduling for rate-limit windows. Fixed windows are aligned to the clock (HubRise:
// 500 a minute, 2,500 an hour, 10,000 a day, each starting at the round minute/hour/day); rolling
// windows count the calls of the last `sizeMs` (Hike: 60 in any 60 s, 5,000 in any 24 h). Requests
// wait until every window of every bucket they belong to has room, so the vendor never refuses.
//
// Why a guard band: the vendor counts a request when it arrives, by its own clock. A request sent
// just before a window boundary may be counted in the next window, and clocks drift. A request sent
// within `guardMs` of a boundary therefore counts against the windows on both sides of it; in a
// rolling window a call keeps counting for `guardMs` after it leaves the window.
//
// Why buckets pause as a whole: when the vendor refuses one request (429) every queued request of
// that class would be refused too, so the bucket stops, not just the refused request.
import { type Clock, systemClock } from "../clock.js";

export interface WindowRule {
  /** Window length in ms; windows start at multiples of it since the Unix epoch (UTC). */
  sizeMs: number;
  /** Requests allowed per window. */
  limit: number;
  /** A rolling window (the last `sizeMs`, sliding) instead of one aligned to the clock. */
  rolling?: boolean;
}

export interface SchedulerOptions {
  clock?: Clock;
  /** See the file comment; must be well under half the smallest window. Default 1,000 ms. */
  guardMs?: number;
}

interface BucketState {
  rules: readonly WindowRule[];
  /** Per fixed rule: window index → requests counted in it. */
  counts: Map<number, number>[];
  /** Per rolling rule: send times still inside the window (plus the guard band), oldest first. */
  logs: number[][];
  pausedUntil: number;
}

interface Waiter<B> {
  buckets: readonly B[];
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class WindowScheduler<B extends string> {
  private readonly clock: Clock;
  private readonly guardMs: number;
  private readonly buckets = new Map<B, BucketState>();
  private readonly queue: Waiter<B>[] = [];
  private timer: { at: number; cancel: () => void } | undefined;

  constructor(buckets: Record<B, readonly WindowRule[]>, options: SchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    const rules = Object.values(buckets) as (readonly WindowRule[])[];
    const smallest = Math.min(...rules.flat().map((r) => r.sizeMs));
    this.guardMs = Math.min(options.guardMs ?? 1000, Math.floor(smallest / 4));
    for (const [name, bucketRules] of Object.entries(buckets) as [B, readonly WindowRule[]][]) {
      for (const r of bucketRules) {
        if (!(r.sizeMs > 0 && Number.isInteger(r.limit) && r.limit > 0)) {
          throw new RangeError(
            `bucket ${name}: window ${r.sizeMs} ms / ${r.limit} is not a valid limit`,
          );
        }
      }
      this.buckets.set(name, {
        rules: bucketRules,
        counts: bucketRules.map(() => new Map()),
        logs: bucketRules.map(() => []),
        pausedUntil: 0,
      });
    }
  }

  /** Waits (FIFO within each bucket) until a request in all `buckets` may be sent, and counts it. */
  acquire(buckets: readonly B[], signal?: AbortSignal | null): Promise<void> {
    for (const b of buckets) if (!this.buckets.has(b)) throw new RangeError(`unknown bucket ${b}`);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter<B> = {
        buckets,
        resolve,
        reject,
        signal: signal ?? undefined,
        onAbort: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal?.reason);
          this.pump();
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /**
   * Counts a request and returns true when it may go now and nobody is queued before it; returns
   * false (counting nothing) otherwise. The common case needs no promise.
   */
  tryAcquire(buckets: readonly B[]): boolean {
    if (this.queue.length > 0) return false;
    const now = this.clock.now();
    const states = buckets.map((b) => {
      const state = this.buckets.get(b);
      if (!state) throw new RangeError(`unknown bucket ${b}`);
      return state;
    });
    if (states.some((s) => this.availableAt(s, now) > now)) return false;
    for (const s of states) this.count(s, now);
    return true;
  }

  /** Holds every request of `bucket` until `until` (epoch ms), e.g. after a 429. */
  pause(bucket: B, until: number): void {
    const state = this.buckets.get(bucket);
    if (!state) throw new RangeError(`unknown bucket ${bucket}`);
    state.pausedUntil = Math.max(state.pausedUntil, until);
    this.pump();
  }

  /**
   * When the bucket's shortest window next has room again (plus the guard band), from `now`: the
   * next window start of a fixed window, the expiry of the oldest call of a rolling one.
   */
  nextWindowStart(bucket: B, now = this.clock.now()): number {
    const state = this.buckets.get(bucket);
    if (!state) throw new RangeError(`unknown bucket ${bucket}`);
    const i = state.rules.reduce(
      (best, r, j) => (r.sizeMs < state.rules[best]!.sizeMs ? j : best),
      0,
    );
    const rule = state.rules[i]!;
    if (rule.rolling) {
      const oldest = this.prune(rule, state.logs[i]!, now)[0];
      return (oldest ?? now) + rule.sizeMs + this.guardMs;
    }
    return (Math.floor(now / rule.sizeMs) + 1) * rule.sizeMs + this.guardMs;
  }

  /** Requests waiting for a slot (for tests and diagnostics). */
  get waiting(): number {
    return this.queue.length;
  }

  /** The earliest time ≥ now at which all windows of `bucket` have room (now if they do). */
  private availableAt(state: BucketState, now: number): number {
    let at = Math.max(now, state.pausedUntil);
    state.rules.forEach((rule, i) => {
      if (rule.rolling) {
        const log = this.prune(rule, state.logs[i]!, now);
        // Room once enough of the oldest calls have left the window.
        if (log.length >= rule.limit) {
          at = Math.max(at, log[log.length - rule.limit]! + rule.sizeMs + this.guardMs);
        }
        return;
      }
      const counts = state.counts[i]!;
      const first = Math.floor((now - this.guardMs) / rule.sizeMs);
      const last = Math.floor((now + this.guardMs) / rule.sizeMs);
      for (let w = last; w >= first; w--) {
        if ((counts.get(w) ?? 0) >= rule.limit) {
          at = Math.max(at, (w + 1) * rule.sizeMs + this.guardMs);
          break;
        }
      }
    });
    return at;
  }

  private count(state: BucketState, now: number): void {
    state.rules.forEach((rule, i) => {
      if (rule.rolling) {
        this.prune(rule, state.logs[i]!, now).push(now);
        return;
      }
      const counts = state.counts[i]!;
      const first = Math.floor((now - this.guardMs) / rule.sizeMs);
      const last = Math.floor((now + this.guardMs) / rule.sizeMs);
      for (let w = first; w <= last; w++) counts.set(w, (counts.get(w) ?? 0) + 1);
      if (counts.size > last - first + 1) {
        for (const w of counts.keys()) if (w < first) counts.delete(w); // old windows no longer matter
      }
    });
  }

  /** Drops the calls that no longer count in a rolling window; returns the log. */
  private prune(rule: WindowRule, log: number[], now: number): number[] {
    const horizon = now - rule.sizeMs - this.guardMs;
    let expired = 0;
    while (expired < log.length && log[expired]! <= horizon) expired++;
    if (expired > 0) log.splice(0, expired);
    return log;
  }

  private pump(): void {
    const now = this.clock.now();
    const blocked = new Set<B>(); // a full bucket keeps its order: later waiters on it wait too
    let wakeAt = Infinity;
    for (const waiter of [...this.queue]) {
      if (waiter.buckets.some((b) => blocked.has(b))) continue;
      const states = waiter.buckets.map((b) => this.buckets.get(b)!);
      const times = states.map((s) => this.availableAt(s, now));
      const at = Math.max(now, ...times);
      if (at <= now) {
        for (const s of states) this.count(s, now);
        this.queue.splice(this.queue.indexOf(waiter), 1);
        waiter.signal?.removeEventListener("abort", waiter.onAbort);
        waiter.resolve();
      } else {
        // Only the buckets that are full hold back later requests: a heavy query waiting for its
        // own window must not stall the plain requests behind it.
        waiter.buckets.forEach((b, i) => {
          if (times[i]! > now) blocked.add(b);
        });
        wakeAt = Math.min(wakeAt, at);
      }
    }
    this.schedule(wakeAt, now);
  }

  private schedule(at: number, now: number): void {
    if (this.timer && this.timer.at <= at && this.timer.at >= now) return;
    this.timer?.cancel();
    this.timer = undefined;
    if (at === Infinity) return;
    const cancel = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, at - now);
    this.timer = { at, cancel };
  }
}
