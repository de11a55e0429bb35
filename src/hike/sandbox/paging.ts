// Hike's lists: `page_size` (1–500, required) and `skip_count` (a 0-based offset, default 0) in the
// query; `{ totalCount, items, next }` in the body, `totalCount` counting every item that matches
// across pages and `next` (a path and query) present only when another page exists (Hike's
// pagination page and the clients that call the live API). A list also plays the paging faults:
// `empty-page` (no items while totalCount and next say there are more), `paging-ignored` (the
// first page whatever skip_count says) and `paging-total` (totalCount replaced, or dropped).
import type { Collection } from "../../sandbox/collection.js";
import type { OperationSpec } from "../../sandbox/description.js";
import type { HandlerContext, SandboxResponse } from "../../sandbox/server.js";
import type { HikeRecord } from "./data.js";
import type { HikePrincipal, HikeState } from "./state.js";

export interface ListSource {
  collection: Collection<HikeRecord>;
  /** Which records the request's filters keep (none: all). */
  keep?: (record: HikeRecord) => boolean;
  /** The order the request asks for (none: the list's own, ids ascending). */
  compare?: (a: HikeRecord, b: HikeRecord) => number;
}

type Context = HandlerContext<HikeState, HikePrincipal>;

/** One page of a list, as Hike answers it. */
export function listPage(ctx: Context, source: ListSource): SandboxResponse {
  const { query } = ctx.params;
  const size = query.page_size as number;
  const skip = ctx.fault?.kind === "paging-ignored" ? 0 : ((query.skip_count as number) ?? 0);
  const { total, items } = slice(ctx, source, skip, size);
  const body: Record<string, unknown> = {
    totalCount: total,
    items: ctx.fault?.kind === "empty-page" ? [] : items,
  };
  if (skip + size < total) body.next = nextLink(ctx, skip + size);
  if (ctx.fault?.kind === "paging-total") {
    if (ctx.fault.value === undefined) delete body.totalCount;
    else body.totalCount = ctx.fault.value;
  }
  return { status: 200, body };
}

/** The matching records from offset `skip`, at most `size`, and how many match in all. */
function slice(ctx: Context, source: ListSource, skip: number, size: number) {
  const { collection, keep, compare } = source;
  // Nothing filtered, sorted or deleted: an offset is a position, and the count is known.
  if (keep === undefined && compare === undefined && collection.size === collection.end) {
    return { total: collection.size, items: collection.page(skip, size).items };
  }
  const positions = matching(ctx, source);
  const items = positions.slice(skip, skip + size).map((p) => collection.at(p)!);
  return { total: positions.length, items };
}

interface Matches {
  revision: number;
  end: number;
  size: number;
  positions: number[];
}

/** Per collection, the positions a query matches, by query (at most MAX_QUERIES of them). */
const matchCache = new WeakMap<Collection<HikeRecord>, Map<string, Matches>>();
const MAX_QUERIES = 32;

/**
 * The positions of the records a list request matches, in its order. Paging through a filtered
 * list then costs one scan, not one per page: they are kept until the next write.
 */
function matching(ctx: Context, { collection, keep, compare }: ListSource): number[] {
  const params = new URLSearchParams(ctx.url.searchParams);
  params.delete("page_size");
  params.delete("skip_count");
  params.sort();
  const key = `${ctx.operation.operationId}?${params}`;
  let cached = matchCache.get(collection);
  if (cached === undefined) matchCache.set(collection, (cached = new Map()));
  const hit = cached.get(key);
  const { revision } = ctx.state;
  if (hit?.revision === revision && hit.end === collection.end && hit.size === collection.size) {
    return hit.positions;
  }
  const positions: number[] = [];
  const end = collection.end;
  for (let p = 0; p < end; p++) {
    const record = collection.at(p);
    if (record !== undefined && (keep === undefined || keep(record))) positions.push(p);
  }
  if (compare) {
    // Stable: equal records stay in the list's own order.
    const records = new Map(positions.map((p) => [p, collection.at(p)!]));
    positions.sort((a, b) => compare(records.get(a)!, records.get(b)!));
  }
  if (cached.size >= MAX_QUERIES) cached.clear();
  cached.set(key, { revision, end, size: collection.size, positions });
  return positions;
}

/** The path and query of the page at `skip`: the request's own query with skip_count moved on. */
function nextLink(ctx: Context, skip: number): string {
  const query = new URLSearchParams(ctx.url.searchParams);
  query.set("skip_count", String(skip));
  return `${ctx.url.pathname}?${query}`;
}

/**
 * Hike's backend (ASP.NET) reads query names without regard to case: its own documentation writes
 * `Skip_count`, and its `next` links too. The request's query names are rewritten to the
 * description's spelling before the request is checked, so `Skip_count=100` pages as
 * `skip_count=100` (and a `filter` is the `Filter`).
 */
export function canonicalQueryNames(url: URL, operation: OperationSpec): void {
  const names = new Map(
    operation.parameters.filter((p) => p.in === "query").map((p) => [p.name.toLowerCase(), p.name]),
  );
  const entries = [...url.searchParams];
  const renamed = entries.map(([name, value]): [string, string] => [
    names.get(name.toLowerCase()) ?? name,
    value,
  ]);
  if (renamed.every(([name], i) => name === entries[i]![0])) return;
  url.search = new URLSearchParams(renamed).toString();
}
