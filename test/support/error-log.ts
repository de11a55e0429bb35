// Collects the errors a client test provokes, so that the suite can check at the end that none of
// them, however it is printed, holds a credential.
import { inspect } from "node:util";
import { expect } from "vitest";

export function errorLog() {
  const seen: unknown[] = [];
  return {
    seen,
    /** The rejection of `promise` (recorded); fails if it resolves. */
    async caught(promise: Promise<unknown>): Promise<unknown> {
      try {
        await promise;
      } catch (err) {
        seen.push(err);
        return err;
      }
      throw new Error("expected a rejection");
    },
    /** Drains an iterator, keeping what it yielded before it failed (the error is recorded). */
    async drain<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
      const items: T[] = [];
      try {
        for await (const item of iterable) items.push(item);
        return { items, error: undefined };
      } catch (error) {
        seen.push(error);
        return { items, error };
      }
    },
    /** At least `atLeast` errors were seen, and none shows a secret as text, stack, JSON or inspected. */
    expectFreeOf(secrets: readonly string[], atLeast: number): void {
      expect(seen.length).toBeGreaterThanOrEqual(atLeast);
      for (const err of seen) {
        const printed = [
          String(err),
          (err as Error).stack,
          JSON.stringify(err),
          inspect(err, { depth: 5 }),
        ].join("\n");
        for (const secret of secrets) expect(printed).not.toContain(secret);
      }
    },
  };
}
