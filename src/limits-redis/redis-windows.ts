// A connection's rate-limit windows counted in Redis: HubRise's fixed windows (aligned to the round
// minute, hour and day) and heavy-query bucket, Hike's rolling windows. Each acquire is one script
// run (ACQUIRE_WINDOWS): it checks every window and pause of the request's buckets, and counts it,
// atomically. A 429's pause is stored in Redis, so every process holds back until it ends.
import type { Clock } from "../core/clock.js";
import type { WindowLimiter, WindowsSpec } from "../core/limits/store.js";
import { guardBand, WindowScheduler } from "../core/limits/window-scheduler.js";
import type { StoreConnection } from "./connection.js";
import { storeError } from "./connection.js";
import { ACQUIRE_WINDOWS, PAUSE } from "./lua.js";
import type { Outage } from "./outage.js";
import { TicketLine } from "./ticket-line.js";
import type { StoreContext } from "./store-context.js";

interface Line {
  line: TicketLine<void>;
  /** Its name in the shared queue, which the wake message names. */
  ticket: string;
}

export class RedisWindows<B extends string> implements WindowLimiter<B> {
  readonly #lines = new Map<string, Line>();
  readonly #clock: Clock;
  readonly #guardMs: number;
  /** Store time minus the client's clock, as of the last answer. */
  #offset = 0;
  #local: WindowScheduler<B> | undefined;

  constructor(
    private readonly spec: WindowsSpec<B>,
    private readonly store: StoreContext,
    private readonly connection: StoreConnection,
    private readonly outage: Outage,
  ) {
    this.#clock = spec.clock;
    this.#guardMs = guardBand(spec.buckets, spec.guardMs);
    new WindowScheduler(spec.buckets); // validates the rules, as the in-memory store does
    connection.listen(store.channel, (ticket) => {
      for (const l of this.#lines.values()) if (l.ticket === ticket) l.line.wake();
    });
  }

  /** A shared count needs a round trip: the fast path never applies. */
  tryAcquire(): boolean {
    return false;
  }

  acquire(buckets: readonly B[], signal?: AbortSignal | null): Promise<void> {
    if (this.outage.local) return this.#localScheduler().acquire(buckets, signal);
    return this.#lineOf(buckets).wait(signal);
  }

  pause(bucket: B, until: number): void {
    this.#local?.pause(bucket, until);
    const delay = Math.max(0, Math.ceil(until - this.#clock.now()));
    // If Redis cannot be told, the next acquire meets the same outage (and fails or goes local).
    this.connection.run(PAUSE, this.store.key, [...this.store.time, bucket, delay]).catch(() => {});
  }

  /**
   * For fixed windows, the next start by store time (converted with the last known offset). For a
   * rolling window the other processes' calls are not known here, so a whole window from now.
   */
  nextWindowStart(bucket: B, now = this.#clock.now()): number {
    const rules = this.spec.buckets[bucket];
    if (!rules) throw new RangeError(`unknown bucket ${bucket}`);
    const rule = rules.reduce((a, r) => (r.sizeMs < a.sizeMs ? r : a));
    if (rule.rolling) return now + rule.sizeMs + this.#guardMs;
    const storeNow = now + this.#offset;
    return (Math.floor(storeNow / rule.sizeMs) + 1) * rule.sizeMs + this.#guardMs - this.#offset;
  }

  #lineOf(buckets: readonly B[]): TicketLine<void> {
    const names = [...new Set(buckets)].sort();
    const name = names.join("+");
    const known = this.#lines.get(name);
    if (known) return known.line;
    const ticket = this.store.ticket(names);
    const args: (string | number)[] = [
      ...this.store.time,
      ticket,
      name,
      this.store.ticketTtlMs,
      this.#guardMs,
      names.length,
    ];
    for (const b of names) {
      const rules = this.spec.buckets[b as B];
      if (!rules) throw new RangeError(`unknown bucket ${b}`);
      args.push(b, rules.length);
      for (const r of rules) args.push(r.sizeMs, r.limit, r.rolling ? 1 : 0);
    }
    const leaveArgs = args.slice(0, 6);
    const line = new TicketLine<void>({
      attempt: async () => {
        const [wait, storeNow] = (await this.connection.run(
          ACQUIRE_WINDOWS,
          this.store.key,
          args,
        )) as [number, number];
        this.outage.succeeded();
        this.#offset = storeNow - this.#clock.now();
        if (wait === 0) return { granted: undefined };
        if (wait < 0) return { queued: true };
        return { retryIn: wait, clock: this.#clock };
      },
      leave: () => this.connection.run(this.store.leaveScript, this.store.key, leaveArgs),
      storeFailed: (failure, signal) => {
        const error = storeError(this.spec.vendor, failure);
        this.outage.failed(error);
        if (!this.outage.local) return Promise.reject(error);
        return this.#localScheduler().acquire(names as B[], signal);
      },
      refreshMs: this.store.ticketTtlMs / 3,
    });
    this.#lines.set(name, { line, ticket });
    return line;
  }

  /** This process's own windows, counted only during an outage in "local" mode. */
  #localScheduler(): WindowScheduler<B> {
    return (this.#local ??= new WindowScheduler(this.spec.buckets, {
      clock: this.#clock,
      guardMs: this.spec.guardMs,
    }));
  }
}
