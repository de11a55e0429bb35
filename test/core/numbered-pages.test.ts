import { NO_SECRETS } from "../../src/core/redact.js";
import { describe, expect, it } from "vitest";
import { PaginationError } from "../../src/core/errors.js";
import { numberedPages, type PageFacts } from "../../src/core/paging/numbered-pages.js";
import { collect, itemsOf, type Page } from "../../src/core/paging/pagination.js";

const ctx = { vendor: "Test", operation: "GET /things", secrets: NO_SECRETS };
const response = new Response(null);

/**
 * A server with `total` rows in pages of `size`, each page announcing the last page (or only
 * `next` when `withTotal` is false), answering after a delay that varies per page so that
 * concurrent pages complete out of order.
 */
function server(total: number, size: number, opts: { withTotal?: boolean } = {}) {
  const last = Math.ceil(total / size);
  const stats = { inFlight: 0, maxInFlight: 0, fetched: [] as number[], aborted: 0 };
  return {
    stats,
    strategy: {
      first: 1,
      async fetchPage(n: number, signal: AbortSignal) {
        stats.fetched.push(n);
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        try {
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, ((n * 7) % 5) + 1);
            signal.addEventListener("abort", () => {
              clearTimeout(timer);
              stats.aborted++;
              reject(signal.reason);
            });
          });
        } finally {
          stats.inFlight--;
        }
        const start = (n - 1) * size;
        const items = Array.from(
          { length: Math.max(0, Math.min(size, total - start)) },
          (_, i) => start + i + 1,
        );
        return { items, response };
      },
      describe: (_page: Page<number>, n: number): PageFacts =>
        opts.withTotal === false ? { hasNext: n < last } : { last },
    },
  };
}

describe("numberedPages", () => {
  it.each([1, 3, 8])(
    "yields every row once, in order, with concurrency %i",
    async (concurrency) => {
      const { strategy, stats } = server(95, 10);
      const rows = await collect(itemsOf(numberedPages(strategy, ctx, { concurrency })), {
        limit: 1000,
      });
      expect(rows).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
      expect(stats.fetched.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(stats.maxInFlight).toBeLessThanOrEqual(concurrency);
    },
  );

  it("follows `next` one page at a time when no total is known", async () => {
    const { strategy, stats } = server(25, 10, { withTotal: false });
    const rows = await collect(itemsOf(numberedPages(strategy, ctx, { concurrency: 8 })), {
      limit: 100,
    });
    expect(rows).toHaveLength(25);
    expect(stats.maxInFlight).toBe(1);
  });

  it("aborts the pages in flight when the consumer stops early", async () => {
    const { strategy, stats } = server(1000, 10);
    await collect(itemsOf(numberedPages(strategy, ctx, { concurrency: 6 })), { limit: 15 });
    await new Promise((r) => setTimeout(r, 20));
    expect(stats.fetched.length).toBeLessThanOrEqual(8);
    expect(stats.aborted).toBeGreaterThan(0);
    expect(stats.inFlight).toBe(0);
  });

  it("stops at an empty page past the end, but refuses one before the announced end", async () => {
    // A server whose full pages link onward: its page 3 is `[]` and announces nothing more.
    const linksOnward = server(20, 10, { withTotal: false });
    linksOnward.strategy.describe = (page: Page<number>) => ({
      hasNext: page.items.length > 0,
    });
    const rows = await collect(itemsOf(numberedPages(linksOnward.strategy, ctx)), { limit: 100 });
    expect(rows).toHaveLength(20);
    expect(linksOnward.stats.fetched).toEqual([1, 2, 3]);

    // A server that announces 5 pages but answers `[]` for page 3: rows 21-50 would be missing.
    const gap = server(20, 10);
    gap.strategy.describe = () => ({ last: 5 });
    const seen: number[] = [];
    await expect(async () => {
      for await (const page of numberedPages(gap.strategy, ctx, { concurrency: 3 }))
        seen.push(...page.items);
    }).rejects.toThrow(PaginationError);
    expect(seen).toHaveLength(20);
  });

  it("ends with page-limit instead of running forever", async () => {
    const { strategy } = server(1_000_000, 1, { withTotal: false });
    const rows: number[] = [];
    const err = await (async () => {
      try {
        for await (const page of numberedPages(strategy, ctx, { maxPages: 5 }))
          rows.push(...page.items);
      } catch (e) {
        return e;
      }
    })();
    expect((err as PaginationError).reason).toBe("page-limit");
    expect(rows).toEqual([1, 2, 3, 4, 5]);
  });
});
