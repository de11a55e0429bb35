// A shop's cap on calls in flight (Hiboutik: 30), shared by every process through Redis, and the
// shop's monthly call count. A slot is a lease with an expiry: the process renews its leases while
// it holds them, so a process that crashes or is killed gives its slots back once they expire
// rather than keeping them for ever. A release wakes the first process in line.
import type { Clock } from "../core/clock.js";
import { QuotaExhaustedError } from "../core/errors.js";
import { ConcurrencyLimiter } from "../core/limits/concurrency-limiter.js";
import type { InFlightLimiter, InFlightSpec, Lease } from "../core/limits/store.js";
import { Secrets } from "../core/redact.js";
import { type StoreConnection, storeError } from "./connection.js";
import { ACQUIRE_LEASE, QUOTA_SPENT, RELEASE_LEASES, RENEW_LEASES, SLOTS } from "./lua.js";
import type { Outage } from "./outage.js";
import type { StoreContext } from "./store-context.js";
import { TicketLine } from "./ticket-line.js";

/** Time measured by the system clock: leases are about processes being alive, in real time. */
const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

export class RedisInFlight implements InFlightLimiter {
  readonly #line: TicketLine<Lease>;
  readonly #held = new Set<string>();
  #renewal: ReturnType<typeof setInterval> | undefined;
  #leases = 0;
  #local: ConcurrencyLimiter | undefined;

  constructor(
    private readonly spec: InFlightSpec,
    private readonly store: StoreContext,
    private readonly connection: StoreConnection,
    private readonly outage: Outage,
    private readonly leaseMs: number,
  ) {
    new ConcurrencyLimiter(spec.max); // validates max
    const ticket = store.ticket(SLOTS);
    const queueArgs = [...store.time, ticket, SLOTS, store.ticketTtlMs] as const;
    this.#line = new TicketLine<Lease>({
      attempt: async () => {
        const id = `${ticket}:${++this.#leases}`;
        const [wait] = (await connection.run(ACQUIRE_LEASE, store.key, [
          ...queueArgs,
          id,
          spec.max,
          leaseMs,
          spec.perMonth ?? 0,
        ])) as [number, number];
        outage.succeeded();
        if (wait === 0) return { granted: this.#lease(id) };
        if (wait === -2) return { refused: this.#quotaSpentError() };
        if (wait < 0) return { queued: true };
        return { retryIn: wait, clock: realClock };
      },
      leave: () => connection.run(store.leaveScript, store.key, queueArgs),
      storeFailed: (failure, signal) => {
        const error = storeError(spec.vendor, failure);
        outage.failed(error);
        if (!outage.local) return Promise.reject(error);
        return this.#localLimiter().acquire(signal);
      },
      refreshMs: store.ticketTtlMs / 3,
    });
    connection.listen(store.channel, (name) => {
      if (name === ticket) this.#line.wake();
    });
  }

  /** A shared slot needs a round trip: the fast path never applies. */
  tryAcquire(): undefined {
    return undefined;
  }

  acquire(signal?: AbortSignal | null): Promise<Lease> {
    if (this.outage.local) return this.#localLimiter().acquire(signal);
    return this.#line.wait(signal);
  }

  quotaSpent(): void {
    this.connection.run(QUOTA_SPENT, this.store.key, this.store.time).catch(() => {});
  }

  #lease(id: string): Lease {
    this.#held.add(id);
    this.#renewal ??= setInterval(() => this.#renew(), this.leaseMs / 3);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#held.delete(id);
        if (this.#held.size === 0) {
          clearInterval(this.#renewal);
          this.#renewal = undefined;
        }
        // If Redis cannot be told, the lease expires by itself after leaseMs.
        this.connection.run(RELEASE_LEASES, this.store.key, [id]).catch(() => {});
      },
    };
  }

  #renew(): void {
    if (this.#held.size === 0) return;
    this.connection
      .run(RENEW_LEASES, this.store.key, [this.leaseMs, ...this.#held])
      .catch(() => {}); // an outage: the leases may expire, and the slots with them
  }

  #quotaSpentError(): QuotaExhaustedError {
    return new QuotaExhaustedError(
      { vendor: this.spec.vendor, operation: "", secrets: new Secrets() },
      { status: 429, attempts: 0 },
      "the shop's calls for this month are spent (counted in the shared limits store); nothing was sent",
    );
  }

  #localLimiter(): ConcurrencyLimiter {
    return (this.#local ??= new ConcurrencyLimiter(this.spec.max));
  }
}
