import { describe, expect, it } from "vitest";
import { PaginationError } from "../../src/core/errors.js";
import {
  hiboutikPageReader,
  parseContentRange,
  parseLinkHeader,
} from "../../src/hiboutik/paging.js";

const ctx = { vendor: "Hiboutik", operation: "GET /customers/", secrets: [] };
const FAQ_LINK =
  '<https://myshop.hiboutik.com/api/products_sold/1/2020/06/20/?p=1>; rel="start",\t' +
  '<https://myshop.hiboutik.com/api/products_sold/1/2020/06/20/?p=1>; rel="prev", ' +
  '<https://myshop.hiboutik.com/api/products_sold/1/2020/06/20/?p=2>; rel="current",' +
  '<https://myshop.hiboutik.com/api/products_sold/1/2020/06/20/?p=3>; rel="last"';

const page = (n: number, headers: Record<string, string>) => ({
  items: Array.from({ length: n }, (_, i) => i),
  response: new Response(null, { headers }),
});

describe("Hiboutik paging headers", () => {
  it("parses the FAQ's Link example and Content-Range", () => {
    expect(Object.fromEntries(parseLinkHeader(FAQ_LINK, "https://myshop.hiboutik.com/")!)).toEqual({
      start: 1,
      prev: 1,
      current: 2,
      last: 3,
    });
    expect(parseContentRange("251-500/2102")).toEqual({ first: 251, last: 500, total: 2102 });
  });

  it.each(["", "garbage", "1-250", "items 1-250/2102", "250-1/2102", "1-250/10", "0-0/0", "a-b/c"])(
    "rejects the Content-Range %j",
    (value) => expect(parseContentRange(value)).toBeUndefined(),
  );

  it.each([
    "garbage",
    "<https://x/?p=2>",
    '<https://x/?p=abc>; rel="next"',
    '<https://x/>; rel="next"',
    '<https://x/?p=2>; rel="next", junk',
  ])("rejects the Link header %j", (value) =>
    expect(parseLinkHeader(value, "https://x/")).toBeUndefined(),
  );

  it("derives the last page from the total once the page size is known", () => {
    const describe = hiboutikPageReader(ctx);
    expect(describe(page(250, { "Content-Range": "1-250/2102" }), 1)).toEqual({ last: 9 });
    expect(describe(page(250, { "Content-Range": "251-500/2102" }), 2)).toEqual({ last: 9 });
    expect(describe(page(102, { "Content-Range": "2001-2102/2102" }), 9)).toEqual({ last: 9 });
  });

  it("throws when a page's rows or number contradict its headers", () => {
    const describe = hiboutikPageReader(ctx);
    describe(page(250, { "Content-Range": "1-250/2102" }), 1);
    const reasons = [
      () => describe(page(250, { "Content-Range": "1-250/2102" }), 2),
      () => describe(page(249, { "Content-Range": "251-500/2102" }), 2),
      () => describe(page(250, { Link: '<https://x/?p=1>; rel="current"' }), 2),
      () => describe(page(250, { Link: '<https://x/?p=2>; rel="next"' }), 2),
    ].map((f) => {
      try {
        f();
      } catch (e) {
        return (e as PaginationError).reason;
      }
    });
    expect(reasons).toEqual([
      "page-not-advancing",
      "malformed-header",
      "page-not-advancing",
      "page-not-advancing",
    ]);
  });
});
