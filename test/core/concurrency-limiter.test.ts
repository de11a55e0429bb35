import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "../../src/core/limits/concurrency-limiter.js";

describe("ConcurrencyLimiter", () => {
  it("admits at most max holders and serves waiters in arrival order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    const order: number[] = [];
    expect(limiter.tryAcquire()).toBe(limiter);
    expect(limiter.tryAcquire()).toBe(limiter);
    expect(limiter.tryAcquire()).toBeUndefined();
    const waiters = [3, 4, 5].map((n) => limiter.acquire().then(() => order.push(n)));
    limiter.release();
    limiter.release();
    await Promise.all(waiters.slice(0, 2));
    expect(order).toEqual([3, 4]);
    expect(limiter.active).toBe(2);
    limiter.release();
    await waiters[2];
    expect(order).toEqual([3, 4, 5]);
  });

  it("drops an aborted waiter without consuming a slot", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    limiter.release();
    await next;
    expect(limiter.active).toBe(1);
    limiter.release();
    expect(limiter.active).toBe(0);
  });

  it("keeps arrival order for the rest when waiters in the middle abort", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    const order: number[] = [];
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const waits = controllers.map((c, n) =>
      limiter.acquire(c.signal).then(
        () => order.push(n),
        () => order.push(-n),
      ),
    );
    controllers[1]!.abort();
    controllers[3]!.abort();
    for (let i = 0; i < 3; i++) limiter.release(); // each passes the slot to the next still waiting
    await Promise.all(waits);
    expect(order).toEqual([-1, -3, 0, 2, 4]);
    expect(limiter.active).toBe(1);
  });

  it("rejects a cap that is not a whole number ≥ 1", () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
    expect(() => new ConcurrencyLimiter(1.5)).toThrow(RangeError);
  });
});
