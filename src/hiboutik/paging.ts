// Hiboutik list pages: `p` (1-based) in the query; `Content-Range: X-Y/Z` (rows X to Y of Z) and
// `Link: <…?p=N>; rel="start|prev|current|next|last", …` in the response. Lists that are not
// paginated send neither header. Every header is checked against the page it came with, so a
// server that ignores `p`, or a header that cannot be read, ends paging with a PaginationError
// instead of skipping or repeating rows.
import { type ErrorContext, PaginationError } from "../core/errors.js";
import { parseLinks } from "../core/http/link-header.js";
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

/** Longest Content-Range read: three safe integers and two separators fit in 50 characters. */
const CONTENT_RANGE_LIMIT = 100;

/** Parses `X-Y/Z`; undefined when the header is malformed. */
export function parseContentRange(value: string): ContentRange | undefined {
  if (value.length > CONTENT_RANGE_LIMIT) return undefined;
  const text = value.trim();
  const dash = text.indexOf("-");
  const slash = text.indexOf("/", dash + 1);
  if (dash < 0 || slash < 0) return undefined;
  const first = wholeNumber(text.slice(0, dash));
  const last = wholeNumber(text.slice(dash + 1, slash));
  const total = wholeNumber(text.slice(slash + 1));
  if (first === undefined || last === undefined || total === undefined) return undefined;
  if (first < 1 || last < first || total < last) return undefined;
  return { first, last, total };
}

/** ASCII digits as a number; undefined when empty, not only digits, or past 2^53 − 1. */
function wholeNumber(digits: string): number | undefined {
  if (digits === "") return undefined;
  for (const c of digits) if (c < "0" || c > "9") return undefined;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}

const LINK_RELS = new Set<string>(["start", "prev", "current", "next", "last"]);
const isLinkRel = (type: string): type is LinkRel => LINK_RELS.has(type);

/** Longest Link header read (8 KB): Hiboutik's five links take a few hundred bytes. */
const LINK_HEADER_LIMIT = 8 * 1024;

/**
 * Parses a Link header into rel → page number (the `p` of each URL). Undefined when any part is
 * malformed: a link without `<…>` or without rel, or whose URL has no whole-number `p` (`start`
 * may omit it: page 1). Unknown rels are ignored.
 */
export function parseLinkHeader(value: string, base: string): Map<LinkRel, number> | undefined {
  if (value.length > LINK_HEADER_LIMIT) return undefined;
  const links = parseLinks(value);
  if (links === undefined) return undefined;
  const pages = new Map<LinkRel, number>();
  for (const link of links) {
    // A rel holds one or more relation types, compared case-insensitively (RFC 8288 §3.3).
    const types = (link.rel ?? "").split(/[ \t]+/).filter((type) => type !== "");
    if (types.length === 0) return undefined;
    const rels = types.map((type) => type.toLowerCase()).filter(isLinkRel);
    if (rels.length === 0) continue;
    const page = pageNumber(link.target, base, rels.includes("start"));
    if (page === undefined) return undefined;
    for (const rel of rels) pages.set(rel, page);
  }
  return pages.size === 0 ? undefined : pages;
}

/** The `p` of a link's URL; a link to the first page may omit it. */
function pageNumber(target: string, base: string, isStart: boolean): number | undefined {
  let p: string | null;
  try {
    p = new URL(target, base).searchParams.get("p");
  } catch {
    return undefined;
  }
  if (p === null && isStart) return 1;
  return p !== null && /^[1-9]\d{0,8}$/.test(p) ? Number(p) : undefined;
}

/**
 * The `describe` step of Hiboutik's paging strategy. It learns the page size from the first full
 * page (the vendor documents 250) to check each following page's rows and to compute the last
 * page from the total.
 */
export function hiboutikPageReader(ctx: ErrorContext) {
  let pageSize: number | undefined;
  /** A header as an error quotes it: redacted (a server may echo credentials), then cut. */
  const shown = (value: string) => JSON.stringify(ctx.secrets.cut(value, 60));

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
