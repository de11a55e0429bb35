// A counting semaphore with a FIFO queue: at most `max` holders at once, waiters served in arrival
// order, and a waiter that is aborted leaves the queue without taking a slot.
export class ConcurrencyLimiter {
  readonly max: number;
  #active = 0;
  #queue: Array<() => void> = [];

  constructor(max: number) {
    if (!(Number.isInteger(max) && max >= 1))
      throw new RangeError("max must be a whole number ≥ 1");
    this.max = max;
  }

  /** Slots in use now. */
  get active(): number {
    return this.#active;
  }

  /** Takes a slot if one is free; returns false otherwise (no waiting, no allocation). */
  tryAcquire(): boolean {
    if (this.#active >= this.max || this.#queue.length > 0) return false;
    this.#active++;
    return true;
  }

  /** Waits for a slot. Call release() exactly once afterwards. */
  acquire(signal?: AbortSignal | null): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(grant);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal!.reason);
      };
      this.#queue.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  release(): void {
    const next = this.#queue.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.#active--;
  }
}
