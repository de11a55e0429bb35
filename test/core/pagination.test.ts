import { NO_SECRETS } from "../../src/core/redact.js";
import { describe, expect, it } from "vitest";
import { PaginationError } from "../../src/core/errors.js";
import {
  collect,
  itemsOf,
  type Page,
  pageSequence,
  type PagingStrategy,
} from "../../src/core/paging/pagination.js";

const ctx = { vendor: "Test", operation: "GET /things", secrets: NO_SECRETS };
const response = new Response(null);

/** A server whose page n returns `pages[n]` and points to n + 1 while there is one. */
function strategy(pages: number[][], fetched: number[] = []): PagingStrategy<number, number> {
  return {
    first: 0,
    key: (n) => String(n),
    async fetchPage(n) {
      fetched.push(n);
      return { items: pages[n] ?? [], response };
    },
    next: (_page: Page<number>, n) => (n + 1 < pages.length ? n + 1 : undefined),
  };
}

describe("pageSequence", () => {
  it("yields every page once and stops after the last", async () => {
    const items = await collect(itemsOf(pageSequence(strategy([[1, 2], [3], [4, 5]]), ctx)), {
      limit: 100,
    });
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });

  it("goes past a few empty pages that point onward, but not endlessly", async () => {
    expect(
      await collect(itemsOf(pageSequence(strategy([[1], [], [], [2]]), ctx)), { limit: 100 }),
    ).toEqual([1, 2]);
    const endless = strategy(Array.from({ length: 50 }, (_, i) => (i === 0 ? [1] : [])));
    const seen: number[] = [];
    const err = await (async () => {
      for await (const item of itemsOf(pageSequence(endless, ctx))) seen.push(item);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationError);
    expect((err as PaginationError).reason).toBe("too-many-empty-pages");
    expect(seen).toEqual([1]);
  });

  it("enforces the page cap", async () => {
    const err = await collect(
      itemsOf(pageSequence(strategy([[1], [2], [3], [4]]), ctx, { maxPages: 2 })),
      { limit: 100 },
    ).catch((e: unknown) => e);
    expect((err as PaginationError).reason).toBe("page-limit");
  });

  it("fetches nothing beyond what a bounded collect needs", async () => {
    const fetched: number[] = [];
    expect(
      await collect(itemsOf(pageSequence(strategy([[1, 2], [3, 4], [5]], fetched), ctx)), {
        limit: 3,
      }),
    ).toEqual([1, 2, 3]);
    expect(fetched).toEqual([0, 1]);
  });

  it("requires an explicit whole-number limit to collect", async () => {
    await expect(
      collect(itemsOf(pageSequence(strategy([[1]]), ctx)), { limit: Number.NaN }),
    ).rejects.toThrow(RangeError);
  });
});
