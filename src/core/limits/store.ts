// Where a client keeps its rate-limit state. By default each client keeps its own, in memory: one
// client per connection. A shared store (commerce-openapi/limits-redis) lets several processes, on
// several machines, draw from one connection's allowance without overrunning it.
//
// A client asks its store once, when it is made, for the limiters of its connection; the hot path
// then talks to those limiters only. `tryAcquire` is the synchronous fast path of an in-memory
// limiter; a shared one always answers "no" there and does its work in `acquire`.
import type { Clock } from "../clock.js";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";
import { type WindowRule, WindowScheduler } from "./window-scheduler.js";

/** The rate-limit windows of one connection. */
export interface WindowLimiter<B extends string> {
  /** Counts a request and returns true when it may go now, nobody waiting before it; false (counting nothing) otherwise. */
  tryAcquire(buckets: readonly B[]): boolean;
  /** Waits (first come, first served) until a request in all `buckets` may go, and counts it. */
  acquire(buckets: readonly B[], signal?: AbortSignal | null): Promise<void>;
  /** Holds every request of `bucket` until `until` (epoch ms of the client's clock), e.g. after a 429. */
  pause(bucket: B, until: number): void;
  /** When the bucket's shortest window next has room again, by the client's clock. */
  nextWindowStart(bucket: B, now?: number): number;
}

/** A request's in-flight slot: released exactly once, when its answer has been read. */
export interface Lease {
  release(): void;
}

/** The cap on requests in flight at once (Hiboutik: 30 per shop). */
export interface InFlightLimiter {
  /** A slot now, or undefined (without waiting, taking nothing). */
  tryAcquire(): Lease | undefined;
  /** Waits (first come, first served) for a slot. */
  acquire(signal?: AbortSignal | null): Promise<Lease>;
  /**
   * The vendor refused a call because the period's quota is spent (Hiboutik's 429): a shared store
   * stops every process until the period ends. The in-memory store ignores it, as does the client.
   */
  quotaSpent?(): void;
}

export interface WindowsSpec<B extends string> {
  /** The vendor, which names the keys of a shared store. */
  vendor: string;
  /**
   * What identifies the connection whose allowance the windows count (HubRise: its token). It may
   * be a credential: a store never keeps or sends it as is (the Redis store keys by its SHA-256).
   */
  connection: string;
  buckets: Record<B, readonly WindowRule[]>;
  /** The client's clock: its time is what `pause` and `nextWindowStart` speak. */
  clock: Clock;
  /** See WindowScheduler. Default 1,000 ms. */
  guardMs?: number;
}

export interface InFlightSpec {
  vendor: string;
  /** What identifies the shop whose cap this is (Hiboutik: its account). Treated like `WindowsSpec.connection`. */
  connection: string;
  /** Requests in flight at once, across everyone sharing the store. */
  max: number;
  /**
   * Calls a calendar month (UTC) allows (Hiboutik: 10,000 per shop). Only a shared store counts
   * them: a count in one process's memory starts again at each restart and misses the others.
   */
  perMonth?: number;
  clock: Clock;
}

export interface LimitsStore {
  windows<B extends string>(spec: WindowsSpec<B>): WindowLimiter<B>;
  inFlight(spec: InFlightSpec): InFlightLimiter;
}

/** Today's behaviour and the default: each client counts in its own memory. */
export const memoryLimitsStore: LimitsStore = {
  windows: (spec) =>
    new WindowScheduler(spec.buckets, { clock: spec.clock, guardMs: spec.guardMs }),
  inFlight: (spec) => new ConcurrencyLimiter(spec.max),
};

/** What a client's options say about where its limits live. */
export interface SharedLimitsOptions {
  /**
   * Where the rate limits are counted. Default: in this client's memory, so two clients (or two
   * processes) with one connection each believe they have the whole allowance. Pass a shared store
   * (`redisLimitsStore` from `commerce-openapi/limits-redis`) to every client of the connection.
   */
  limitsStore?: LimitsStore;
  /**
   * Names the connection in a shared store when the client cannot: required when the credential
   * comes from a function or changes (Hike's tokens); otherwise the credential itself is the key
   * (hashed by the store, never stored as is).
   */
  limitsKey?: string;
}

/** The connection identity a shared store keys by; throws when there is none to use. */
export function limitsConnection(
  options: SharedLimitsOptions,
  credential: string | undefined,
  caller: string,
): string {
  if (options.limitsKey !== undefined) {
    if (typeof options.limitsKey !== "string" || options.limitsKey === "") {
      throw new TypeError(`${caller}: limitsKey must be a non-empty string`);
    }
    return options.limitsKey;
  }
  if (credential !== undefined) return credential;
  if (options.limitsStore === undefined || options.limitsStore === memoryLimitsStore) return "";
  throw new TypeError(
    `${caller}: a shared limitsStore needs limitsKey, as the credential is not fixed (name the connection, e.g. its location or store id)`,
  );
}
