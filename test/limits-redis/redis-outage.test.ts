// Redis goes away while a client works, and comes back. A real redis-server is stopped mid-run
// (SIGTERM: connections drop, the port refuses) and started again on the same port, empty (no
// persistence), while a client keeps calling its sandbox in a loop; for both kinds of shared limit,
// HubRise's windows and Hiboutik's in-flight leases:
// - onStoreError "fail": calls end with LimitsStoreError, each within a bound (no hang);
// - onStoreError "local": calls go on under this process's own limits, and onWarning said so once;
// - either way, once Redis is back the store uses it again: its keys reappear under the prefix (the
//   restarted server started empty, so they can only be new), and calls succeed.
// No promise is left rejected without a handler (a lease released into a dead Redis, a wake-up
// subscription): the process's unhandledRejection events are collected and must stay empty.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LimitsStoreError as HiboutikLimitsStoreError } from "../../src/hiboutik/index.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { createHubriseClient, LimitsStoreError } from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { redisLimitsStore } from "../../src/limits-redis/index.js";
import { type RedisServer, redisSkipReason, startRedisServer } from "../support/redis-server.js";

const skip = redisSkipReason();
const TIMEOUT_MS = 500;
/** Generous: a call refused by the store ends long before this (its timeout is 500 ms). */
const PROMPT_MS = 5_000;

let redis: RedisServer | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  if (!skip) redis = await startRedisServer();
});

afterEach(async () => {
  // Each test leaves the server running for the next, whatever happened.
  await redis?.start();
});

afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  redis?.kill();
});

/** A client of one vendor, on its sandbox, counting its limits in `store`. */
interface Subject {
  call(): Promise<void>;
  close(): Promise<void>;
}
type Store = ReturnType<typeof redisLimitsStore>;

const vendors: Record<string, (store: Store) => Promise<Subject>> = {
  // Windows: one script run per request, nothing to release.
  async hubrise(store) {
    const sandbox = await startHubriseSandbox({ limits: false });
    const client = createHubriseClient(sandbox.credentials, {
      baseUrl: sandbox.url,
      limitsStore: store,
      limits: { connection: [{ sizeMs: 60_000, limit: 1_000_000 }] },
    });
    return {
      async call() {
        const { response } = await client.GET("/location");
        if (!response.ok) throw new Error(`HubRise answered ${response.status}`);
      },
      close: () => sandbox.close(),
    };
  },
  // Leases: taken, renewed and released in Redis; a release into a dead Redis must fail quietly.
  async hiboutik(store) {
    const sandbox = await startHiboutikSandbox();
    const client = createHiboutikClient(sandbox.credentials, {
      baseUrl: sandbox.url,
      limitsStore: store,
    });
    return {
      async call() {
        const { response } = await client.GET("/stores", {
          headers: { "X-Sandbox-Fault": JSON.stringify({ kind: "delay", ms: 20 }) },
        });
        if (!response.ok) throw new Error(`Hiboutik answered ${response.status}`);
      },
      close: () => sandbox.close(),
    };
  },
};

interface Outcome {
  /** Redis up; being stopped (it may still answer); stopped; started again. */
  phase: "before" | "stopping" | "outage" | "after";
  ok: boolean;
  error?: unknown;
  ms: number;
}

/** Calls in a loop (4 at a time) until stopped, noting each outcome with the phase it began in. */
function keepCalling(subject: Subject) {
  const outcomes: Outcome[] = [];
  let phase: Outcome["phase"] = "before";
  let stopped = false;
  const lanes = Array.from({ length: 4 }, async () => {
    while (!stopped) {
      const began = phase;
      const t0 = performance.now();
      try {
        await subject.call();
        outcomes.push({ phase: began, ok: true, ms: performance.now() - t0 });
      } catch (error) {
        outcomes.push({ phase: began, ok: false, error, ms: performance.now() - t0 });
        // A refused call comes back at once: do not spin.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });
  return {
    outcomes,
    in: (p: Outcome["phase"]) => outcomes.filter((o) => o.phase === p),
    set phase(p: Outcome["phase"]) {
      phase = p;
    },
    async stop() {
      stopped = true;
      await Promise.all(lanes);
    },
  };
}

/** Waits until `test` holds, checking every 50 ms; fails naming `what` after `withinMs`. */
async function until(test: () => boolean | Promise<boolean>, withinMs: number, what: string) {
  const started = Date.now();
  while (!(await test())) {
    if (Date.now() - started > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The store's keys in Redis now, and the sum of its counters (a connection of the test's own). */
async function storeState(prefix: string): Promise<{ keys: string[]; counted: number }> {
  const admin = new Redis({ host: "127.0.0.1", port: redis!.port, lazyConnect: true });
  admin.on("error", () => {});
  try {
    await admin.connect();
    const keys = await admin.keys(`${prefix}*`);
    let counted = 0;
    for (const key of keys) {
      const type = await admin.type(key);
      if (type === "string") counted += Number(await admin.get(key)) || 0;
      else if (type === "zset") counted += await admin.zcard(key);
    }
    return { keys, counted };
  } catch {
    return { keys: [], counted: 0 };
  } finally {
    admin.disconnect();
  }
}

describe.skipIf(skip).each(Object.keys(vendors))("%s: Redis stopped mid-run", (vendor) => {
  async function scenario(onStoreError: "fail" | "local") {
    const prefix = `outage-${vendor}-${onStoreError}-${process.pid}-${Date.now()}`;
    const client = new Redis({ host: "127.0.0.1", port: redis!.port });
    // A user's client logs its connection errors somewhere; here they are expected.
    client.on("error", () => {});
    const warnings: string[] = [];
    const store = redisLimitsStore({
      redis: client,
      prefix,
      onStoreError,
      onWarning: (message) => void warnings.push(message),
      timeoutMs: TIMEOUT_MS,
    });
    const subject = await vendors[vendor]!(store);
    const work = keepCalling(subject);
    try {
      await until(() => work.in("before").filter((o) => o.ok).length >= 10, 20_000, "10 calls");
      expect((await storeState(prefix)).keys).not.toEqual([]);

      work.phase = "stopping";
      await redis!.stop();
      work.phase = "outage";
      const stoppedAt = Date.now();
      if (onStoreError === "fail") {
        await until(
          () => work.in("outage").filter((o) => !o.ok).length >= 8,
          20_000,
          "8 refused calls during the outage",
        );
      } else {
        await until(
          () => work.in("outage").filter((o) => o.ok).length >= 20,
          20_000,
          "20 calls during the outage",
        );
      }
      const outage = [...work.in("outage")];
      const warningsInOutage = warnings.length;
      const outageMs = Date.now() - stoppedAt;

      work.phase = "after";
      await redis!.start();
      const restartedAt = Date.now();
      // Back on Redis: the restarted server was empty, so its keys under the prefix are new. They
      // are not proof enough: ioredis replays the commands it queued during the outage (those the
      // store gave up on) when it reconnects. The counters must then go on growing as calls go.
      await until(
        async () => (await storeState(prefix)).keys.length > 0,
        30_000,
        "the store's keys in the restarted Redis",
      );
      const firstKeysMs = Date.now() - restartedAt;
      const replayed = (await storeState(prefix)).counted;
      await until(
        async () => (await storeState(prefix)).counted > replayed,
        30_000,
        "the store's counters growing in the restarted Redis",
      );
      const countingMs = Date.now() - restartedAt;
      const backAt = work.outcomes.length;
      await until(
        () => work.outcomes.slice(backAt).filter((o) => o.ok).length >= 10,
        20_000,
        "10 calls after Redis came back",
      );
      await work.stop();

      const refused = outage.filter((o) => !o.ok);
      console.log(
        `${vendor}, onStoreError "${onStoreError}": during ${outageMs} ms of outage ` +
          `${outage.filter((o) => o.ok).length} calls went, ${refused.length} refused ` +
          `(${[...new Set(refused.map((o) => (o.error as LimitsStoreError).reason))].join(", ")}; ` +
          `slowest ${Math.max(0, ...refused.map((o) => o.ms)).toFixed(0)} ms); warnings: ` +
          `${JSON.stringify(warnings)}; after the restart keys were back in ${firstKeysMs} ms ` +
          `(counters at ${replayed}), counting again in ${countingMs} ms`,
      );
      return { outage, refused, warnings, warningsInOutage, after: work.outcomes.slice(backAt) };
    } finally {
      await work.stop();
      await subject.close();
      store.close();
      client.disconnect();
    }
  }

  it('"fail": calls end with LimitsStoreError promptly; after the restart they go through Redis again', async () => {
    const { refused, after } = await scenario("fail");
    for (const o of refused) {
      expect(o.error).toBeInstanceOf(LimitsStoreError);
      // Every vendor entry exports the same class.
      expect(o.error).toBeInstanceOf(HiboutikLimitsStoreError);
      expect(["unavailable", "timeout"]).toContain((o.error as LimitsStoreError).reason);
      expect(o.ms).toBeLessThan(PROMPT_MS);
    }
    expect(after.every((o) => o.ok || o.error instanceof LimitsStoreError)).toBe(true);
    expect(unhandled).toEqual([]);
  }, 90_000);

  it('"local": calls go on under in-memory limits with one warning; Redis is used again once back', async () => {
    const { outage, warnings, warningsInOutage } = await scenario("local");
    expect(outage.filter((o) => !o.ok).map((o) => String(o.error))).toEqual([]);
    // One warning for the outage (the store may say again when Redis answers).
    expect(warningsInOutage).toBe(1);
    expect(warnings[0]).toMatch(/limits store/i);
    expect(unhandled).toEqual([]);
  }, 90_000);
});
