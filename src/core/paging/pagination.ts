// One generic page loop for every vendor, fed by a small per-vendor strategy. It owns the guards
// that keep a misbehaving server from turning paging into an endless loop: a cursor/page seen twice,
// a page with the same rows as the one before (a fresh cursor that does not advance), too many empty
// pages in a row, or a page cap end the iteration with a PaginationError, after the items already
// fetched have been yielded (nothing is lost, nothing silently cut short).
import { childSignal } from "../abort.js";
import { type ErrorContext, PaginationError } from "../errors.js";
import { RepeatedPageGuard } from "./repeated-page-guard.js";

export interface Page<Item> {
  items: Item[];
  /** The raw response (headers, status) the page came from. */
  response: Response;
}

export interface PagingStrategy<State, Item> {
  /** State of the first page (no cursor, page 1, …). */
  first: State;
  /** Fetches one page; `signal` is the page's own (it follows the caller's). */
  fetchPage(state: State, signal: AbortSignal): Promise<Page<Item>>;
  /** State of the following page, or undefined after the last one. Throws PaginationError on a bad header. */
  next(page: Page<Item>, state: State): State | undefined;
  /** Identity of a state, to detect a server that sends us back where we have been. */
  key(state: State): string;
}

export interface PagingGuards {
  /**
   * Stop with an error after this many pages, and refuse a list whose announced total needs more.
   * Default: what the vendor's published quota allows (HubRise 10,000 a day, Hiboutik 10,000 a
   * month, Hike 5,000 a day), else 100,000.
   */
  maxPages?: number;
  /** Stop with an error after this many empty pages in a row that still point onward. Default 3. */
  maxEmptyPagesInARow?: number;
}

export const DEFAULT_MAX_PAGES = 100_000;

export async function* pageSequence<State, Item>(
  strategy: PagingStrategy<State, Item>,
  ctx: ErrorContext,
  guards: PagingGuards & { signal?: AbortSignal | null } = {},
): AsyncGenerator<Page<Item>, void, undefined> {
  const maxPages = guards.maxPages ?? DEFAULT_MAX_PAGES;
  const maxEmpty = guards.maxEmptyPagesInARow ?? 3;
  const seen = new Set<string>();
  let state: State | undefined = strategy.first;
  let pages = 0;
  let emptyInARow = 0;
  const repeated = new RepeatedPageGuard(ctx);
  while (state !== undefined) {
    const key = strategy.key(state);
    if (seen.has(key)) {
      throw new PaginationError(
        ctx,
        "repeated-cursor",
        `the server pointed back to ${JSON.stringify(ctx.secrets.cut(key, 40))}, already fetched`,
      );
    }
    seen.add(key);
    const pageSignal = childSignal(guards.signal);
    let page: Page<Item>;
    try {
      page = await strategy.fetchPage(state, pageSignal.signal);
    } finally {
      pageSignal.dispose();
    }
    pages++;
    repeated.check(page.items, pages);
    yield page;
    const next = strategy.next(page, state);
    if (next === undefined) return;
    emptyInARow = page.items.length === 0 ? emptyInARow + 1 : 0;
    if (emptyInARow >= maxEmpty) {
      throw new PaginationError(
        ctx,
        "too-many-empty-pages",
        `${emptyInARow} empty pages in a row still pointed onward`,
      );
    }
    if (pages >= maxPages)
      throw new PaginationError(
        ctx,
        "page-limit",
        `stopped after ${pages} pages (option paging.maxPages)`,
      );
    state = next;
  }
}

export async function* itemsOf<Item>(
  pages: AsyncIterable<Page<Item>>,
): AsyncGenerator<Item, void, undefined> {
  for await (const page of pages) yield* page.items;
}

/**
 * Collects at most `limit` items. The limit is required on purpose: turning an unbounded listing
 * into an array should be a decision, not an accident.
 */
export async function collect<T>(
  iterable: AsyncIterable<T>,
  options: { limit: number },
): Promise<T[]> {
  if (!(Number.isInteger(options.limit) && options.limit >= 0)) {
    throw new RangeError("collect() needs a whole-number limit ≥ 0");
  }
  const out: T[] = [];
  if (options.limit === 0) return out;
  for await (const item of iterable) {
    out.push(item);
    if (out.length >= options.limit) break; // `break` closes the generator: no further page is fetched
  }
  return out;
}
