// What the Redis store adds to each request, on loopback: the same client against the same loopback
// HTTP server, its limits counted in memory or in a real redis-server on 127.0.0.1, variants
// interleaved (client-overhead.ts's `interleaved()`). HubRise's windows cost one script run per
// request; Hiboutik's in-flight cap a lease taken and released. Allowances are large enough that
// nobody ever waits: what is measured is the bookkeeping.
import { Redis } from "ioredis";
import { createHiboutikClient } from "../src/hiboutik/index.js";
import { createHubriseClient } from "../src/hubrise/index.js";
import { redisLimitsStore } from "../src/limits-redis/index.js";
import { startRedisServer } from "../test/support/redis-server.js";
import { interleaved } from "./client-overhead.js";
import { startLoopbackServer } from "./loopback-server.js";
import type { Row } from "./stats.js";

const BODY = JSON.stringify([{ id: "3r4s3-1", name: "Paris" }]);
const NO_WAIT = { connection: [{ sizeMs: 60_000, limit: 1e9 }] };
const GOAL_MS = 0.5;

export async function limitsRedisOverhead(totalRequests = 2000, rounds = 100): Promise<Row[]> {
  const redisServer = await startRedisServer();
  const server = await startLoopbackServer(BODY);
  const { origin } = server;
  const redis = new Redis({ host: "127.0.0.1", port: redisServer.port });
  const store = redisLimitsStore({ redis, prefix: `bench-overhead-${process.pid}` });
  try {
    const hubrise = (limitsStore?: typeof store) =>
      createHubriseClient(
        { accessToken: "bench-token" },
        { baseUrl: `${origin}/v1`, limits: NO_WAIT, ...(limitsStore ? { limitsStore } : {}) },
      );
    const hiboutik = (limitsStore?: typeof store) =>
      createHiboutikClient(
        { account: "benchshop", login: "bench@example.com", apiKey: "bench-key" },
        { baseUrl: `${origin}/api`, ...(limitsStore ? { limitsStore } : {}) },
      );
    const [hubriseMemory, hubriseRedis] = [hubrise(), hubrise(store)];
    const [hiboutikMemory, hiboutikRedis] = [hiboutik(), hiboutik(store)];
    const timing = await interleaved(
      {
        "hubrise memory": () => hubriseMemory.GET("/location"),
        "hubrise redis": () => hubriseRedis.GET("/location"),
        "hiboutik memory": () => hiboutikMemory.GET("/stores"),
        "hiboutik redis": () => hiboutikRedis.GET("/stores"),
      },
      rounds,
      Math.ceil(totalRequests / rounds),
    );
    const row = (vendor: string, what: string): Row => {
      const addedMs = timing.median(`${vendor} redis`) - timing.median(`${vendor} memory`);
      return {
        name: `Shared limits: Redis store on loopback vs in-memory, ${what} (${totalRequests} req each, ${rounds} paired rounds)`,
        goal: `≤ ${GOAL_MS} ms added per request`,
        measured: `+${(addedMs * 1000).toFixed(0)} µs (${timing.us(`${vendor} redis`)} vs ${timing.us(`${vendor} memory`)}; ${timing.ratio(`${vendor} redis`, `${vendor} memory`).toFixed(2)}×)`,
        verdict: addedMs <= GOAL_MS ? "pass" : "FAIL",
      };
    };
    return [row("hubrise", "HubRise windows"), row("hiboutik", "Hiboutik in-flight lease")];
  } finally {
    store.close();
    redis.disconnect();
    server.close();
    redisServer.kill();
  }
}
