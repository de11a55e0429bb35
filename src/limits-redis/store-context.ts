// What a limiter needs to talk about its connection in Redis: the key all its state lives under,
// the store's time arguments, and the ticket names of its queues.
import { createHash, randomUUID } from "node:crypto";
import type { Script } from "./connection.js";
import { LEAVE_QUEUE } from "./lua.js";

export interface TimeScale {
  /** Store time runs `scale` times faster than Redis's TIME… */
  scale: number;
  /** …reading `start` (epoch ms) when TIME read `realStart` (epoch ms). */
  start: number;
  realStart: number;
}

export interface StoreContext {
  /**
   * `<prefix>:{<vendor>:<sha-256 of the connection>}`: never the credential itself. The braces are
   * a Redis Cluster hash tag: all of a connection's keys live on one node, as its scripts need.
   */
  key: string;
  /** Where the scripts publish the ticket that may go next. */
  channel: string;
  /** start, realStart, scale: the first three arguments of every script. */
  time: readonly [number, number, number];
  /** A queue's ticket name: unique to this limiter, so each limiter waits in its own place. */
  ticket(queue: readonly string[] | string): string;
  ticketTtlMs: number;
  leaveScript: Script;
}

export function storeContext(
  prefix: string,
  vendor: string,
  connection: string,
  timeScale: TimeScale | undefined,
  ticketTtlMs: number,
): StoreContext {
  const hash = createHash("sha256").update(`${vendor}\0${connection}`).digest("hex").slice(0, 32);
  const key = `${prefix}:{${vendor.toLowerCase()}:${hash}}`;
  const limiter = randomUUID();
  return {
    key,
    channel: `${key}:wake`,
    time: timeScale ? [timeScale.start, timeScale.realStart, timeScale.scale] : [0, 0, 1],
    ticket: (queue) => `${limiter}:${typeof queue === "string" ? queue : queue.join("+")}`,
    ticketTtlMs,
    leaveScript: LEAVE_QUEUE,
  };
}
