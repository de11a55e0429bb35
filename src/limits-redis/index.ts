// commerce-openapi/limits-redis: rate limits shared by every process (on every machine) that uses
// one connection, counted in Redis. Node only (it needs a Redis client); the vendor entries do not
// import it, so clients without it pay nothing.
//
//   import { Redis } from "ioredis";
//   import { redisLimitsStore } from "commerce-openapi/limits-redis";
//   const limitsStore = redisLimitsStore({ redis: new Redis(process.env.REDIS_URL!) });
//   const hubrise = createHubriseClient({ accessToken }, { limitsStore });
import type { Redis } from "ioredis";
import type {
  InFlightLimiter,
  InFlightSpec,
  LimitsStore,
  WindowLimiter,
  WindowsSpec,
} from "../core/limits/store.js";
import { StoreConnection } from "./connection.js";
import { type OnStoreError, Outage } from "./outage.js";
import { RedisInFlight } from "./redis-in-flight.js";
import { RedisWindows } from "./redis-windows.js";
import { storeContext, type TimeScale } from "./store-context.js";

export type { OnStoreError } from "./outage.js";
export type { TimeScale } from "./store-context.js";
export { LimitsStoreError, type LimitsStoreFailure } from "../core/errors.js";

export interface RedisLimitsStoreOptions {
  /** An ioredis client (the store also opens one connection of its own, `duplicate()`, to listen). */
  redis: Redis;
  /** Prefix of every key and channel. Default `commerce-openapi`. */
  prefix?: string;
  /**
   * When Redis cannot be asked: `"fail"` (default) refuses the request with LimitsStoreError;
   * `"local"` counts in this process's memory until Redis answers again, with a warning.
   */
  onStoreError?: OnStoreError;
  /** Receives the outage warnings. Default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
  /** The longest a store call may take before it counts as failed. Default 1,000 ms. */
  timeoutMs?: number;
  /**
   * How long an in-flight slot outlives its process (renewed every third of it while held).
   * Default 15,000 ms.
   */
  leaseMs?: number;
  /** For sandboxes on an accelerated clock: store time runs this much faster than Redis's TIME. */
  timeScale?: TimeScale;
}

export interface RedisLimitsStore extends LimitsStore {
  /** Closes the store's listening connection (not the client you gave it). */
  close(): void;
}

/** How long a waiting process's place in line lasts without being renewed (real ms). */
const TICKET_TTL_MS = 10_000;
/** In "local" mode, how long to count locally before asking Redis again. */
const RETRY_MS = 5_000;

export function redisLimitsStore(options: RedisLimitsStoreOptions): RedisLimitsStore {
  const { redis, prefix = "commerce-openapi", onStoreError = "fail" } = options;
  if (!redis || typeof redis.evalsha !== "function" || typeof redis.duplicate !== "function") {
    throw new TypeError("redisLimitsStore: redis must be an ioredis client");
  }
  if (onStoreError !== "fail" && onStoreError !== "local") {
    throw new TypeError('redisLimitsStore: onStoreError must be "fail" or "local"');
  }
  const timeoutMs = positive(options.timeoutMs ?? 1_000, "timeoutMs");
  const leaseMs = positive(options.leaseMs ?? 15_000, "leaseMs");
  const scale = options.timeScale;
  if (
    scale &&
    !(scale.scale > 0 && Number.isFinite(scale.start) && Number.isFinite(scale.realStart))
  ) {
    throw new RangeError("redisLimitsStore: timeScale needs scale > 0, start and realStart");
  }
  const warn =
    options.onWarning ??
    ((message: string) => process.emitWarning(message, { code: "COMMERCE_OPENAPI_LIMITS_STORE" }));
  const connection = new StoreConnection(redis, timeoutMs);
  const outage = new Outage(onStoreError, warn, RETRY_MS);
  const context = (vendor: string, id: string) =>
    storeContext(prefix, vendor, id, scale, TICKET_TTL_MS);

  return {
    windows<B extends string>(spec: WindowsSpec<B>): WindowLimiter<B> {
      return new RedisWindows(spec, context(spec.vendor, spec.connection), connection, outage);
    },
    inFlight(spec: InFlightSpec): InFlightLimiter {
      return new RedisInFlight(
        spec,
        context(spec.vendor, spec.connection),
        connection,
        outage,
        leaseMs,
      );
    },
    close: () => connection.close(),
  };
}

function positive(value: number, name: string): number {
  if (!(typeof value === "number" && value > 0 && value <= 2 ** 31 - 1)) {
    throw new RangeError(`redisLimitsStore: ${name} must be a number of ms > 0`);
  }
  return value;
}
