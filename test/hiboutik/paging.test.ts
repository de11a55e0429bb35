import { describe, expect, it } from "vitest";
import { PaginationError } from "../../src/core/errors.js";
import { Secrets } from "../../src/core/redact.js";
import {
  hiboutikPageReader,
  parseContentRange,
  parseLinkHeader,
} from "../../src/hiboutik/paging.js";

const MAX = String(Number.MAX_SAFE_INTEGER);
const ctx = { vendor: "Hiboutik", operation: "GET /customers/", secrets: new Secrets() };
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

  it.each([
    ["1-250/2102", { first: 1, last: 250, total: 2102 }],
    [" 001-250/2102\t", { first: 1, last: 250, total: 2102 }],
    [`1-${MAX}/${MAX}`, { first: 1, last: Number(MAX), total: Number(MAX) }],
  ])("reads the Content-Range %j", (value, range) =>
    expect(parseContentRange(value)).toEqual(range),
  );

  it.each([
    "",
    "garbage",
    "1-250",
    "items 1-250/2102",
    "250-1/2102",
    "1-250/10",
    "0-0/0",
    "a-b/c",
    "1-2/3/4",
    "1--2/3",
    "-1-2/3",
    "1-2/",
    "1 - 2/3",
    "1-2/+3",
    "1.0-2/3",
    "１-2/3", // full-width digits
    `1-2/${BigInt(MAX) + 1n}`, // past Number.MAX_SAFE_INTEGER
    `${"0".repeat(100)}1-2/3`, // over the length bound
  ])("rejects the Content-Range %j", (value) => expect(parseContentRange(value)).toBeUndefined());

  it.each([
    ['<https://x/?p=2>; rel="next"', { next: 2 }],
    ["<https://x/?p=2>;rel=next", { next: 2 }],
    ['<https://x/?p=2> ; REL = "Next"', { next: 2 }],
    ['<https://x/?p=3>; rel="next last"', { next: 3, last: 3 }],
    ['<https://x/?p=3>; rel="alternate\tlast"', { last: 3 }],
    ['<https://x/>; rel="start", <https://x/?p=2>; rel="next"', { start: 1, next: 2 }],
    ['<?p=2&q=1>; rel="next"', { next: 2 }], // resolved against the base
    ['<https://x/?p=999999999>; rel="last"', { last: 999_999_999 }],
    ['<https://x/?p=2>; rel="next"; rel="prev"', { next: 2 }], // later rels are ignored
    ['<https://x/?p=2>; title="a, b; rel=last", <https://x/?p=5>; rel="last"', undefined],
    [
      '<https://x/?p=2>; rel="next"; title="a, b; rel=last", <https://x/?p=5>; rel=last',
      { next: 2, last: 5 },
    ],
    ['<https://x/?p=2>; title="say \\"hi\\", ok"; rel="next"', { next: 2 }],
    ['<https://x/?p=2>; rel="next"; title=""; hreflang=fr; x', { next: 2 }],
    [', <https://x/?p=2>; rel="next" ,, ', { next: 2 }], // empty list elements
    ['<https://x/other>; rel="alternate", <https://x/?p=2>; rel="next"', { next: 2 }],
  ])("reads the Link header %j", (value, pages) => {
    const links = parseLinkHeader(value, "https://x/");
    expect(links && Object.fromEntries(links)).toEqual(pages);
  });

  it.each([
    "",
    "garbage",
    "<https://x/?p=2>",
    '<https://x/?p=abc>; rel="next"',
    '<https://x/>; rel="next"',
    '<https://x/?p=2>; rel="next", junk',
    '<https://x/?p=2>; rel=""',
    "<https://x/?p=2>; rel",
    '<https://x/?p=2>; rel="next";',
    '<https://x/?p=2>; rel="next";; a',
    '<https://x/?p=2>; rel="next" junk',
    '<https://x/?p=2>; rel=next"x"',
    '<https://x/?p=2>; rel="next',
    '<https://x/?p=2>; rel="next\\',
    '<https://x/?p=2>; rel="ne\u0001xt"',
    "<https://x/?p=2>; rel=",
    "<https://x/?p=2>; =next",
    '<https://x/?p=2; rel="next"',
    'https://x/?p=2; rel="next"',
    '<https://x/?p=1\t2>; rel="next"', // the URL parser would drop the tab: page 12
    '<https://x/?p=0>; rel="next"',
    '<https://x/?p=1000000000>; rel="next"',
    '<https://x/?p=1.5>; rel="next"',
    '<https://x/?p=>; rel="next"',
    '<https://x/?p=2>; rel="alternate"', // no known rel at all
    `<https://x/?p=2>; rel="next"; title="${"x".repeat(8200)}"`, // over the length bound
  ])("rejects the Link header %j", (value) =>
    expect(parseLinkHeader(value, "https://x/")).toBeUndefined(),
  );

  // The old regular expression took ~2 s on the 13-fragment input and 4× longer per fragment. The
  // bound is generous: it only catches a super-linear blow-up, it is not a performance claim.
  it.each([
    ["; a ", 14],
    ["; a ", 2000],
    ["; a ", 5000],
    ['"; a "', 14],
    ['"; a "', 5000],
  ])("reads %j × %d after a link in linear time", (fragment, times) => {
    const value = `<https://x.hiboutik.com/api/customers/?p=2>${fragment.repeat(times)};`;
    const started = performance.now();
    expect(parseLinkHeader(value, "https://x/")).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(250);
  });

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
