// Paging by page number, with the pages after the first fetched concurrently once the headers say
// how many there are, and yielded strictly in order. Used where the page number is the state
// (Hiboutik's `p`; offsets computed from a page index work the same way).
//
// At most `concurrency` pages are in flight or waiting to be yielded, so memory stays bounded by
// that many pages. Ending early (`break`, an error) aborts the pages still in flight.
//
// The server is not trusted: a total that would take more pages than the cap is refused before
// those pages are sent (a forged total of 10^12 rows must not spend the shop's quota), and a page
// with the same rows as the one before ends paging.
import { childSignal } from "../abort.js";
import { type ErrorContext, PaginationError } from "../errors.js";
import { RepeatedPageGuard } from "./repeated-page-guard.js";
import { DEFAULT_MAX_PAGES, type Page, type PagingGuards } from "./pagination.js";

/** What a page's headers say about the sequence it belongs to. */
export interface PageFacts {
  /** The number of the last page, when the headers give the total. */
  last?: number;
  /** Whether the headers point to a following page (a `next` link). */
  hasNext?: boolean;
}

export interface NumberedPagingStrategy<Item> {
  /** Number of the first page to fetch. */
  first: number;
  fetchPage(number: number, signal: AbortSignal): Promise<Page<Item>>;
  /**
   * Reads a page's headers. Throws PaginationError when they are malformed or contradict the page's
   * number (a server that ignored the page parameter), so no row is skipped or repeated silently.
   */
  describe(page: Page<Item>, number: number): PageFacts;
}

export interface NumberedPagingOptions extends PagingGuards {
  /** Pages fetched at the same time once the last page is known. Default 1. */
  concurrency?: number;
  /** Aborts the iteration and every page in flight. */
  signal?: AbortSignal | null;
}

export async function* numberedPages<Item>(
  strategy: NumberedPagingStrategy<Item>,
  ctx: ErrorContext,
  options: NumberedPagingOptions = {},
): AsyncGenerator<Page<Item>, void, undefined> {
  const concurrency = options.concurrency ?? 1;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  const inFlight = new Map<number, Promise<Page<Item>>>();
  const fetchPage = (n: number) => {
    const page = childSignal(signal);
    const promise = strategy.fetchPage(n, page.signal).finally(page.dispose);
    promise.catch(() => undefined); // awaited in order later; never an unhandled rejection
    inFlight.set(n, promise);
  };
  const repeated = new RepeatedPageGuard(ctx);

  let number = strategy.first; // the next page to yield
  let horizon = number; // the last page announced so far
  let totalKnown = false; // whether `horizon` comes from a total (then pages are fetched ahead)
  let nextToFetch = number;
  try {
    for (let pages = 1; number <= horizon; pages++) {
      const window = totalKnown ? concurrency : 1;
      while (nextToFetch <= horizon && inFlight.size < window) fetchPage(nextToFetch++);
      const page = await inFlight.get(number)!;
      inFlight.delete(number);

      const facts = strategy.describe(page, number);
      if (page.items.length === 0) {
        // Past the end a list is `[]`. An empty page before the end the headers announced (its own
        // or the previous pages') would mean missing rows: say so rather than stop quietly.
        const announced = Math.max(facts.last ?? 0, facts.hasNext ? number + 1 : 0, horizon);
        if (announced > number) {
          throw new PaginationError(
            ctx,
            "empty-page-before-end",
            `page ${number} is empty but the list was announced to go on to page ${announced}`,
          );
        }
        return;
      }
      if (facts.last !== undefined && facts.last - strategy.first + 1 > maxPages) {
        throw new PaginationError(
          ctx,
          "total-over-cap",
          `page ${number} announces ${facts.last} pages, more than the cap of ${maxPages} ` +
            "(option paging.maxPages); none of them was requested",
        );
      }
      repeated.check(page.items, number);
      yield page;

      // The latest headers win: a total that grew or shrank while paging moves the end.
      if (facts.last !== undefined) {
        horizon = facts.last;
        totalKnown = true;
      } else if (!totalKnown) {
        horizon = number;
      }
      if (facts.hasNext) horizon = Math.max(horizon, number + 1);
      number++;
      if (pages >= maxPages && number <= horizon) {
        throw new PaginationError(
          ctx,
          "page-limit",
          `stopped after ${pages} pages (option paging.maxPages)`,
        );
      }
      // Pages fetched ahead of a total that shrank are past the new end: drop them.
      for (const n of inFlight.keys()) if (n > horizon) inFlight.delete(n);
      nextToFetch = Math.max(number, Math.min(nextToFetch, horizon + 1));
    }
  } finally {
    controller.abort();
  }
}
