// The form decoder, fed what no vendor should send: arbitrary strings up to 64 KB, near-valid
// bracket names repeated thousands of times, huge indices, deep nesting. It may only return plain
// data (objects, arrays, strings) within its limits or throw a WebhookError; it never hangs, never
// sizes an array by an index, never touches a prototype. And what PHP's http_build_query writes, it
// reads back exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WebhookError } from "../../src/core/errors.js";
import {
  type HiboutikFormOptions,
  type HiboutikFormValue,
  parseHiboutikForm,
} from "../../src/hiboutik/index.js";
import { phpForm } from "./support/description.js";

const MAX_LENGTH = 64 * 1024;
const LONG_RUNS = { numRuns: 150 };
const RUNS = { numRuns: 400 };

/** One decode, failing when it takes 250 ms or more (a blow-up, not a performance claim). */
function timed<T>(run: () => T): T {
  const started = performance.now();
  const result = run();
  expect(performance.now() - started).toBeLessThan(250);
  return result;
}

/** Decodes, or returns the WebhookError; any other throw fails the property. */
function decode(body: string, options?: HiboutikFormOptions) {
  try {
    return { value: timed(() => parseHiboutikForm(body, options)) };
  } catch (error) {
    if (!(error instanceof WebhookError)) throw error;
    expect([400, 413]).toContain(error.status);
    return { error };
  }
}

const SYNTAX = [..."[]&=%+?#;"];
const WORD = [..."ax_0129"];
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
const unit = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...SYNTAX) },
  { weight: 4, arbitrary: fc.constantFrom(...WORD) },
  { weight: 1, arbitrary: anyCodePoint },
);

/** Random strings, and random chunks tiled up to 64 KB. */
const hostile = fc.oneof(
  fc.string({ unit, maxLength: 200, size: "max" }),
  fc.string({ unit, maxLength: 10_000, size: "max" }),
  fc
    .tuple(fc.string({ unit, minLength: 1, maxLength: 2048, size: "max" }), fc.nat({ max: 64 }))
    .map(([chunk, kb]) => chunk.repeat(Math.ceil(MAX_LENGTH / chunk.length)).slice(0, kb * 1024)),
);

/** Near-valid bracket names repeated: `a[0][`, `x[999999999]=1&`, `a[]=&`, `[[[`, … */
const FRAGMENTS = [
  "a[",
  "a[0]",
  "[0]",
  "[]",
  "[x]",
  "]",
  "[",
  "=",
  "&",
  "x[999999999]=1&",
  "x[]=&",
  "__proto__[a]=1&",
  "%5B",
  "%5D",
  "line_items[0][stock_available][0][warehouse_id]=1&",
];
const repeated = fc
  .tuple(
    fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 }),
    fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 5_000 })),
  )
  .map(([parts, times]) => parts.join("").repeat(times).slice(0, MAX_LENGTH));

function depthOf(value: HiboutikFormValue): number {
  if (typeof value === "string") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

function checkPlain(value: HiboutikFormValue): void {
  if (typeof value === "string") return;
  if (Array.isArray(value)) {
    expect(Object.getPrototypeOf(value)).toBe(Array.prototype);
    value.forEach((item, i) => {
      expect(i in value).toBe(true); // never a sparse array
      checkPlain(item);
    });
    return;
  }
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  for (const key of Object.keys(value)) checkPlain(value[key]!);
}

describe("parseHiboutikForm on hostile input", () => {
  it("returns plain data within its limits or throws a WebhookError, never hangs", () => {
    fc.assert(
      fc.property(fc.oneof(hostile, repeated), (body) => {
        const { value } = decode(body);
        if (value === undefined) return;
        for (const field of Object.values(value)) {
          checkPlain(field);
          expect(depthOf(field)).toBeLessThanOrEqual(8);
        }
        expect(({} as Record<string, unknown>).a).toBeUndefined();
      }),
      LONG_RUNS,
    );
  });

  it("holds any limits it is given", () => {
    fc.assert(
      fc.property(
        fc.oneof(hostile, repeated),
        fc.record({
          maxBytes: fc.integer({ min: 1, max: MAX_LENGTH }),
          maxDepth: fc.integer({ min: 1, max: 4 }),
          maxFields: fc.integer({ min: 1, max: 500 }),
        }),
        (body, limits) => {
          const { value, error } = decode(body, limits);
          if (error) return;
          expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(limits.maxBytes);
          expect(
            [...new URLSearchParams(body.startsWith("?") ? `&${body}` : body)].length,
          ).toBeLessThanOrEqual(limits.maxFields);
          for (const field of Object.values(value!)) {
            expect(depthOf(field)).toBeLessThanOrEqual(limits.maxDepth);
          }
        },
      ),
      RUNS,
    );
  });

  it("sizes no array by an index: a list never has more items than the form has fields", () => {
    const index = fc.oneof(fc.nat({ max: 20 }), fc.integer({ min: 0, max: 999_999_999 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(index, { minLength: 1, maxLength: 3 }), fc.string()), {
          minLength: 1,
          maxLength: 300,
        }),
        (fields) => {
          const body = fields
            .map(([path, v]) => `x${path.map((i) => `[${i}]`).join("")}=${encodeURIComponent(v)}`)
            .join("&");
          const { value } = decode(body);
          const count = (node: HiboutikFormValue): number =>
            typeof node === "string"
              ? 1
              : (Array.isArray(node) ? node : Object.values(node)).reduce<number>(
                  (sum, child) => sum + count(child),
                  0,
                );
          const longest = (node: HiboutikFormValue): number =>
            typeof node === "string"
              ? 0
              : Math.max(
                  Array.isArray(node) ? node.length : 0,
                  ...(Array.isArray(node) ? node : Object.values(node)).map(longest),
                );
          expect(longest(value!.x!)).toBeLessThanOrEqual(fields.length);
          expect(count(value!.x!)).toBeLessThanOrEqual(fields.length);
        },
      ),
      RUNS,
    );
  });
});

describe("parseHiboutikForm on what PHP writes", () => {
  /** Names PHP writes as they are: neither an index nor holding brackets. */
  const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/);
  /** Well-formed text (a lone surrogate has no UTF-8 form, so no form carries it). */
  const scalar = anyCodePoint.filter((c) => !/[\ud800-\udfff]/.test(c));
  const text = fc.string({
    unit: fc.oneof(fc.constantFrom(..."&=+%[] ?#"), scalar),
    maxLength: 20,
  });
  const { value: nested } = fc.letrec<{ value: HiboutikFormValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      text,
      fc.array(tie("value"), { minLength: 1, maxLength: 4 }),
      fc.dictionary(name, tie("value"), { minKeys: 1, maxKeys: 4 }),
    ),
  }));
  const fields = fc
    .dictionary(name, nested, { maxKeys: 8 })
    .filter((f) => Object.values(f).every((v) => depthOf(v) <= 8));

  it("reads back exactly what http_build_query writes", () => {
    fc.assert(
      fc.property(fields, (value) => {
        expect(parseHiboutikForm(phpForm(value))).toEqual(value);
      }),
      RUNS,
    );
  });
});

describe("parseHiboutikForm at its default limits", () => {
  /** `count` fields made by `field(i)`, joined. */
  const form = (count: number, field: (i: number) => string) =>
    Array.from({ length: count }, (_, i) => field(i)).join("&");
  const worst: [string, string][] = [
    ["20,000 chains 8 deep", form(20_000, (i) => `a[${i.toString(36)}][0][0][0][0][0][0][0]=`)],
    ["20,000 appends", form(20_000, () => "x[]=1")],
    ["20,000 indices in descending order", form(20_000, (i) => `x[${999_999_999 - i}]=1`)],
    ["20,000 keys in one object", form(20_000, (i) => `x[k${i}]=1`)],
    ["20,000 top-level fields", form(20_000, (i) => `f${i}=v`)],
    ["one 1 MiB value", `x=${"a".repeat(1024 * 1024 - 2)}`],
    ["a name of 1 MiB of brackets", `a${"[".repeat(1024 * 1024 - 3)}=1`],
    ["1 MiB of separators", "&".repeat(1024 * 1024)],
  ];

  it.each(worst)("%s: decoded in bounded time", (_, body) => {
    const started = performance.now();
    parseHiboutikForm(body);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("refuses the next field, the next byte and the next level", () => {
    expect(() => parseHiboutikForm(form(20_001, () => "x[]=1"))).toThrow(/maxFields/);
    expect(() => parseHiboutikForm(`x=${"a".repeat(1024 * 1024 - 1)}`)).toThrow(/maxBytes/);
    expect(() => parseHiboutikForm(`a${"[]".repeat(9)}=1`)).toThrow(/maxDepth/);
  });
});
