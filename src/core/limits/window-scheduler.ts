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
//
// Why one queue per combination of buckets: a full bucket must hold back the later waiters on it
// (FIFO), but not the waiters whose buckets all have room (a heavy query waiting for its window must
// not stall plain requests). Waiters asking for the same buckets are held back together: once the
// first of them cannot go, none behind it can. So a pump looks only at the head of each combination
// (1–3 in practice), never along the queue, and an aborted waiter leaves its list in O(1): with
// thousands queued behind a full window, scanning per call made enqueueing and aborting O(n²).
import { whenAborted } from "../abort.js";
import { type Clock, systemClock } from "../clock.js";
import type { WindowLimiter } from "./store.js";
import { type Place, WaiterQueue } from "./waiter-queue.js";

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

/**
 * The send times a rolling window still counts, oldest first. Expired times are dropped by moving
 * a start index and the array is copied only once they are most of it, so pruning costs O(1)
 * amortized where `splice(0, k)` would move the whole log each time.
 */
class SendLog {
  private times: number[] = [];
  private start = 0;

  get size(): number {
    return this.times.length - this.start;
  }

  /** The `i`-th oldest send time still counted. */
  at(i: number): number | undefined {
    return this.times[this.start + i];
  }

  push(time: number): void {
    this.times.push(time);
  }

  /** Forgets the send times at or before `horizon`. */
  dropUntil(horizon: number): void {
    while (this.start < this.times.length && this.times[this.start]! <= horizon) this.start++;
    if (this.start > 0 && this.start * 2 >= this.times.length) {
      this.times = this.times.slice(this.start);
      this.start = 0;
    }
  }
}

interface BucketState {
  rules: readonly WindowRule[];
  /** Per fixed rule: window index → requests counted in it. */
  counts: Map<number, number>[];
  /** Per rolling rule: send times still inside the window (plus the guard band). */
  logs: SendLog[];
  pausedUntil: number;
  /** The last pump that found this bucket full: the waiters after that on it wait in that pump. */
  fullInPump: number;
}

/** A queued request. */
class Waiter {
  /** Its place in `queue`, for leaving from the middle when aborted. */
  place: Place<Waiter> | undefined;
  /** Stops listening to the signal once granted. */
  stopWaiting: (() => void) | undefined;

  constructor(
    /** Arrival order across all combinations: the pump serves the combinations' heads in it. */
    readonly arrival: number,
    private readonly queue: WaiterQueue<Waiter>,
    readonly signal: AbortSignal | undefined,
    readonly resolve: () => void,
    private readonly reject: (reason: unknown) => void,
    private readonly afterAbort: () => void,
  ) {}

  /** The signal was aborted. Leaving frees no room, so nobody behind can go now: no pump. */
  aborted(): void {
    this.queue.remove(this.place!);
    this.afterAbort();
    this.reject(this.signal?.reason);
  }
}

/** The waiters asking for one same set of buckets, in arrival order. */
interface Combination<B> {
  names: readonly B[];
  states: readonly BucketState[];
  waiters: WaiterQueue<Waiter>;
  /** The last pump in which this combination's first waiter could not go. */
  stuckInPump: number;
}

export class WindowScheduler<B extends string> implements WindowLimiter<B> {
  private readonly clock: Clock;
  private readonly guardMs: number;
  private readonly buckets = new Map<B, BucketState>();
  /** Made on first use and kept: there are only a few (HubRise 2, Hike 1). */
  private readonly combinations: Combination<B>[] = [];
  private arrivals = 0;
  private pumps = 0;
  private timer: { at: number; cancel: () => void } | undefined;
  private lastAsked: { buckets: readonly B[]; combination: Combination<B> } | undefined;

  constructor(buckets: Record<B, readonly WindowRule[]>, options: SchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.guardMs = guardBand(buckets, options.guardMs);
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
        logs: bucketRules.map(() => new SendLog()),
        pausedUntil: 0,
        fullInPump: 0,
      });
    }
  }

  /** Waits (FIFO within each bucket) until a request in all `buckets` may be sent, and counts it. */
  acquire(buckets: readonly B[], signal?: AbortSignal | null): Promise<void> {
    const combination = this.combinationOf(buckets);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const { waiters } = combination;
      const arrival = this.arrivals++;
      const waiter = new Waiter(
        arrival,
        waiters,
        signal ?? undefined,
        resolve,
        reject,
        this.afterAbort,
      );
      waiter.place = waiters.push(waiter);
      if (signal) waiter.stopWaiting = whenAborted(signal, () => waiter.aborted());
      this.pump();
    });
  }

  /** Nobody left waiting: stop the timer, so an idle client does not keep the process alive. */
  private readonly afterAbort = (): void => {
    if (this.waiting === 0) this.schedule(Infinity, this.clock.now());
  };

  /**
   * Counts a request and returns true when it may go now and nobody is queued before it; returns
   * false (counting nothing) otherwise. The common case needs no promise.
   */
  tryAcquire(buckets: readonly B[]): boolean {
    const { states } = this.combinationOf(buckets);
    if (this.waiting > 0) return false;
    const now = this.clock.now();
    for (const s of states) if (this.availableAt(s, now) > now) return false;
    for (const s of states) this.count(s, now);
    return true;
  }

  /** Holds every request of `bucket` until `until` (epoch ms), e.g. after a 429. */
  pause(bucket: B, until: number): void {
    const state = this.stateOf(bucket);
    state.pausedUntil = Math.max(state.pausedUntil, until);
    this.pump();
  }

  /**
   * When the bucket's shortest window next has room again (plus the guard band), from `now`: the
   * next window start of a fixed window, the expiry of the oldest call of a rolling one.
   */
  nextWindowStart(bucket: B, now = this.clock.now()): number {
    const state = this.stateOf(bucket);
    const i = state.rules.reduce(
      (best, r, j) => (r.sizeMs < state.rules[best]!.sizeMs ? j : best),
      0,
    );
    const rule = state.rules[i]!;
    if (rule.rolling) {
      const oldest = this.prune(rule, state.logs[i]!, now).at(0);
      return (oldest ?? now) + rule.sizeMs + this.guardMs;
    }
    return (Math.floor(now / rule.sizeMs) + 1) * rule.sizeMs + this.guardMs;
  }

  /** Requests waiting for a slot (for tests and diagnostics). */
  get waiting(): number {
    let waiting = 0;
    for (const c of this.combinations) waiting += c.waiters.size;
    return waiting;
  }

  private stateOf(bucket: B): BucketState {
    const state = this.buckets.get(bucket);
    if (!state) throw new RangeError(`unknown bucket ${bucket}`);
    return state;
  }

  /**
   * The combination of these buckets, in any order; a linear search, as there are only a few. The
   * clients pass the same few arrays each time, so the last one asked for is remembered by identity.
   */
  private combinationOf(buckets: readonly B[]): Combination<B> {
    if (buckets === this.lastAsked?.buckets) return this.lastAsked.combination;
    const combination = this.findCombination(buckets);
    this.lastAsked = { buckets, combination };
    return combination;
  }

  private findCombination(buckets: readonly B[]): Combination<B> {
    for (const c of this.combinations) if (sameBuckets(c.names, buckets)) return c;
    const names = [...new Set(buckets)];
    const combination: Combination<B> = {
      names,
      states: names.map((b) => this.stateOf(b)),
      waiters: new WaiterQueue(),
      stuckInPump: 0,
    };
    this.combinations.push(combination);
    return combination;
  }

  /** The earliest time ≥ now at which all windows of `bucket` have room (now if they do). */
  private availableAt(state: BucketState, now: number): number {
    let at = Math.max(now, state.pausedUntil);
    for (let i = 0; i < state.rules.length; i++) {
      const rule = state.rules[i]!;
      if (rule.rolling) {
        const log = this.prune(rule, state.logs[i]!, now);
        // Room once enough of the oldest calls have left the window.
        if (log.size >= rule.limit) {
          at = Math.max(at, log.at(log.size - rule.limit)! + rule.sizeMs + this.guardMs);
        }
        continue;
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
    }
    return at;
  }

  private count(state: BucketState, now: number): void {
    for (let i = 0; i < state.rules.length; i++) {
      const rule = state.rules[i]!;
      if (rule.rolling) {
        this.prune(rule, state.logs[i]!, now).push(now);
        continue;
      }
      const counts = state.counts[i]!;
      const first = Math.floor((now - this.guardMs) / rule.sizeMs);
      const last = Math.floor((now + this.guardMs) / rule.sizeMs);
      for (let w = first; w <= last; w++) counts.set(w, (counts.get(w) ?? 0) + 1);
      if (counts.size > last - first + 1) {
        for (const w of counts.keys()) if (w < first) counts.delete(w); // old windows no longer matter
      }
    }
  }

  /** Drops the calls that no longer count in a rolling window; returns the log. */
  private prune(rule: WindowRule, log: SendLog, now: number): SendLog {
    log.dropUntil(now - rule.sizeMs - this.guardMs);
    return log;
  }

  /**
   * Grants every waiter that may go now, in arrival order: the same outcome as walking the whole
   * queue, at the cost of O(combinations) per grant and per pump.
   */
  private pump(): void {
    const now = this.clock.now();
    const pump = ++this.pumps;
    for (;;) {
      // The combination whose first waiter came first, among those not stuck in this pump.
      let next: Combination<B> | undefined;
      let nextArrival = Infinity;
      for (const c of this.combinations) {
        const head = c.waiters.peek();
        if (head && c.stuckInPump !== pump && head.arrival < nextArrival) {
          next = c;
          nextArrival = head.arrival;
        }
      }
      if (!next) break;
      if (this.mayGo(next.states, now, pump)) {
        for (const s of next.states) this.count(s, now);
        const waiter = next.waiters.shift()!;
        waiter.stopWaiting?.();
        waiter.resolve();
      } else {
        // Everyone behind this waiter asks for the same buckets: none of them can go either.
        next.stuckInPump = pump;
      }
    }
    this.schedule(this.nextChance(now), now);
  }

  /**
   * Whether a request in all `states` may go now. Only the buckets that are full hold back later
   * requests (they are marked full for this pump): a heavy query waiting for its own window must
   * not stall the plain requests behind it.
   */
  private mayGo(states: readonly BucketState[], now: number, pump: number): boolean {
    for (const s of states) if (s.fullInPump === pump) return false;
    let may = true;
    for (const s of states) {
      if (this.availableAt(s, now) > now) {
        s.fullInPump = pump;
        may = false;
      }
    }
    return may;
  }

  /**
   * When the first waiter could go, if nobody takes its room first; Infinity when nobody waits.
   * Every waiter of a combination asks for the same buckets, so its head tells for all of them.
   */
  private nextChance(now: number): number {
    let next = Infinity;
    for (const c of this.combinations) {
      if (c.waiters.size === 0) continue;
      let at = now;
      for (const s of c.states) at = Math.max(at, this.availableAt(s, now));
      next = Math.min(next, at);
    }
    return next;
  }

  private schedule(at: number, now: number): void {
    if (at !== Infinity && this.timer && this.timer.at <= at && this.timer.at >= now) return;
    // With nobody waiting the timer goes: a pending one would keep Node running until it fires.
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

/** Whether `buckets` (names may repeat) are the same set as `names` (each once). */
function sameBuckets(names: readonly string[], buckets: readonly string[]): boolean {
  for (const b of buckets) if (!names.includes(b)) return false;
  for (const n of names) if (!buckets.includes(n)) return false;
  return true;
}

/** The guard band of these buckets' windows: as asked (default 1 s), at most a quarter of the smallest. */
export function guardBand(buckets: Record<string, readonly WindowRule[]>, guardMs = 1000): number {
  const smallest = Math.min(
    ...Object.values(buckets).flatMap((rules) => rules.map((r) => r.sizeMs)),
  );
  return Math.min(guardMs, Math.floor(smallest / 4));
}
