// Row 8, in its own process started with --expose-gc: N calls queue behind a full HubRise minute
// window, then every one is aborted. Times both phases per queue size and prints one JSON line.
// A control runs interleaved with it: the same calls with no scheduler (a promise and one abort
// listener per call signal), because Node's own AbortSignal costs several µs per listener and per
// abort() on its own, and that is most of what is measured.
// Arguments: the queue sizes (default 1,000 10,000 100,000). BENCH_REPETITIONS: fewer repetitions
// (the old quadratic scheduler took 11 s for one pass at 20,000).
import type { Clock } from "../src/core/clock.js";
import { WindowScheduler } from "../src/core/limits/window-scheduler.js";
import { type HubriseBucket, HUBRISE_LIMITS } from "../src/hubrise/rate-limits.js";
import { median } from "./stats.js";

export interface Phases {
  enqueueMs: number;
  abortMs: number;
}

export interface QueueRun extends Phases {
  calls: number;
  /** The same calls without a scheduler. Every figure is a median over the repetitions, in ms. */
  control: Phases;
  repetitions: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

// Half a minute into a window: no guard band reaches a neighbouring window, and the clock stands
// still, so the window stays full for the whole measurement and no timer ever fires.
const NOW = Math.ceil(Date.now() / 60_000) * 60_000 + 30_000;
const stillClock: Clock = { now: () => NOW, setTimeout: () => () => undefined };
const CONNECTION: HubriseBucket[] = ["connection"];
const CONNECTION_AND_HEAVY: HubriseBucket[] = ["connection", "heavy"];
const HEAVY_EVERY = 50; // 2% heavy queries, as a client paging orders among plain calls would send

type Enqueue = (buckets: HubriseBucket[], signal: AbortSignal) => Promise<void>;

/** What a waiter costs with no scheduler at all: a promise and its abort listener. */
const bareWait: Enqueue = (_buckets, signal) =>
  new Promise<void>((_resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

async function once(calls: number, withScheduler: boolean): Promise<Phases> {
  const scheduler = new WindowScheduler(HUBRISE_LIMITS, { clock: stillClock });
  for (let i = 0; i < 500; i++) await scheduler.acquire(CONNECTION); // the minute window is full
  const enqueue: Enqueue = withScheduler ? (b, s) => scheduler.acquire(b, s) : bareWait;
  // One signal per call, as each client call brings its own; made before timing: not ours to count.
  const controllers = Array.from({ length: calls }, () => new AbortController());
  const waits: Promise<void>[] = new Array(calls);
  gc!();

  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const buckets = i % HEAVY_EVERY === HEAVY_EVERY - 1 ? CONNECTION_AND_HEAVY : CONNECTION;
    waits[i] = enqueue(buckets, controllers[i]!.signal);
  }
  const enqueueMs = performance.now() - t0;
  const queued = withScheduler ? calls : 0;
  if (scheduler.waiting !== queued) throw new Error(`${scheduler.waiting} of ${calls} queued`);

  const settled = Promise.allSettled(waits);
  gc!();
  const t1 = performance.now();
  for (const controller of controllers) controller.abort();
  const outcomes = await settled;
  const abortMs = performance.now() - t1;
  if (scheduler.waiting !== 0 || outcomes.some((o) => o.status !== "rejected")) {
    throw new Error("an aborted call was not rejected, or is still queued");
  }
  return { enqueueMs, abortMs };
}

const medians = (xs: Phases[]): Phases => ({
  enqueueMs: median(xs.map((x) => x.enqueueMs)),
  abortMs: median(xs.map((x) => x.abortMs)),
});

const sizes = process.argv.slice(2).map(Number);
const runs: QueueRun[] = [];
// Warm-up: the small sizes should not pay for the JIT.
for (let i = 0; i < 3; i++)
  for (const withScheduler of [true, false]) await once(1_000, withScheduler);
for (const calls of sizes.length > 0 ? sizes : [1_000, 10_000, 100_000]) {
  // Small queues take a few milliseconds: more repetitions keep their median steady.
  const repetitions =
    Number(process.env.BENCH_REPETITIONS) || (calls <= 1_000 ? 15 : calls <= 10_000 ? 7 : 3);
  const scheduled: Phases[] = [];
  const control: Phases[] = [];
  for (let r = 0; r < repetitions; r++) {
    scheduled.push(await once(calls, true));
    control.push(await once(calls, false));
  }
  runs.push({ calls, ...medians(scheduled), control: medians(control), repetitions });
}
console.log(JSON.stringify(runs));
