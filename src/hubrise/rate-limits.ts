// HubRise's published limits (General Concepts §3): per connection 500 requests a minute, 2,500 an
// hour and 10,000 a day in fixed windows starting at the round minute/hour/day, plus 10 a minute
// for heavy queries. Day windows are taken to start at 00:00 UTC (HubRise does not say which zone).
import type { WindowRule } from "../core/limits/window-scheduler.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type HubriseBucket = "connection" | "heavy";

export interface HubriseLimits {
  connection: readonly WindowRule[];
  heavy: readonly WindowRule[];
}

export const HUBRISE_LIMITS: HubriseLimits = {
  connection: [
    { sizeMs: MINUTE, limit: 500 },
    { sizeMs: HOUR, limit: 2_500 },
    { sizeMs: DAY, limit: 10_000 },
  ],
  heavy: [{ sizeMs: MINUTE, limit: 10 }],
};

/**
 * The GET operations HubRise counts as heavy queries. The description marks the same operations
 * with `x-hubrise-heavy-query: true` (a test keeps the two in step).
 */
export const HEAVY_QUERY_PATHS = [
  "/catalogs/{catalog_id}",
  "/locations/{location_id}/orders",
  "/location/orders",
  "/accounts/{account_id}/orders",
  "/account/orders",
  "/customer_lists/{customer_list_id}/customers",
] as const;

/** All heavy paths in one pattern: this runs for every request, and one test beats six. */
const heavyPattern = new RegExp(
  `^(?:${HEAVY_QUERY_PATHS.map((template) => template.replace(/\{[^}]+\}/g, "[^/]+")).join("|")})/?$`,
);

/** The path of a URL, without parsing the whole URL (this runs for every request). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

/** The buckets a request counts against; `basePath` is the base URL's path (`/v1`). */
export function hubriseBucketsFor(
  request: { method: string; url: string },
  basePath: string,
): HubriseBucket[] {
  if (request.method !== "GET") return CONNECTION;
  let path = pathOf(request.url);
  if (path.startsWith(basePath)) path = path.slice(basePath.length);
  return heavyPattern.test(path) ? CONNECTION_AND_HEAVY : CONNECTION;
}

const CONNECTION: HubriseBucket[] = ["connection"];
const CONNECTION_AND_HEAVY: HubriseBucket[] = ["connection", "heavy"];
