// Hiboutik list pages: `p` (1-based) in the query; `Content-Range: X-Y/Z` (rows X to Y of Z) and
// `Link: <…?p=N>; rel="start|prev|current|next|last", …` in the response. Lists that are not
// paginated send neither header. Every header is checked against the page it came with, so a
// server that ignores `p`, or a header that cannot be read, ends paging with a PaginationError
// instead of skipping or repeating rows.
import { type ErrorContext, PaginationError } from "../core/errors.js";
import type { PageFacts } from "../core/paging/numbered-pages.js";
import type { Page } from "../core/paging/pagination.js";

export interface ContentRange {
  /** First row of the page, 1-based. */
  first: number;
  /** Last row of the page, inclusive. */
  last: number;
  total: number;
}

export type LinkRel = "start" | "prev" | "current" | "next" | "last";

const shown = (value: string) =>
  JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/** Parses `X-Y/Z`; undefined when the header is malformed. */
export function parseContentRange(value: string): ContentRange | undefined {
  const m = /^\s*(\d{1,15})-(\d{1,15})\/(\d{1,15})\s*$/.exec(value);
  if (!m) return undefined;
  const [first, last, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (first < 1 || last < first || total < last) return undefined;
  return { first, last, total };
}

const LINK_RELS = new Set<string>(["start", "prev", "current", "next", "last"]);

/**
 * Parses a Link header into rel → page number (the `p` of each URL). Undefined when any part is
 * malformed: a link without `<…>` or without rel, or whose URL has no whole-number `p` (`start`
 * may omit it: page 1). Unknown rels are ignored.
 */
export function parseLinkHeader(value: string, base: string): Map<LinkRel, number> | undefined {
  const pages = new Map<LinkRel, number>();
  // One link: `<url>` then `;`-separated parameters, then a comma or the end.
  const link = /\s*<([^>]*)>((?:\s*;\s*[^;,]+)*)\s*(,|$)/y;
  let end = 0;
  while (end < value.length) {
    const m = link.exec(value);
    if (!m) return undefined;
    end = link.lastIndex;
    const rel = /;\s*rel\s*=\s*"?([a-z]+)"?/i.exec(m[2] ?? "")?.[1]?.toLowerCase();
    if (rel === undefined) return undefined;
    if (!LINK_RELS.has(rel)) continue;
    let p: string | null;
    try {
      p = new URL(m[1]!, base).searchParams.get("p");
    } catch {
      return undefined;
    }
    if (p === null && rel === "start") p = "1";
    if (p === null || !/^[1-9]\d{0,8}$/.test(p)) return undefined;
    pages.set(rel as LinkRel, Number(p));
    if (m[3] === "") break;
  }
  return pages.size === 0 ? undefined : pages;
}

/**
 * The `describe` step of Hiboutik's paging strategy. It learns the page size from the first full
 * page (the vendor documents 250) to check each following page's rows and to compute the last
 * page from the total.
 */
export function hiboutikPageReader(ctx: ErrorContext) {
  let pageSize: number | undefined;

  return function describe(page: Page<unknown>, number: number): PageFacts {
    const { headers, url } = page.response;
    const rangeHeader = headers.get("Content-Range");
    const linkHeader = headers.get("Link");
    const empty = page.items.length === 0;
    const facts: PageFacts = {};

    if (rangeHeader !== null) {
      const range = parseContentRange(rangeHeader);
      if (range === undefined) {
        if (empty) return facts; // nothing to lose on an empty page: it ends the list
        throw new PaginationError(
          ctx,
          "malformed-header",
          `Content-Range ${shown(rangeHeader)} is not X-Y/Z`,
        );
      }
      if (!empty) {
        const rows = range.last - range.first + 1;
        if (rows !== page.items.length) {
          throw new PaginationError(
            ctx,
            "malformed-header",
            `Content-Range ${shown(rangeHeader)} announces ${rows} rows but page ${number} holds ${page.items.length}`,
          );
        }
        if (
          pageSize === undefined &&
          range.last < range.total &&
          range.first === 1 + (number - 1) * rows
        ) {
          pageSize = rows;
        }
        if (pageSize !== undefined) {
          const expected = (number - 1) * pageSize + 1;
          if (range.first !== expected) {
            throw new PaginationError(
              ctx,
              range.first < expected ? "page-not-advancing" : "malformed-header",
              `page ${number} should start at row ${expected} but holds rows ${range.first}-${range.last}`,
            );
          }
        }
      }
      if (range.last >= range.total) facts.last = number;
      else if (pageSize !== undefined) facts.last = Math.ceil(range.total / pageSize);
      else facts.hasNext = true;
    }

    if (linkHeader !== null) {
      const links = parseLinkHeader(linkHeader, url || "http://localhost/");
      if (links === undefined) {
        if (empty) return facts;
        throw new PaginationError(
          ctx,
          "malformed-header",
          `Link ${shown(linkHeader)} cannot be read`,
        );
      }
      const current = links.get("current");
      const next = links.get("next");
      if (!empty && current !== undefined && current !== number) {
        throw new PaginationError(
          ctx,
          current < number ? "page-not-advancing" : "malformed-header",
          `page ${number} was answered as page ${current} (Link rel="current")`,
        );
      }
      if (next !== undefined) {
        if (next !== number + 1) {
          throw new PaginationError(
            ctx,
            next <= number ? "page-not-advancing" : "malformed-header",
            `page ${number} links to page ${next} as next`,
          );
        }
        facts.hasNext = true;
      }
      const last = links.get("last");
      if (last !== undefined) facts.last = Math.max(facts.last ?? 0, last);
    }
    return facts;
  };
}
