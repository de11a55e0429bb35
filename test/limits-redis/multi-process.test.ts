// The Redis limits store across real processes: what one process cannot show. Each worker is its own
// Node process (workers/*.ts) with its own ioredis client and store, as a deployment of several
// instances of an integration runs; the sandbox runs here, in the test's process, and counts what
// reaches it.
//
// - HubRise: 4 processes share one token and page the heavy order list, each its own part of the
//   orders, under windows of a few requests a minute on a clock where a minute lasts a second.
//   With the Redis store the sandbox refuses nothing and every order arrives exactly once; with the
//   in-memory store (the default) each process believes it has the whole allowance and the sandbox
//   answers 429 — the contrast shows the test can fail.
// - Hiboutik: 4 processes fire many overlapping calls; the sandbox (which answers 429 beyond 30 in
//   flight) never sees more than 30. Then one process is killed (SIGKILL) while it holds slots: its
//   leases expire, the others finish, and all 30 slots can be taken again.
//
// No timed assertions: deadlines only catch hangs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceleratedClock } from "../../src/core/clock.js";
import { startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { type RedisServer, redisSkipReason, startRedisServer } from "../support/redis-server.js";
import type { HiboutikCallerParams, HiboutikCallerResult } from "./workers/hiboutik-caller.js";
import type { HubrisePagerParams, HubrisePagerResult } from "./workers/hubrise-pager.js";
import { orderRuns, warmUp } from "./workers/order-runs.js";
import { killWorkers, spawnWorker, type Worker } from "./workers/spawn-worker.js";

const skip = redisSkipReason();
let redis: RedisServer | undefined;

beforeAll(async () => {
  if (!skip) redis = await startRedisServer();
});

afterAll(() => {
  killWorkers();
  redis?.kill();
});

const prefix = (name: string) => `mp-${name}-${process.pid}-${Date.now()}`;

/** Once every worker is up (its start-up is its own), tells them all to go at once. */
async function startTogether(workers: readonly Worker<unknown>[]): Promise<void> {
  await Promise.all(workers.map((w) => w.message((m) => m.ready === true)));
  for (const w of workers) w.go();
}

/** One heavy-query page through the sandbox, by a connection the test does not measure. */
/** Requests per window (minute of the sandbox's clock). */
function perWindow(records: readonly { at: number }[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of records) {
    const minute = Math.floor(r.at / 60_000);
    counts.set(minute, (counts.get(minute) ?? 0) + 1);
  }
  return counts;
}

describe.skipIf(skip)("HubRise: 4 processes, one token, heavy-query paging", () => {
  const SCALE = 60; // a minute lasts a second
  const HEAVY_PER_MINUTE = 4; // the sandbox's and the clients' heavy-query window
  const PAGE_SIZE = 10;
  const WORKERS = 4;
  const ORDERS = 200; // 5 pages a worker: 20 heavy queries, 5 windows at least
  // The time between the store's grant and the request's arrival, in the sandbox's time, is 60
  // times what it is in real time: 15 s (the most a 1-minute window takes) is 250 ms of a loaded
  // machine, e.g. the whole test suite running beside (the default 1 s would be 17 ms).
  const GUARD_MS = 15_000;

  async function run(shared: boolean) {
    const storePrefix = prefix(shared ? "hubrise" : "unused");
    const realStart = Date.now();
    // Just past a round minute of the sandbox's clock, so the run starts at a window's beginning.
    const start = Math.ceil(realStart / 60_000) * 60_000 + 2_000;
    const sandbox = await startHubriseSandbox({
      clock: acceleratedClock(SCALE, start),
      credentials: { accessToken: "shared-token" },
      size: { orders: ORDERS },
      limits: { heavyMinute: HEAVY_PER_MINUTE },
    });
    try {
      const { orders, firsts } = orderRuns(sandbox, WORKERS);
      await warmUp(sandbox, PAGE_SIZE);
      const measuredFrom = sandbox.requests.length;
      const workers = firsts.map((first, k) =>
        spawnWorker<HubrisePagerResult>(
          "hubrise-pager.ts",
          {
            baseUrl: sandbox.url,
            accessToken: "shared-token",
            store: shared
              ? {
                  redisPort: redis!.port,
                  prefix: storePrefix,
                  timeScale: { scale: SCALE, start, realStart },
                }
              : null,
            scale: SCALE,
            start,
            realStart,
            heavyPerMinute: HEAVY_PER_MINUTE,
            windowGuardMs: GUARD_MS,
            pageSize: PAGE_SIZE,
            logGrants: shared,
            ...(k > 0 ? { after: first } : {}),
            ...(k < WORKERS - 1 ? { before: firsts[k + 1]! } : {}),
          } satisfies HubrisePagerParams,
          { name: `hubrise worker ${k}`, deadlineMs: 90_000 },
        ),
      );
      await startTogether(workers);
      const results = await Promise.all(workers.map((w) => w.result));
      // When the store let each heavy query go, by the clients' clocks (the store's time).
      const grants = workers.flatMap((w) =>
        w.messages.flatMap((m) =>
          typeof m.granted === "number" && String(m.buckets).includes("heavy")
            ? [{ at: m.granted }]
            : [],
        ),
      );
      const heavy = sandbox.requests
        .slice(measuredFrom)
        .filter((r) => r.operationId === "listCurrentLocationOrders");
      const accepted = heavy.filter((r) => r.status === 200);
      const windows = perWindow(accepted);
      return {
        orders: orders.map((o) => o.id),
        results,
        rejected: sandbox.requests.filter((r) => r.status === 429).length,
        windows: windows.size,
        perWindowMax: Math.max(...windows.values()),
        accepted: accepted.length,
        grantsPerWindowMax: Math.max(0, ...perWindow(grants).values()),
        violations: sandbox.violations,
        seconds: (Date.now() - realStart) / 1000,
      };
    } finally {
      await sandbox.close();
    }
  }

  it("with the Redis store: no 429, every order exactly once, across several windows", async () => {
    const run1 = await run(true);
    const received = run1.results.flatMap((r) => r.ids);
    console.log(
      `HubRise, Redis store: ${run1.rejected} × 429, ${run1.accepted} heavy queries accepted over ` +
        `${run1.windows} windows (at most ${run1.perWindowMax} a window, ${HEAVY_PER_MINUTE} allowed; ` +
        `the store granted at most ${run1.grantsPerWindowMax} a window), ` +
        `${received.length} orders received of ${run1.orders.length}, ${run1.seconds.toFixed(1)} s`,
    );
    expect(run1.results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(run1.rejected).toBe(0);
    expect(run1.perWindowMax).toBeLessThanOrEqual(HEAVY_PER_MINUTE);
    // The store's own count, whatever the network did after: never more grants than a window holds.
    expect(run1.grantsPerWindowMax).toBe(HEAVY_PER_MINUTE);
    expect(run1.windows).toBeGreaterThanOrEqual(4);
    // Each worker had its own part: the union is every order, none twice.
    expect(received.length).toBe(new Set(received).size);
    expect([...received].sort()).toEqual([...run1.orders].sort());
    // Every worker did its share of the paging (the parts were not empty).
    for (const r of run1.results) expect(r.ids.length).toBeGreaterThan(0);
    expect(run1.violations).toEqual([]);
  }, 120_000);

  it("the same processes with the in-memory store draw 429s (the contrast)", async () => {
    const run2 = await run(false);
    const received = run2.results.flatMap((r) => r.ids);
    console.log(
      `HubRise, in-memory store: ${run2.rejected} × 429, ${run2.accepted} heavy queries accepted over ` +
        `${run2.windows} windows, ${received.length} orders received of ${run2.orders.length}, ` +
        `errors: ${run2.results.filter((r) => r.error).length}, ${run2.seconds.toFixed(1)} s`,
    );
    expect(run2.rejected).toBeGreaterThan(0);
  }, 120_000);
});

describe.skipIf(skip)("Hiboutik: 4 processes, one shop, 30 calls in flight", () => {
  const LEASE_MS = 1_500;
  const WORKERS = 4;
  const caller = (
    sandbox: Awaited<ReturnType<typeof startHiboutikSandbox>>,
    storePrefix: string,
    over: Partial<HiboutikCallerParams> & { name: string },
  ) =>
    spawnWorker<HiboutikCallerResult>(
      "hiboutik-caller.ts",
      {
        baseUrl: sandbox.url,
        credentials: sandbox.credentials,
        store: { redisPort: redis!.port, prefix: storePrefix, leaseMs: LEASE_MS },
        calls: 60,
        delayMs: 150,
        // Longer than a lease: held past it only if the lease is renewed.
        longDelayMs: 2_000,
        longEvery: 15,
        signalAt: 0,
        ...over,
      } satisfies HiboutikCallerParams,
      { name: over.name, deadlineMs: 90_000 },
    );
  const count429 = (sandbox: Awaited<ReturnType<typeof startHiboutikSandbox>>) =>
    sandbox.requests.filter((r) => r.status === 429).length;

  it("never more than 30 in flight at the server, no 429", async () => {
    const sandbox = await startHiboutikSandbox();
    const storePrefix = prefix("hiboutik");
    try {
      const t0 = Date.now();
      const workers = Array.from({ length: WORKERS }, (_, k) =>
        caller(sandbox, storePrefix, { name: `hiboutik worker ${k}` }),
      );
      await startTogether(workers);
      const results = await Promise.all(workers.map((w) => w.result));
      const limits = sandbox.limits!;
      console.log(
        `Hiboutik, Redis store: server max in flight ${limits.maxInFlight} (cap ${limits.inFlightLimit}), ` +
          `${count429(sandbox)} × 429, per process at most ${results.map((r) => r.maxHolding).join("/")} out at once, ` +
          `${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      for (const r of results) {
        expect(r.errors).toEqual([]);
        expect(r.statuses).toEqual({ 200: 60 });
      }
      expect(count429(sandbox)).toBe(0);
      expect(limits.maxInFlight).toBeLessThanOrEqual(30);
      // 240 calls waiting: the cap is used, not wasted by the store's bookkeeping.
      expect(limits.maxInFlight).toBeGreaterThanOrEqual(20);
    } finally {
      await sandbox.close();
    }
  }, 120_000);

  it("a process killed while holding slots: its leases expire, the others finish, 30 slots again", async () => {
    const sandbox = await startHiboutikSandbox();
    const storePrefix = prefix("hiboutik-kill");
    let after: Awaited<ReturnType<typeof startHiboutikSandbox>> | undefined;
    try {
      const t0 = Date.now();
      const workers = Array.from({ length: WORKERS }, (_, k) =>
        caller(sandbox, storePrefix, {
          name: `hiboutik worker ${k}`,
          calls: 80,
          longEvery: 20,
          signalAt: k === 0 ? 3 : 0,
        }),
      );
      await startTogether(workers);
      const victim = workers[0]!;
      const said = await victim.message((m) => typeof m.holding === "number");
      const serverInFlightAtKill = sandbox.limits!.inFlight;
      victim.proc.kill("SIGKILL");
      const killedAt = Date.now();
      await expect(victim.result).rejects.toThrow(/SIGKILL/);
      const results = await Promise.all(workers.slice(1).map((w) => w.result));
      const finishedAt = Date.now();
      for (const r of results) {
        expect(r.errors).toEqual([]);
        expect(r.statuses).toEqual({ 200: 80 });
      }
      expect(count429(sandbox)).toBe(0);
      expect(sandbox.limits!.maxInFlight).toBeLessThanOrEqual(30);

      // Once the leases have expired for sure, a new process can hold all 30 slots at once: on a
      // fresh sandbox (its own peak), the same shop in the same store.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, killedAt + 2 * LEASE_MS - Date.now())),
      );
      after = await startHiboutikSandbox();
      const lastWorker = caller(after, storePrefix, {
        name: "hiboutik worker after the kill",
        calls: 30,
        delayMs: 800,
        longEvery: 1_000,
      });
      await startTogether([lastWorker]);
      const last = await lastWorker.result;
      console.log(
        `Hiboutik kill: victim had ${String(said.holding)} out (server ${serverInFlightAtKill} in flight) at ` +
          `${((killedAt - t0) / 1000).toFixed(1)} s; the 3 others finished ${((finishedAt - killedAt) / 1000).toFixed(1)} s ` +
          `after the kill; server max in flight ${sandbox.limits!.maxInFlight}; ${count429(sandbox)} × 429; ` +
          `afterwards one process held ${after.limits!.maxInFlight} at once`,
      );
      expect(serverInFlightAtKill).toBeGreaterThan(0);
      expect(last.statuses).toEqual({ 200: 30 });
      expect(after.limits!.maxInFlight).toBe(30);
      expect(count429(after)).toBe(0);
    } finally {
      await sandbox.close();
      await after?.close();
    }
  }, 120_000);
});
