// The Redis limits store against a real redis-server, one process: several stores on one Redis
// stand for several processes (each store is what one process makes). What crosses real process
// boundaries (killed processes, sandboxes) is in multi-process.test.ts.
//
// No timed assertions: times are only compared with window boundaries the store itself reports,
// and deadlines only catch hangs.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { acceleratedClock, type Clock, systemClock } from "../../src/core/clock.js";
import { LimitsStoreError, QuotaExhaustedError } from "../../src/core/errors.js";
import type { WindowRule } from "../../src/core/limits/window-scheduler.js";
import { type RedisLimitsStore, redisLimitsStore } from "../../src/limits-redis/index.js";
import { type RedisServer, redisSkipReason, startRedisServer } from "../support/redis-server.js";

const skip = redisSkipReason();
let server: RedisServer;
const clients: Redis[] = [];
const stores: RedisLimitsStore[] = [];

beforeAll(async () => {
  if (!skip) server = await startRedisServer();
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(() => server?.kill());

let prefixes = 0;
/** The key prefix of the last `processes()`. */
let prefix = "";
/** `n` stores on one prefix: `n` processes sharing the limits. */
function processes(n: number, options: Partial<Parameters<typeof redisLimitsStore>[0]> = {}) {
  prefix = `unit-${process.pid}-${++prefixes}`;
  return Array.from({ length: n }, () => {
    const redis = new Redis({ port: server.port });
    redis.on("error", () => {}); // the outage tests stop the server: reconnecting is expected
    clients.push(redis);
    const store = redisLimitsStore({ redis, prefix, ...options });
    stores.push(store);
    return store;
  });
}

const windows = <B extends string>(
  store: RedisLimitsStore,
  buckets: Record<B, readonly WindowRule[]>,
  clock: Clock = systemClock,
  connection = "token-1",
) => store.windows({ vendor: "HubRise", connection, buckets, clock, guardMs: 0 });

describe.skipIf(skip)("Redis store: windows", () => {
  it("counts atomically across processes: of 200 concurrent requests, exactly the limit goes", async () => {
    const limiters = processes(4).map((s) =>
      windows(s, { connection: [{ sizeMs: 3_600_000, limit: 50 }] }),
    );
    const controller = new AbortController();
    let granted = 0;
    const all = limiters.flatMap((l) =>
      Array.from({ length: 50 }, () =>
        l.acquire(["connection"], controller.signal).then(
          () => granted++,
          () => {},
        ),
      ),
    );
    // Wait until every process has asked (the queued ones hold a ticket), then stop the rest.
    await until(() => granted === 50);
    await sleep(200);
    expect(granted).toBe(50);
    controller.abort();
    await Promise.all(all);
    expect(granted).toBe(50);
  });

  it("keys name a hash of the connection, never the credential", async () => {
    const [store] = processes(1);
    const secret = "CANARY-TOKEN-4f9a2c";
    await windows(
      store!,
      { connection: [{ sizeMs: 60_000, limit: 10 }] },
      systemClock,
      secret,
    ).acquire(["connection"]);
    const keys = await clients[0]!.keys("*");
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).not.toContain(secret.slice(0, 6));
    expect(keys.some((k) => /\{hubrise:[0-9a-f]{32}\}/.test(k))).toBe(true);
  });

  it("fixed windows are aligned to Redis's clock: processes with skewed clocks share one window", async () => {
    // One process's clock is 40 s ahead, the other's 40 s behind: by their own clocks they would
    // count in different minutes. The windows come from Redis's TIME, so together they get 6.
    const skewed = (by: number): Clock => ({ ...systemClock, now: () => Date.now() + by });
    const [a, b] = processes(2);
    const rules = { connection: [{ sizeMs: 3_600_000, limit: 6 }] };
    const la = windows(a!, rules, skewed(40_000));
    const lb = windows(b!, rules, skewed(-40_000));
    const controller = new AbortController();
    let granted = 0;
    const calls = [la, lb, la, lb, la, lb, la, lb, la, lb].map((l) =>
      l.acquire(["connection"], controller.signal).then(
        () => granted++,
        () => {},
      ),
    );
    await until(() => granted === 6);
    await sleep(200);
    expect(granted).toBe(6);
    controller.abort();
    await Promise.all(calls);
  });

  it("a request waits for the next window, by the store's time, and the clock is scaled for sandboxes", async () => {
    // A minute lasts 100 ms: three windows of 2 requests, passed in well under a second.
    const scale = 600;
    const realStart = Date.now();
    const start = Date.UTC(2026, 0, 1);
    const [a, b] = processes(2, { timeScale: { scale, start, realStart } });
    const clock = acceleratedClock(scale, start + (Date.now() - realStart) * scale);
    const rules = { connection: [{ sizeMs: 60_000, limit: 2 }] };
    const la = windows(a!, rules, clock);
    const lb = windows(b!, rules, clock);
    const grantedAt: number[] = [];
    await Promise.all(
      [la, lb, la, lb, la, lb].map((l) =>
        l.acquire(["connection"]).then(() => grantedAt.push(clock.now())),
      ),
    );
    const perMinute = new Map<number, number>();
    for (const t of grantedAt)
      perMinute.set(Math.floor(t / 60_000), (perMinute.get(Math.floor(t / 60_000)) ?? 0) + 1);
    // The client's clock and Redis's may differ by a few ms (scaled: a few s): allow one boundary's slack.
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(3);
    expect(perMinute.size).toBeGreaterThanOrEqual(3);
  });

  it("rolling windows never hold more than the limit, across processes", async () => {
    const [a, b, c] = processes(3);
    const rules = { minute: [{ sizeMs: 400, limit: 4, rolling: true }] };
    const limiters = [a, b, c].map((s) =>
      s!.windows({
        vendor: "Hike",
        connection: "store-7",
        buckets: rules,
        clock: systemClock,
        guardMs: 0,
      }),
    );
    const grantedAt: number[] = [];
    await Promise.all(
      limiters.flatMap((l) =>
        Array.from({ length: 4 }, () =>
          l.acquire(["minute"]).then(() => grantedAt.push(Date.now())),
        ),
      ),
    );
    grantedAt.sort((x, y) => x - y);
    // Any 5 consecutive grants span at least the window (less a few ms of clock difference).
    for (let i = 4; i < grantedAt.length; i++)
      expect(grantedAt[i]! - grantedAt[i - 4]!).toBeGreaterThanOrEqual(390);
  });

  it("a 429's pause holds the bucket for every process until it ends", async () => {
    const [a, b] = processes(2);
    const rules = {
      connection: [{ sizeMs: 3_600_000, limit: 1000 }],
      heavy: [{ sizeMs: 3_600_000, limit: 1000 }],
    };
    const la = windows(a!, rules);
    const lb = windows(b!, rules);
    await la.acquire(["connection", "heavy"]); // both processes are running
    const pausedAt = Date.now();
    la.pause("heavy", pausedAt + 600);
    await sleep(50);
    let plain = 0;
    await lb.acquire(["connection"]).then(() => plain++); // another bucket: not held
    expect(plain).toBe(1);
    await lb.acquire(["connection", "heavy"]);
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(590);
  });

  it("wakes waiting processes fairly: a process that wakes late is not starved by a quick one", async () => {
    // Three processes each want 5 requests from windows of 3 per 300 ms. Process 0 wakes on time;
    // 1 and 2 wake 60 ms late (a busy event loop). Without the shared queue, process 0 would take
    // every window's room before the others even ask, until it is done.
    const late: Clock = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms + 60),
    };
    const limiters = processes(3).map((s, p) =>
      windows(s, { connection: [{ sizeMs: 300, limit: 3 }] }, p === 0 ? systemClock : late),
    );
    const order: number[] = [];
    await Promise.all(
      limiters.flatMap((l, p) =>
        Array.from({ length: 5 }, () => l.acquire(["connection"]).then(() => order.push(p))),
      ),
    );
    // After the first window, grants go round the processes: in any 6 grants, each has some.
    for (let i = 3; i + 6 <= order.length; i++) {
      expect(new Set(order.slice(i, i + 6)).size, `grants ${order.join("")}`).toBe(3);
    }
  });

  it("waits without polling Redis: a few script runs per window, whatever the waiters", async () => {
    const limiters = processes(3).map((s) =>
      windows(s, { connection: [{ sizeMs: 2_000, limit: 1 }] }),
    );
    // Fill the window, then queue 100 requests per process for ~1 s.
    await limiters[0]!.acquire(["connection"]);
    const controller = new AbortController();
    const calls = limiters.flatMap((l) =>
      Array.from({ length: 100 }, () =>
        l.acquire(["connection"], controller.signal).catch(() => {}),
      ),
    );
    const before = await evalCalls();
    await sleep(1_000);
    const during = (await evalCalls()) - before;
    controller.abort();
    await Promise.all(calls);
    // A tight loop would run thousands; each process asks once per window start or wake (or refresh).
    expect(during).toBeLessThan(20);
  });

  it("an aborted waiter gives its place in line up: the process behind it goes", async () => {
    const [a, b] = processes(2);
    const rules = { connection: [{ sizeMs: 600, limit: 1 }] };
    const la = windows(a!, rules);
    const lb = windows(b!, rules);
    await la.acquire(["connection"]);
    const controller = new AbortController();
    const first = la.acquire(["connection"], controller.signal); // first in line
    await sleep(50);
    const second = lb.acquire(["connection"]); // behind it
    await sleep(50);
    controller.abort(new Error("stop"));
    await expect(first).rejects.toThrow("stop");
    // Had the ticket stayed, the second would wait for it to expire (10 s); it goes at the next
    // window instead. The bound only tells the two apart.
    await expect(withDeadline(second, 5_000)).resolves.toBeUndefined();
  });
});

describe.skipIf(skip)("Redis store: in-flight slots", () => {
  const spec = (max: number, perMonth = 0) => ({
    vendor: "Hiboutik",
    connection: "myshop",
    max,
    perMonth,
    clock: systemClock,
  });

  it("never has more than the cap in flight across processes", async () => {
    const limiters = processes(3).map((s) => s.inFlight(spec(4)));
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      limiters.flatMap((l) =>
        Array.from({ length: 20 }, async () => {
          const lease = await l.acquire();
          most = Math.max(most, ++inFlight);
          await sleep(10);
          inFlight--;
          lease.release();
        }),
      ),
    );
    expect(most).toBe(4);
  });

  it("a dead process's slots come back when their leases expire", async () => {
    const [dying, alive] = processes(2, { leaseMs: 600 });
    const held = await Promise.all(
      Array.from({ length: 3 }, () => dying!.inFlight(spec(3)).acquire()),
    );
    expect(held).toHaveLength(3);
    // The process dies: its connection is gone, nothing renews or releases its leases.
    clients[0]!.disconnect();
    const diedAt = Date.now();
    const lease = await alive!.inFlight(spec(3)).acquire();
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(300); // not before the leases expired
    lease.release();
  });

  it("renews the leases it holds: a long call keeps its slot", async () => {
    const [a, b] = processes(2, { leaseMs: 300 });
    const lease = await a!.inFlight(spec(1)).acquire();
    const controller = new AbortController();
    const other = b!.inFlight(spec(1)).acquire(controller.signal);
    let got = false;
    void other.then(
      () => (got = true),
      () => {},
    );
    await sleep(1_000); // three lease lifetimes
    expect(got).toBe(false);
    lease.release();
    (await other).release();
  });

  it("counts the shop's calls of the month and refuses past the quota, and after a 429 for everyone", async () => {
    const [a, b] = processes(2);
    const la = a!.inFlight(spec(30, 3));
    for (let i = 0; i < 3; i++) (await la.acquire()).release();
    await expect(b!.inFlight(spec(30, 3)).acquire()).rejects.toBeInstanceOf(QuotaExhaustedError);

    const [c, d] = processes(2);
    (await c!.inFlight(spec(30, 1000)).acquire()).release();
    c!.inFlight(spec(30, 1000)).quotaSpent!();
    await sleep(50);
    const refused = await d!
      .inFlight(spec(30, 1000))
      .acquire()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QuotaExhaustedError);
    expect((refused as QuotaExhaustedError).attempts).toBe(0);
  });
});

describe.skipIf(skip)("Redis store: outages", () => {
  it("fails closed with LimitsStoreError, in bounded time, and works again once Redis is back", async () => {
    const [store] = processes(1, { timeoutMs: 300 });
    const limiter = windows(store!, { connection: [{ sizeMs: 60_000, limit: 100 }] });
    await limiter.acquire(["connection"]);
    await server.stop();
    try {
      const error = await limiter.acquire(["connection"]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LimitsStoreError);
      expect(["unavailable", "timeout"]).toContain((error as LimitsStoreError).reason);
    } finally {
      await server.start();
    }
    await until(() => clients[0]!.status === "ready");
    await limiter.acquire(["connection"]);
  });

  it('"local" falls back to in-memory limits with one warning, and goes back to Redis', async () => {
    const warnings: string[] = [];
    const [store] = processes(1, {
      timeoutMs: 300,
      onStoreError: "local",
      onWarning: (m) => warnings.push(m),
    });
    // Room for every call while counting locally: the point is which store counts them.
    const limiter = windows(store!, { connection: [{ sizeMs: 60_000, limit: 10_000 }] });
    await limiter.acquire(["connection"]);
    await server.stop();
    try {
      for (let i = 0; i < 5; i++) await limiter.acquire(["connection"]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/Falling back/);
    } finally {
      await server.start();
    }
    await until(() => clients[0]!.status === "ready");
    // Within RETRY_MS (5 s) the store asks Redis again; the first answer ends the outage.
    await until(async () => {
      await limiter.acquire(["connection"]);
      return warnings.length === 2;
    }, 15_000);
    expect(warnings[1]).toMatch(/shared again/);
  });
});

async function evalCalls(): Promise<number> {
  const info = await clients[0]!.info("commandstats");
  return [...info.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `done` holds; the deadline only catches a hang. */
async function until(done: () => boolean | Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("condition not met before the deadline");
    await sleep(20);
  }
}
