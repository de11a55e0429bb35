// One process's waiters for one queue of the store (a combination of buckets, or the in-flight
// slots), in arrival order. Only the first of them asks Redis at a time, so the process holds at
// most one ticket in the shared queue, and its other waiters wait here without any traffic.
//
// Waiting never polls Redis in a tight loop: the first in line sleeps until the time the script
// said room appears, or until the wake message naming its ticket (another process took room and
// left the queue, or released a slot). A slow refresh (a third of the ticket's lifetime) keeps the
// ticket alive and covers a lost message.
import { whenAborted } from "../core/abort.js";
import type { Clock } from "../core/clock.js";
import { type Place, WaiterQueue } from "../core/limits/waiter-queue.js";

export type Attempt<T> =
  /** Room was taken for the first waiter. */
  | { granted: T }
  /** First in line, no room: ask again after `ms` of `clock`'s time (or when woken). */
  | { retryIn: number; clock: Clock }
  /** Behind another process: wait to be woken. */
  | { queued: true }
  /** Nobody may go (a quota spent): every waiter gets this error. */
  | { refused: unknown };

export interface LineOptions<T> {
  /** One attempt for the first waiter. Rejects when the store cannot be asked. */
  attempt(): Promise<Attempt<T>>;
  /** Takes this process's ticket out of the shared queue (its waiters are all gone). */
  leave(): Promise<unknown>;
  /** The store could not be asked: settles every waiter (an error, or the local fallback). */
  storeFailed(error: unknown, signal: AbortSignal | undefined): Promise<T>;
  /** Real ms between two asks while waiting (keeps the ticket alive). */
  refreshMs: number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  place?: Place<Waiter<T>>;
  stopWaiting?: () => void;
}

export class TicketLine<T> {
  readonly #waiters = new WaiterQueue<Waiter<T>>();
  #asking = false;
  /** A wake came while asking: ask again at once rather than sleep. */
  #wokenWhileAsking = false;
  /** This process may hold a ticket in the shared queue. */
  #ticketed = false;
  #cancelTimers: (() => void) | undefined;

  constructor(private readonly options: LineOptions<T>) {}

  wait(signal?: AbortSignal | null): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, signal: signal ?? undefined };
      waiter.place = this.#waiters.push(waiter);
      if (signal) waiter.stopWaiting = whenAborted(signal, () => this.#aborted(waiter));
      // A waiter behind others joins them: the first one's ask or timer serves it in turn.
      if (this.#waiters.size === 1 && !this.#asking) void this.#ask();
    });
  }

  /** The wake message named this line's ticket. */
  wake(): void {
    if (this.#asking) this.#wokenWhileAsking = true;
    else if (this.#waiters.size > 0) void this.#ask();
  }

  #aborted(waiter: Waiter<T>): void {
    this.#waiters.remove(waiter.place!);
    waiter.reject(waiter.signal!.reason);
    if (this.#waiters.size === 0 && !this.#asking) this.#leave();
  }

  #leave(): void {
    this.#cancelTimers?.();
    this.#cancelTimers = undefined;
    if (!this.#ticketed) return;
    this.#ticketed = false;
    // Best effort: if Redis cannot be told, the ticket expires by itself.
    this.options.leave().catch(() => {});
  }

  async #ask(): Promise<void> {
    this.#cancelTimers?.();
    this.#cancelTimers = undefined;
    this.#asking = true;
    try {
      while (this.#waiters.size > 0) {
        this.#wokenWhileAsking = false;
        let attempt: Attempt<T>;
        try {
          attempt = await this.options.attempt();
        } catch (error) {
          // A call that timed out may still run once Redis is back (ioredis queues it) and leave
          // a ticket in line: a leave queued behind it takes it out again.
          this.#ticketed = true;
          this.#leave();
          this.#failAll(error);
          return;
        }
        if ("granted" in attempt) {
          this.#ticketed = false; // the script took the ticket out of the queue
          const first = this.#waiters.shift();
          if (first) {
            first.stopWaiting?.();
            first.resolve(attempt.granted);
          }
          // else: its waiter was aborted meanwhile; the room it took is spent (counted, unused).
          continue;
        }
        if ("refused" in attempt) {
          this.#ticketed = false;
          for (let w = this.#waiters.shift(); w; w = this.#waiters.shift()) {
            w.stopWaiting?.();
            w.reject(attempt.refused);
          }
          return;
        }
        this.#ticketed = true;
        if (this.#waiters.size === 0) break; // all aborted while asking: leave below
        if (this.#wokenWhileAsking) continue;
        this.#sleep(attempt);
        return;
      }
    } finally {
      this.#asking = false;
    }
    if (this.#waiters.size === 0) this.#leave();
  }

  #sleep(attempt: { retryIn: number; clock: Clock } | { queued: true }): void {
    const again = () => {
      this.#cancelTimers?.();
      this.#cancelTimers = undefined;
      void this.#ask();
    };
    const refresh = setTimeout(again, this.options.refreshMs);
    const cancelRoom =
      "retryIn" in attempt ? attempt.clock.setTimeout(again, attempt.retryIn) : undefined;
    this.#cancelTimers = () => {
      clearTimeout(refresh);
      cancelRoom?.();
    };
  }

  /** Hands every waiter to the failure policy: an error each, or the local limits. */
  #failAll(error: unknown): void {
    for (let w = this.#waiters.shift(); w; w = this.#waiters.shift()) {
      w.stopWaiting?.();
      this.options.storeFailed(error, w.signal).then(w.resolve, w.reject);
    }
  }
}
