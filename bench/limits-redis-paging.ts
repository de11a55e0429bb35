// 4 processes paging HubRise's heavy order list with one token, under the published heavy-query
// window (10 a minute) on a clock where a minute lasts a second: how much of the allowance the
// Redis store lets them use together (accepted heavy queries per window over those allowed), and
// the 429s — beside the same processes with the in-memory store, each believing it has it all.
// The processes are the tests' workers (test/limits-redis/workers/hubrise-pager.ts); the Redis is
// a real redis-server on loopback (test/support/redis-server.ts).
import { acceleratedClock } from "../src/core/clock.js";
import { startHubriseSandbox } from "../src/hubrise/sandbox/index.js";
import type {
  HubrisePagerParams,
  HubrisePagerResult,
} from "../test/limits-redis/workers/hubrise-pager.js";
import { orderRuns, warmUp } from "../test/limits-redis/workers/order-runs.js";
import { killWorkers, spawnWorker } from "../test/limits-redis/workers/spawn-worker.js";
import { type RedisServer, startRedisServer } from "../test/support/redis-server.js";
import type { Row } from "./stats.js";

const SCALE = 60;
const HEAVY_PER_MINUTE = 10;
const WORKERS = 4;
const PAGE_SIZE = 25;
const PAGES_EACH = 10; // 40 heavy queries: 4 full windows
/** See the worker: 6 s of the sandbox's clock is 100 ms of real time. */
const GUARD_MS = 6_000;

async function run(redis: RedisServer | undefined) {
  const realStart = Date.now();
  const start = Math.ceil(realStart / 60_000) * 60_000 + 2_000;
  const clock = acceleratedClock(SCALE, start);
  const sandbox = await startHubriseSandbox({
    clock,
    credentials: { accessToken: "bench-shared" },
    size: { orders: WORKERS * PAGES_EACH * PAGE_SIZE },
    limits: { heavyMinute: HEAVY_PER_MINUTE },
  });
  try {
    await warmUp(sandbox, PAGE_SIZE);
    const measuredFrom = sandbox.requests.length;
    const { orders, firsts } = orderRuns(sandbox, WORKERS);
    const prefix = `bench-paging-${process.pid}-${Date.now()}`;
    const workers = firsts.map((first, k) =>
      spawnWorker<HubrisePagerResult>(
        "hubrise-pager.ts",
        {
          baseUrl: sandbox.url,
          accessToken: "bench-shared",
          store: redis
            ? { redisPort: redis.port, prefix, timeScale: { scale: SCALE, start, realStart } }
            : null,
          scale: SCALE,
          start,
          realStart,
          heavyPerMinute: HEAVY_PER_MINUTE,
          windowGuardMs: GUARD_MS,
          pageSize: PAGE_SIZE,
          ...(k > 0 ? { after: first } : {}),
          ...(k < WORKERS - 1 ? { before: firsts[k + 1]! } : {}),
        } satisfies HubrisePagerParams,
        { name: `paging worker ${k}`, deadlineMs: 120_000 },
      ),
    );
    await Promise.all(workers.map((w) => w.message((m) => m.ready === true)));
    // Go just after a window opens: what is measured is the sharing, not where in a window the
    // processes happened to finish starting.
    const nextWindow = (Math.floor(clock.now() / 60_000) + 1) * 60_000 + GUARD_MS;
    await new Promise((resolve) => setTimeout(resolve, (nextWindow - clock.now()) / SCALE));
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.result));

    const records = sandbox.requests.slice(measuredFrom);
    const perWindow = new Map<number, number>();
    for (const r of records) {
      if (r.status !== 200 || r.operationId !== "listCurrentLocationOrders") continue;
      const minute = Math.floor(r.at / 60_000);
      perWindow.set(minute, (perWindow.get(minute) ?? 0) + 1);
    }
    const accepted = [...perWindow.values()].reduce((a, b) => a + b, 0);
    const ids = results.flatMap((r) => r.ids);
    return {
      usage: accepted / (perWindow.size * HEAVY_PER_MINUTE),
      windows: perWindow.size,
      rejected: records.filter((r) => r.status === 429).length,
      lost: orders.length - new Set(ids).size,
      dupes: ids.length - new Set(ids).size,
      errors: results.filter((r) => r.error !== undefined).length,
    };
  } finally {
    killWorkers();
    await sandbox.close();
  }
}

export async function limitsRedisPaging(): Promise<Row[]> {
  const redis = await startRedisServer();
  try {
    const shared = await run(redis);
    const memory = await run(undefined);
    const name = `Shared limits: ${WORKERS} processes × HubRise heavy paging, one token, 1 min = 1 s`;
    return [
      {
        name: `${name}: Redis store`,
        goal: "rate/allowed ≥ 0.95, 0 × 429, 0 lost/dup",
        measured: `rate/allowed ${shared.usage.toFixed(2)} over ${shared.windows} windows, ${shared.rejected} × 429, ${shared.lost} lost, ${shared.dupes} dup`,
        verdict:
          shared.usage >= 0.95 &&
          shared.rejected === 0 &&
          shared.lost === 0 &&
          shared.dupes === 0 &&
          shared.errors === 0
            ? "pass"
            : "FAIL",
      },
      {
        name: `${name}: in-memory store`,
        goal: "for scale",
        measured: `rate/allowed ${memory.usage.toFixed(2)} over ${memory.windows} windows, ${memory.rejected} × 429, ${memory.lost} lost, ${memory.dupes} dup, ${memory.errors} processes gave up`,
        verdict: "info",
      },
    ];
  } finally {
    redis.kill();
  }
}
