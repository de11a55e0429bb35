// A worker process paging HubRise's heavy order list (`/location/orders`, a heavy query) over its
// own part of the orders (`after` ≤ created < `before`), with the connection's token shared with
// the other workers. Its clock is the sandbox's accelerated clock, read from the same origin
// (`start` at `realStart`); its limits live in the Redis store (`store` given) or in its own memory
// (`store` null: each process then believes it has the whole allowance). Result: the order ids it
// received, and the error that stopped it, if one did. It warms up, says it is ready and pages
// once the parent says "go".
import { acceleratedClock } from "../../../src/core/clock.js";
import { createHubriseClient, type LimitsStore } from "../../../src/hubrise/index.js";
import { openStore, params, readyThenGo, say, type StoreParams } from "./common.js";

export interface HubrisePagerParams {
  baseUrl: string;
  accessToken: string;
  store: StoreParams | null;
  scale: number;
  /** The sandbox clock's time at `realStart` (epoch ms of real time). */
  start: number;
  realStart: number;
  heavyPerMinute: number;
  /**
   * The client's guard band around window boundaries, in the sandbox's time. It covers the time
   * between the store's grant and the request's arrival; on a clock 60 times faster, the default
   * 1,000 ms is 17 ms of real time, less than a loaded machine's latency.
   */
  windowGuardMs: number;
  pageSize: number;
  after?: string;
  before?: string;
  /** Print `{granted, buckets}` (the client's clock) each time the store lets a request go. */
  logGrants?: boolean;
}

export interface HubrisePagerResult {
  ids: string[];
  error?: string;
  ms: number;
}

const p = params<HubrisePagerParams>();
const clock = acceleratedClock(p.scale, p.start + (Date.now() - p.realStart) * p.scale);
const shared = p.store ? openStore(p.store) : undefined;
const limitsStore: LimitsStore | undefined =
  shared && p.logGrants ? loggingGrants(shared.store) : shared?.store;

/** The store, saying when each acquire resolved (to compare with when the sandbox saw it). */
function loggingGrants(store: LimitsStore): LimitsStore {
  return {
    inFlight: (spec) => store.inFlight(spec),
    windows(spec) {
      const limiter = store.windows(spec);
      return {
        tryAcquire: (buckets) => limiter.tryAcquire(buckets),
        async acquire(buckets, signal) {
          await limiter.acquire(buckets, signal);
          say({ granted: clock.now(), buckets });
        },
        pause: (bucket, until) => limiter.pause(bucket, until),
        nextWindowStart: (bucket, now) => limiter.nextWindowStart(bucket, now),
      };
    },
  };
}
const client = createHubriseClient(
  { accessToken: p.accessToken },
  {
    baseUrl: p.baseUrl,
    clock,
    limits: { heavy: [{ sizeMs: 60_000, limit: p.heavyPerMinute }] },
    windowGuardMs: p.windowGuardMs,
    ...(limitsStore ? { limitsStore } : {}),
  },
);
// A first, light request (not a heavy query) opens the connection and loads what the first call
// loads, so the paging's requests reach the sandbox right after the store lets them go.
await client.GET("/location");
await readyThenGo();
const t0 = performance.now();
const ids: string[] = [];
let error: string | undefined;
try {
  const query = {
    count: p.pageSize,
    ...(p.after !== undefined ? { after: p.after } : {}),
    ...(p.before !== undefined ? { before: p.before } : {}),
  };
  for await (const order of client.paginate("/location/orders", { params: { query } })) {
    ids.push(order.id);
  }
} catch (err) {
  error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
} finally {
  await shared?.close();
}
say({ ids, ...(error !== undefined ? { error } : {}), ms: performance.now() - t0 });
