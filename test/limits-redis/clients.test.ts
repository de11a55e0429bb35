// The clients with a shared Redis store, in one process: what the option does to a client (the
// keys it needs, the typed error it throws, what it leaves in Redis). Two clients with stores of
// their own on one Redis stand for two processes; real processes are in multi-process.test.ts.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { acceleratedClock } from "../../src/core/clock.js";
import { createHikeClient } from "../../src/hike/index.js";
import { startHikeSandbox } from "../../src/hike/sandbox/index.js";
import { createHubriseClient, LimitsStoreError } from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { type RedisLimitsStore, redisLimitsStore } from "../../src/limits-redis/index.js";
import { type RedisServer, redisSkipReason, startRedisServer } from "../support/redis-server.js";

const skip = redisSkipReason();
let server: RedisServer;
const clients: Redis[] = [];
const stores: RedisLimitsStore[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  if (!skip) server = await startRedisServer();
});
afterEach(async () => {
  for (const s of stores.splice(0)) s.close();
  for (const c of clients.splice(0)) c.disconnect();
  for (const close of closers.splice(0)) await close();
});
afterAll(() => server?.kill());

let prefixes = 0;
function storeOn(port: number, options: Partial<Parameters<typeof redisLimitsStore>[0]> = {}) {
  const redis = new Redis({ port, maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  clients.push(redis);
  const store = redisLimitsStore({ redis, prefix: `clients-${process.pid}`, ...options });
  stores.push(store);
  return store;
}

describe.skipIf(skip)("clients with a shared limits store", () => {
  it("Hike: two clients of one store id share the rolling windows: the sandbox refuses nothing", async () => {
    // A minute lasts 2 s. Faster, the first requests' latency (connections, the sandbox's first
    // validations: a few hundred ms) would be longer than the guard band in the sandbox's time.
    const scale = 30;
    const realStart = Date.now();
    const start = Date.UTC(2026, 5, 1);
    const sandboxClock = acceleratedClock(scale, start);
    const sim = await startHikeSandbox({
      clock: sandboxClock,
      limits: { perMinute: 10 },
      credentials: { accessToken: "hike-access-1", refreshToken: "r" },
    });
    closers.push(() => sim.close());
    const timeScale = { scale, start, realStart };
    const prefix = `hike-${++prefixes}`;
    const hikes = [1, 2].map(() =>
      createHikeClient(
        { accessToken: "hike-access-1" },
        {
          baseUrl: sim.url,
          clock: acceleratedClock(scale, start + (Date.now() - realStart) * scale),
          limits: { perMinute: 10 },
          // The guard band covers the time from the count to the sandbox's: a few tens of real
          // ms here, which on this clock are seconds.
          windowGuardMs: 5_000,
          limitsStore: storeOn(server.port, { timeScale, prefix }),
          limitsKey: "store-42",
        },
      ),
    );
    await Promise.all(
      hikes.flatMap((hike) =>
        Array.from({ length: 12 }, () =>
          hike.GET("/products/get_all", { params: { query: { page_size: 1 } } }),
        ),
      ),
    );
    const statuses = sim.requests.map((r) => r.status);
    expect(statuses).toHaveLength(24);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });

  it("needs limitsKey where the credential cannot name the connection", () => {
    const limitsStore = storeOn(server.port);
    expect(() => createHikeClient({ accessToken: "a" }, { limitsStore })).toThrow(/limitsKey/);
    expect(() => createHubriseClient({ accessToken: async () => "t" }, { limitsStore })).toThrow(
      /limitsKey/,
    );
    expect(() =>
      createHubriseClient({ accessToken: async () => "t" }, { limitsStore, limitsKey: "loc-1" }),
    ).not.toThrow();
    expect(() => createHubriseClient({ accessToken: "t" }, { limitsStore, limitsKey: "" })).toThrow(
      /limitsKey/,
    );
  });

  it("Redis unreachable: the call ends with LimitsStoreError naming the operation, and nothing is sent", async () => {
    const sim = await startHubriseSandbox({ credentials: { accessToken: "tok-unreachable" } });
    closers.push(() => sim.close());
    const down = await startRedisServer();
    const port = down.port;
    down.kill(); // a port where no Redis answers
    const hubrise = createHubriseClient(
      { accessToken: "tok-unreachable" },
      { baseUrl: sim.url, limitsStore: storeOn(port, { timeoutMs: 300 }) },
    );
    const error = await hubrise.GET("/location").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitsStoreError);
    expect((error as LimitsStoreError).operation).toBe("GET /location");
    expect((error as LimitsStoreError).vendor).toBe("HubRise");
    expect(sim.requests).toEqual([]);
  });

  it("leaves no credential in Redis: keys, values and members hold a hash of the token", async () => {
    const token = "CANARY-hubrise-7d1e0b9c";
    const sim = await startHubriseSandbox({ credentials: { accessToken: token } });
    closers.push(() => sim.close());
    const prefix = `canary-${++prefixes}`;
    const hubrise = createHubriseClient(
      { accessToken: token },
      { baseUrl: sim.url, limitsStore: storeOn(server.port, { prefix }) },
    );
    await hubrise.GET("/location");
    for await (const _ of hubrise.paginate("/location/orders")) break;
    const redis = clients[0]!;
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(2);
    const dump: string[] = [...keys];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === "string") dump.push((await redis.get(key)) ?? "");
      if (type === "zset") dump.push(...(await redis.zrange(key, "0", "-1")));
    }
    for (const text of dump) expect(text).not.toContain(token.slice(0, 6));
  });
});
