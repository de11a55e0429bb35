// Hiboutik's pages: `p` (1-based) picks the page, 250 rows each; `Content-Range: X-Y/Z` says which
// rows of how many, `Link` gives the start, prev, current, next and last pages' URLs (the request's
// own URL with its `p` changed). Past the last page the list is `[]`. A list that fits in one page
// is sent without either header (GAP: the sandbox's choice; the
// vendor documents the headers for large lists only). The list faults a test can ask for are played
// here: `empty-page` (no rows, the headers as they would be), `paging-ignored` (page 1 whatever `p`
// asks) and `paging-total` (Hiboutik announces its total in Content-Range: `value` replaces it, and
// the last page the links point to; a value that is not a number leaves Content-Range out).
import type { Collection } from "../../sandbox/collection.js";
import type { HandlerContext, SandboxResponse } from "../../sandbox/server.js";

export const DEFAULT_PAGE_SIZE = 250;

/** Rows known by count, read a page at a time (a collection walked by position). */
export interface PagedSource<T> {
  total: number;
  slice(start: number, end: number): T[];
}

export function pagedAnswer<T>(
  ctx: HandlerContext<unknown, unknown>,
  rows: readonly T[] | PagedSource<T>,
  pageSize: number,
): SandboxResponse {
  const source: PagedSource<T> = Array.isArray(rows)
    ? { total: rows.length, slice: (start: number, end: number) => rows.slice(start, end) }
    : (rows as PagedSource<T>);
  const asked = (ctx.params.query.p as number | undefined) ?? 1;
  const p = ctx.fault?.kind === "paging-ignored" ? 1 : asked;
  const start = (p - 1) * pageSize;
  const items = start < source.total ? source.slice(start, start + pageSize) : [];
  const headers: Record<string, string> = {};
  const forged = ctx.fault?.kind === "paging-total" ? ctx.fault.value : source.total;
  const total = typeof forged === "number" ? forged : source.total;
  if (total > pageSize && items.length > 0) {
    const last = Math.max(1, Math.ceil(total / pageSize));
    const host = String(ctx.headers.host ?? "127.0.0.1");
    const link = (n: number, rel: string) => {
      const query = new URLSearchParams(ctx.url.searchParams);
      query.set("p", String(n));
      return `<http://${host}${ctx.url.pathname}?${query}>; rel="${rel}"`;
    };
    if (typeof forged === "number") {
      headers["Content-Range"] = `${start + 1}-${start + items.length}/${total}`;
    }
    headers.Link = [
      link(1, "start"),
      ...(p > 1 ? [link(p - 1, "prev")] : []),
      link(p, "current"),
      ...(p < last ? [link(p + 1, "next")] : []),
      link(last, "last"),
    ].join(", ");
  }
  return {
    status: 200,
    body: ctx.fault?.kind === "empty-page" ? [] : items,
    headers,
  };
}

/**
 * A collection's records as pages: read by position when none was deleted (a page costs its 250
 * records, whatever the collection's size), else walked once.
 */
export function collectionSource<T, R>(
  collection: Collection<T>,
  map: (record: T) => R,
): PagedSource<R> | R[] {
  if (collection.size === collection.end) {
    return {
      total: collection.size,
      slice: (start: number, end: number) => collection.page(start, end - start).items.map(map),
    };
  }
  return Array.from(collection.values(), map);
}
