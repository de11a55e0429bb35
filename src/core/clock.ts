// Time as an injectable dependency: rate-limit windows, backoff and sandboxes all read one clock,
// so tests and benchmarks can run "a minute in a second" without touching the code under test.
import { whenAborted } from "./abort.js";

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` after `ms` of this clock's time; returns a function that cancels the call. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

/**
 * A clock that runs `scale` times faster than real time, starting at `start` (epoch ms). With
 * scale 60 a one-minute rate-limit window lasts one real second.
 */
export function acceleratedClock(scale: number, start = Date.now()): Clock {
  const realStart = performance.now();
  return {
    now: () => start + (performance.now() - realStart) * scale,
    setTimeout(fn, ms) {
      const timer = setTimeout(fn, Math.max(0, ms) / scale);
      return () => clearTimeout(timer);
    },
  };
}

/** Resolves after `ms` of the clock's time; rejects with the signal's reason when aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const cancel = clock.setTimeout(() => {
      stopWaiting?.();
      resolve();
    }, ms);
    const stopWaiting =
      signal &&
      whenAborted(signal, () => {
        cancel();
        reject(signal.reason);
      });
  });
}
