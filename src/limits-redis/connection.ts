// The store's line to Redis: scripts run by their SHA-1 (loaded on first NOSCRIPT), every call
// bounded in time, every failure turned into a LimitsStoreError, and one subscriber connection for
// the wake-up messages of all the store's limiters.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { LimitsStoreError, type LimitsStoreFailure } from "../core/errors.js";
import { Secrets } from "../core/redact.js";

export interface Script {
  lua: string;
  sha: string;
}

export function script(lua: string): Script {
  return { lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/** The part of a store's error that does not depend on the vendor. */
class StoreFailure {
  constructor(
    readonly reason: LimitsStoreFailure,
    readonly detail: string,
  ) {}
}

/** Nothing the store sends Redis is a credential (keys hold a hash); redaction is kept for form. */
const NO_SECRETS = new Secrets();

export function storeError(vendor: string, failure: unknown): LimitsStoreError {
  const { reason, detail } =
    failure instanceof StoreFailure ? failure : new StoreFailure("failed", String(failure));
  return new LimitsStoreError({ vendor, operation: "", secrets: NO_SECRETS }, reason, detail);
}

export class StoreConnection {
  #subscriber: Redis | undefined;
  readonly #listeners = new Map<string, Set<(message: string) => void>>();
  #closed = false;
  #readyWait: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Runs a script; rejects with a StoreFailure within timeoutMs. A script is only sent over a
   * ready connection: ioredis would otherwise hold it in its offline queue and run it once Redis
   * is back, long after the store gave up on it (counting a request never sent, taking a slot
   * nobody holds).
   */
  run(s: Script, key: string, args: readonly (string | number)[]): Promise<unknown> {
    if (this.redis.status === "ready") return this.#send(s, key, args);
    if (this.redis.status === "end" || this.#closed) {
      return Promise.reject(new StoreFailure("unavailable", "the Redis connection is closed"));
    }
    // Connecting (first connection, or reconnecting after an outage): wait for it, within bounds.
    return new Promise((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        reject(
          new StoreFailure(
            "unavailable",
            `no connection to Redis within ${this.timeoutMs} ms (${this.redis.status})`,
          ),
        );
      }, this.timeoutMs);
      void this.#ready().then(() => {
        if (late) return;
        clearTimeout(timer);
        this.#send(s, key, args).then(resolve, reject);
      });
    });
  }

  /** Resolves when the connection is next ready; one listener however many calls wait. */
  #ready(): Promise<void> {
    return (this.#readyWait ??= new Promise<void>((resolve) => {
      this.redis.once("ready", () => {
        this.#readyWait = undefined;
        resolve();
      });
    }));
  }

  #send(s: Script, key: string, args: readonly (string | number)[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new StoreFailure("timeout", `no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      const settle = (err: unknown, value?: unknown) => {
        clearTimeout(timer);
        if (err === undefined) resolve(value);
        else reject(classify(err));
      };
      this.redis.evalsha(s.sha, 1, key, ...args).then(
        (value) => settle(undefined, value),
        (err: unknown) => {
          // The script is not cached yet (first use, or Redis restarted): send it once.
          if (isReplyError(err) && String((err as Error).message).startsWith("NOSCRIPT")) {
            this.redis.eval(s.lua, 1, key, ...args).then(
              (value) => settle(undefined, value),
              (err2: unknown) => settle(err2 ?? "error"),
            );
          } else settle(err ?? "error");
        },
      );
    });
  }

  /** Calls `onMessage` for each message on `channel`, on the store's one subscriber connection. */
  listen(channel: string, onMessage: (message: string) => void): void {
    if (this.#closed) return;
    if (!this.#subscriber) {
      const subscriber = this.redis.duplicate();
      // Connection errors are the limiters' to report (their calls fail); the subscriber
      // reconnects and resubscribes by itself, and a lost message only delays a wake-up.
      subscriber.on("error", () => {});
      subscriber.on("message", (channel: string, message: string) => {
        for (const listener of this.#listeners.get(channel) ?? []) listener(message);
      });
      this.#subscriber = subscriber;
    }
    const listeners = this.#listeners.get(channel);
    if (listeners) return void listeners.add(onMessage);
    this.#listeners.set(channel, new Set([onMessage]));
    this.#subscriber.subscribe(channel).catch(() => {});
  }

  /** Ends the subscriber connection (the user's own client is theirs to close). */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#subscriber?.disconnect();
    this.#subscriber = undefined;
  }
}

function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === "ReplyError";
}

function classify(err: unknown): StoreFailure {
  if (err instanceof StoreFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  // Redis answered, with an error: the store is there but refused (out of memory, a bad script…).
  if (isReplyError(err)) return new StoreFailure("failed", message.slice(0, 200));
  return new StoreFailure("unavailable", message.slice(0, 200));
}
