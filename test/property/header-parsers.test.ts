// Every parser of a response header, fed strings no server should send: none may throw anything
// but its typed error, and none may hang. Uniform random strings rarely reach the dangerous paths
// of a parser (a near miss after a long valid prefix), so targeted arbitraries build almost-valid
// headers: valid ones with random mutations, and fragments repeated thousands of times.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ErrorContext, PaginationError } from "../../src/core/errors.js";
import { parseRetryAfter } from "../../src/core/http/retry-after.js";
import { Secrets } from "../../src/core/redact.js";
import { parseContentRange, parseLinkHeader, type LinkRel } from "../../src/hiboutik/paging.js";
import { isInvalidToken } from "../../src/hike/oauth-session.js";
import { refusedHikeBucket } from "../../src/hike/rate-limits.js";
import { readCursorNext } from "../../src/hubrise/paging.js";

const MAX_LENGTH = 64 * 1024;
/** Runs of the properties over strings up to 64 KB; keeps the file within a few seconds. */
const LONG_RUNS = { numRuns: 200 };
const RUNS = { numRuns: 300 };
const BASE = "https://x.hiboutik.com/api/customers/";
const NOW = Date.parse("2026-11-23T10:00:00Z");
const DAY_MS = 24 * 60 * 60 * 1000;
const ctx: ErrorContext = { vendor: "HubRise", operation: "GET /x", secrets: new Secrets() };

/**
 * Runs one parse and fails when it takes 250 ms or more. The bound is generous on purpose: it only
 * catches exponential or quadratic blow-ups (seconds or minutes on these inputs); it is not a
 * performance claim.
 */
function timed<T>(parse: () => T): T {
  const started = performance.now();
  const result = parse();
  expect(performance.now() - started).toBeLessThan(250);
  return result;
}

// ---- Characters and strings -------------------------------------------------------------------

/** The characters the grammars turn on, and some of the letters and digits they expect. */
const SYNTAX = [..."<>;,=\"\\ \t-/:?&*'"];
const WORD = [..."aelnprtxGMTSunNov0129_"];
/** Any code point, lone surrogates included: a pure parser may be called with any string. */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
/** What a Headers object holds: bytes, without NUL, CR and LF. */
const headerByte = fc
  .integer({ min: 1, max: 0xff })
  .filter((c) => c !== 0x0a && c !== 0x0d)
  .map((c) => String.fromCharCode(c));

const unitOf = (other: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...SYNTAX) },
    { weight: 3, arbitrary: fc.constantFrom(...WORD) },
    { weight: 1, arbitrary: other },
  );
const anyUnit = unitOf(anyCodePoint);
const headerUnit = unitOf(headerByte);

/**
 * Strings up to 64 KB: short and medium random ones (around the parsers' length bounds), and random
 * chunks tiled up to 64 KB (64 KB of random units per run would take seconds to generate).
 */
const upTo64KB = (unit: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.string({ unit, maxLength: 128, size: "max" }),
    fc.string({ unit, maxLength: 10_000, size: "max" }),
    fc
      .tuple(fc.string({ unit, minLength: 1, maxLength: 4096, size: "max" }), fc.nat({ max: 64 }))
      .map(([chunk, times]) =>
        chunk.repeat(Math.ceil(MAX_LENGTH / chunk.length)).slice(0, times * 1024),
      ),
  );

/** A few, hundreds or thousands of times: long runs are where backtracking explodes. */
const times = fc.oneof(
  fc.integer({ min: 1, max: 3 }),
  fc.integer({ min: 1, max: 300 }),
  fc.integer({ min: 1, max: 20_000 }),
);

interface NearMissShape {
  valid: fc.Arbitrary<string>;
  /** Pieces a parser could read in several ways (white space on both sides of a separator, say). */
  fragments: string[];
  /** Endings that make the value fail late, after a long run was read. */
  endings: string[];
  unit: fc.Arbitrary<string>;
}

/**
 * Almost-valid values: a valid value followed by one fragment repeated up to thousands of times and
 * an ending that breaks it (the shape of the Link ReDoS), or a valid value with a few edits (a
 * fragment inserted or a piece of the value repeated, a cut).
 */
function nearMisses({ valid, fragments, endings, unit }: NearMissShape): fc.Arbitrary<string> {
  const fragment = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...fragments) },
    { weight: 1, arbitrary: fc.string({ unit, minLength: 1, maxLength: 8 }) },
  );
  const ending = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...endings) },
    { weight: 1, arbitrary: fc.string({ unit, maxLength: 4 }) },
  );
  const start = fc.oneof(valid, fc.constant(""));
  const run = fc
    .tuple(start, fragment, times, ending)
    .map(([prefix, piece, n, end]) => (prefix + piece.repeat(n) + end).slice(0, MAX_LENGTH));

  const splice = (text: string, at: number, cut: number, insert: string) => {
    const i = at % (text.length + 1);
    return (text.slice(0, i) + insert + text.slice(i + cut)).slice(0, MAX_LENGTH);
  };
  const edit = fc.oneof(
    fc.tuple(fc.nat(), fragment, times).map(([at, piece, n]) => {
      return (text: string) => splice(text, at, 0, piece.repeat(n));
    }),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 }), times).map(([at, length, n]) => {
      return (text: string) => {
        const i = at % (text.length + 1);
        return splice(text, i, 0, text.slice(i, i + length).repeat(n));
      };
    }),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6 })).map(([at, cut]) => {
      return (text: string) => splice(text, at, cut, "");
    }),
  );
  const edited = fc
    .tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 }), ending)
    .map(([text, edits, end]) =>
      (edits.reduce((t, apply) => apply(t), text) + end).slice(0, MAX_LENGTH),
    );

  return fc.oneof(run, edited);
}

// ---- Valid values -----------------------------------------------------------------------------

const RELS: LinkRel[] = ["start", "prev", "current", "next", "last"];
const isToken = (text: string) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(text);

interface GeneratedLink {
  rels: string[];
  page: number;
  url: string;
  quoteRel: boolean;
  extra: string;
  separator: string;
}

const generatedLink: fc.Arbitrary<GeneratedLink> = fc.record({
  rels: fc.uniqueArray(fc.constantFrom<string>(...RELS, "alternate", "http://example.com/rel"), {
    minLength: 1,
    maxLength: 3,
  }),
  page: fc.integer({ min: 1, max: 999_999_999 }),
  url: fc.constantFrom(`${BASE}?p=`, `${BASE}?a=1&p=`, "?p=", "/api/customers/?q=x%2Cy&p="),
  quoteRel: fc.boolean(),
  extra: fc.constantFrom(
    "",
    '; title="a, b; rel=last"',
    "; hreflang=fr",
    '; title="say \\"hi\\""',
    "; x",
    ' ;\tanchor="#"',
  ),
  separator: fc.constantFrom(", ", ",", ",\t", " , ", ", , "),
});

function linkHeader(links: GeneratedLink[]): string {
  return links
    .map((link, k) => {
      const rel = link.rels.join(" ");
      const quoted = link.quoteRel || !isToken(rel) ? `"${rel}"` : rel;
      return `${k > 0 ? link.separator : ""}<${link.url}${link.page}>; rel=${quoted}${link.extra}`;
    })
    .join("");
}

const validLinkHeader = fc.array(generatedLink, { minLength: 1, maxLength: 8 }).map(linkHeader);
const validContentRange = fc
  .array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { minLength: 3, maxLength: 3 })
  .map((numbers) => [...numbers].sort((a, b) => a - b))
  .map(([first, last, total]) => `${first}-${last}/${total}`);

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** The three HTTP-date forms of RFC 9110 §5.6.7. */
function httpDates(date: Date): string[] {
  const day = DAYS[date.getUTCDay()]!;
  const month = MONTHS[date.getUTCMonth()]!;
  const d = date.getUTCDate();
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  const year = date.getUTCFullYear();
  return [
    `${day}, ${two(d)} ${month} ${year} ${time} GMT`,
    `${LONG_DAYS[date.getUTCDay()]}, ${two(d)}-${month}-${two(year % 100)} ${time} GMT`,
    `${day} ${month} ${String(d).padStart(2, " ")} ${time} ${year}`,
  ];
}

const nearDate = fc
  .integer({ min: -2 * 86_400, max: 2 * 86_400 })
  .map((seconds) => new Date(NOW + seconds * 1000));
const validRetryAfter = fc.oneof(
  fc.nat({ max: 200_000 }).map(String),
  fc.tuple(nearDate, fc.nat({ max: 2 })).map(([date, form]) => httpDates(date)[form]!),
);

// ---- The parsers ------------------------------------------------------------------------------

const pureParsers: Record<string, (value: string) => unknown> = {
  parseLinkHeader: (value) => parseLinkHeader(value, BASE),
  parseContentRange,
  parseRetryAfter: (value) => parseRetryAfter(value, NOW),
};

/** Header-reading parsers: the header they read, the status that makes them read it. */
const responseParsers: Record<
  string,
  { header: string; status: number; parse: (r: Response) => unknown }
> = {
  readCursorNext: {
    header: "X-Cursor-Next",
    status: 200,
    parse: (response) => {
      try {
        return readCursorNext(response, ctx);
      } catch (err) {
        if (err instanceof PaginationError) return err; // its typed error for a malformed header
        throw err;
      }
    },
  },
  refusedHikeBucket: { header: "X-Rate-Limit-Problem", status: 429, parse: refusedHikeBucket },
  isInvalidToken: { header: "WWW-Authenticate", status: 401, parse: isInvalidToken },
};

/** A Headers object refuses some values (NUL, CR, LF, characters above 0xFF): those are skipped. */
function responseWith(header: string, value: string, status: number): Response | undefined {
  try {
    return new Response(null, { status, headers: { [header]: value } });
  } catch {
    return undefined;
  }
}
const acceptedBy = (header: string) => (value: string) =>
  responseWith(header, value, 200) !== undefined;

/** Almost-valid inputs for each parser. */
const nearMissesFor: Record<string, fc.Arbitrary<string>> = {
  parseLinkHeader: nearMisses({
    valid: validLinkHeader,
    fragments: ["; a ", " ; a", '"; a "', ";a=b ", '"', "<", "\\", ", "],
    endings: [";", ";,", '"', "\\", "<"],
    unit: anyUnit,
  }),
  parseContentRange: nearMisses({
    valid: validContentRange,
    fragments: ["9", "0", " ", "1-", "-", "/", "1-2/3"],
    endings: ["", "-", "/", " x", "\u0000"],
    unit: anyUnit,
  }),
  parseRetryAfter: nearMisses({
    valid: validRetryAfter,
    fragments: ["9", " ", "Sun, ", "06 ", ":00", "0"],
    endings: ["", " GMT", "x", " 1994"],
    unit: anyUnit,
  }),
  readCursorNext: nearMisses({
    valid: fc.string({ unit: fc.constantFrom(..."abc09-_=~!"), minLength: 1, maxLength: 64 }),
    fragments: ["a", "9", ",", " ", "~", "-_"],
    endings: ["", ",", " x", "\t", "é"],
    unit: headerUnit,
  }),
  refusedHikeBucket: nearMisses({
    valid: fc.constantFrom("Minute", "Daily", " minute ", "DAILY"),
    fragments: ["minute", " ", "Daily", "\t"],
    endings: ["", " ", "x"],
    unit: headerUnit,
  }),
  isInvalidToken: nearMisses({
    valid: fc.constantFrom(
      'Bearer error="invalid_token"',
      'Bearer realm="hike", error="invalid_token"',
    ),
    fragments: ["invalid_toke", "invalid_token", '"', ", ", "a"],
    endings: ["", "n", '"', 'x"'],
    unit: headerUnit,
  }),
};

// ---- Properties -------------------------------------------------------------------------------

describe.each(Object.entries(pureParsers))("%s", (name, parse) => {
  it("never throws nor hangs on any string up to 64 KB", () => {
    fc.assert(
      fc.property(upTo64KB(anyUnit), (value) => void timed(() => parse(value))),
      LONG_RUNS,
    );
  });

  it("never throws nor hangs on almost-valid values", () => {
    fc.assert(
      fc.property(nearMissesFor[name]!, (value) => void timed(() => parse(value))),
      RUNS,
    );
  });
});

describe.each(Object.entries(responseParsers))("%s", (name, { header, status, parse }) => {
  it("throws only its typed error, and never hangs, on any header value up to 64 KB", () => {
    fc.assert(
      fc.property(upTo64KB(headerUnit).filter(acceptedBy(header)), (value) => {
        const response = responseWith(header, value, status)!;
        timed(() => parse(response));
      }),
      LONG_RUNS,
    );
  });

  it("throws only its typed error, and never hangs, on almost-valid values", () => {
    fc.assert(
      fc.property(nearMissesFor[name]!.filter(acceptedBy(header)), (value) => {
        const response = responseWith(header, value, status)!;
        timed(() => parse(response));
      }),
      RUNS,
    );
  });
});

describe("round trips", () => {
  it("a Link header built from valid links reads back to their page numbers", () => {
    fc.assert(
      fc.property(fc.array(generatedLink, { minLength: 1, maxLength: 8 }), (links) => {
        const expected = new Map<string, number>();
        for (const link of links)
          for (const rel of link.rels)
            if (RELS.includes(rel as LinkRel)) expected.set(rel, link.page);
        const pages = parseLinkHeader(linkHeader(links), BASE);
        expect(pages && Object.fromEntries(pages)).toEqual(
          expected.size > 0 ? Object.fromEntries(expected) : undefined,
        );
      }),
      RUNS,
    );
  });

  it("a Content-Range built from three ordered safe integers reads back to them", () => {
    fc.assert(
      fc.property(validContentRange, (value) => {
        const [first, last, total] = value.split(/[-/]/).map(Number);
        expect(parseContentRange(value)).toEqual({ first, last, total });
      }),
      RUNS,
    );
  });

  it("each HTTP-date form of a date near now reads back to the wait until it", () => {
    fc.assert(
      fc.property(nearDate, (date) => {
        const wait = Math.min(Math.max(0, date.getTime() - NOW), DAY_MS); // past: 0; capped at a day
        for (const form of httpDates(date)) expect(parseRetryAfter(form, NOW)).toBe(wait);
      }),
      RUNS,
    );
  });
});
