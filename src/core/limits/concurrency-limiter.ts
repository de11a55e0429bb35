// A counting semaphore with a FIFO queue: at most `max` holders at once, waiters served in arrival
// order, and a waiter that is aborted leaves the queue without taking a slot (in O(1): a batch of
// aborted waits must not cost O(n²)). It is its own lease: a slot is a count, so releasing any
// lease frees one, and the fast path allocates nothing.
import { whenAborted } from "../abort.js";
import type { InFlightLimiter, Lease } from "./store.js";
import { WaiterQueue } from "./waiter-queue.js";

export class ConcurrencyLimiter implements InFlightLimiter, Lease {
  readonly max: number;
  #active = 0;
  readonly #queue = new WaiterQueue<() => void>();

  constructor(max: number) {
    if (!(Number.isInteger(max) && max >= 1))
      throw new RangeError("max must be a whole number ≥ 1");
    this.max = max;
  }

  /** Slots in use now. */
  get active(): number {
    return this.#active;
  }

  /** Takes a slot if one is free; returns undefined otherwise (no waiting, no allocation). */
  tryAcquire(): this | undefined {
    if (this.#active >= this.max || this.#queue.size > 0) return undefined;
    this.#active++;
    return this;
  }

  /** Waits for a slot. Call release() exactly once afterwards. */
  acquire(signal?: AbortSignal | null): Promise<this> {
    if (this.tryAcquire()) return Promise.resolve(this);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<this>((resolve, reject) => {
      const grant = () => {
        stopWaiting?.();
        resolve(this);
      };
      const place = this.#queue.push(grant);
      const stopWaiting =
        signal &&
        whenAborted(signal, () => {
          this.#queue.remove(place);
          reject(signal.reason);
        });
    });
  }

  release(): void {
    const next = this.#queue.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.#active--;
  }
}
