// What every worker process shares: its parameters (JSON in LIMITS_WORKER), its output (one JSON
// object a line; the last is its result) and the Redis store it counts its limits in, made as a
// user makes it: their own ioredis client, the store's prefix and options.
import { Redis } from "ioredis";
import { redisLimitsStore } from "../../../src/limits-redis/index.js";

export function params<T>(): T {
  const raw = process.env.LIMITS_WORKER;
  if (!raw) throw new Error("LIMITS_WORKER (the worker's parameters as JSON) is not set");
  return JSON.parse(raw) as T;
}

export function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/**
 * Says `{ready: true}` and waits for the parent's "go" on stdin: the workers of a test start their
 * calls together, whatever each one's start-up took.
 */
export async function readyThenGo(): Promise<void> {
  say({ ready: true });
  await new Promise<void>((resolve) => {
    process.stdin.once("data", () => {
      process.stdin.pause();
      resolve();
    });
  });
}

export interface StoreParams {
  redisPort: number;
  prefix: string;
  leaseMs?: number;
  timeScale?: { scale: number; start: number; realStart: number };
}

/** The store and what closing it takes (the store's subscriber, then the user's client). */
export function openStore(p: StoreParams) {
  const redis = new Redis({ host: "127.0.0.1", port: p.redisPort });
  const store = redisLimitsStore({
    redis,
    prefix: p.prefix,
    ...(p.leaseMs !== undefined ? { leaseMs: p.leaseMs } : {}),
    ...(p.timeScale !== undefined ? { timeScale: p.timeScale } : {}),
  });
  return {
    store,
    async close() {
      await store.close();
      await redis.quit();
    },
  };
}
