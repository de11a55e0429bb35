// HubRise's index paging (General Concepts §2): `count` (default and maximum 100) and `cursor` in
// the query, a bare JSON array as the body, and `X-Cursor-Next` only when more results exist. A
// cursor is a position in the list (scrambled: opaque to the client), so a page starts exactly
// where the one before ended, whatever was created meanwhile: every record is listed once. The
// list faults a sandbox plays are here: `empty-page` (no items, the cursor still pointing onward)
// and `paging-ignored` (the first page again, its cursor included, whatever was asked).
import type { Collection } from "../../sandbox/collection.js";
import type { HandlerContext, SandboxResponse } from "../../sandbox/server.js";
import { unprocessable } from "./errors.js";
import type { IdSpace } from "./ids.js";

export const CURSOR_HEADER = "X-Cursor-Next";
/** `count`'s default and maximum (the description's schema refuses more). */
export const PAGE_SIZE = 100;

/** One page: its items, and where the next starts when there is one. */
export interface PageOf<T> {
  items: T[];
  /** The position the next page starts at; undefined on the last page. */
  next: number | undefined;
  /** A position past every item (what an `empty-page` fault points to on the last page). */
  end: number;
}

/** Pages from `from` (undefined: the first page) of at most `limit` items. */
export type Pager<T> = (from: number | undefined, limit: number) => PageOf<T>;

/** A run of positions, some empty (deleted) and some skipped by a filter. */
export interface Positions<T> {
  end: number;
  at(position: number): T | undefined;
  /** Whether a position certainly holds nothing the list keeps, without building its record. */
  skip?(position: number): boolean;
}

/** Pages over positions in ascending order, keeping the records `keep` accepts. */
export function ascending<T>(positions: Positions<T>, keep?: (record: T) => boolean): Pager<T> {
  return (from, limit) => {
    const items: T[] = [];
    const end = positions.end;
    for (let p = Math.max(0, from ?? 0); p < end; p++) {
      if (positions.skip?.(p)) continue;
      const record = positions.at(p);
      if (record === undefined || (keep !== undefined && !keep(record))) continue;
      // One more match than the page holds: the next page starts there (HubRise sends a cursor
      // only when more results exist).
      if (items.length === limit) return { items, next: p, end };
      items.push(record);
    }
    return { items, next: undefined, end };
  };
}

/** Pages over a collection's records in their order. */
export const collectionPager = <T>(collection: Collection<T>, keep?: (record: T) => boolean) =>
  ascending({ end: collection.end, at: (p) => collection.at(p) }, keep);

/** Pages over an array in its order. */
export const arrayPager = <T>(array: readonly T[], keep?: (record: T) => boolean) =>
  ascending({ end: array.length, at: (p) => array[p] }, keep);

/**
 * Pages over an array newest first (the last element first). Positions count from the end of
 * what existed, so an element added meanwhile (it goes last) does not move the pages still to come.
 */
export function newestFirst<T>(array: readonly T[]): Pager<T> {
  return (from, limit) => {
    // Position p stands for index p - 1; 0 is past the oldest.
    const start = from === undefined ? array.length : Math.min(from, array.length);
    const items: T[] = [];
    for (let i = start - 1; i >= 0; i--) {
      if (items.length === limit) return { items, next: i + 1, end: 0 };
      items.push(array[i]!);
    }
    return { items, next: undefined, end: 0 };
  };
}

/** The answer of an index operation: the page the request asks for, in HubRise's paging. */
export function listAnswer<T>(
  ctx: HandlerContext<{ ids: { cursors: IdSpace } }, unknown>,
  pager: Pager<T>,
  present: (record: T) => unknown = (record) => record,
): SandboxResponse {
  const { query } = ctx.params;
  const count = (query.count as number | undefined) ?? PAGE_SIZE;
  const cursors = ctx.state.ids.cursors;
  let from: number | undefined;
  if (query.cursor !== undefined && ctx.fault?.kind !== "paging-ignored") {
    const cursor = String(query.cursor);
    const position = cursors.index(cursor);
    if (position === undefined || cursors.at(position) !== cursor) {
      return unprocessable([{ field: "cursor", message: "is not a cursor this list sent" }]);
    }
    from = position;
  }
  const page = pager(from, count);
  if (ctx.fault?.kind === "empty-page") {
    return {
      status: 200,
      body: [],
      headers: { [CURSOR_HEADER]: cursors.at(page.next ?? page.end) },
    };
  }
  return {
    status: 200,
    body: page.items.map(present),
    headers: page.next === undefined ? {} : { [CURSOR_HEADER]: cursors.at(page.next) },
  };
}
