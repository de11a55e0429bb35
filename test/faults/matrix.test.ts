// The fault matrix: every fault of the issue against every vendor's client and sandbox. Each cell
// asserts the vendor's policy (retried — idempotent methods only — or a typed error; nothing lost or
// yielded twice; bounded in time), the suite checks that no error holds a credential, and the
// outcomes are printed as a Markdown table at the end.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  InvalidResponseError,
  PaginationError,
  type PaginationFailure,
  QuotaExhaustedError,
  TransportError,
} from "../../src/core/errors.js";
import {
  DEFAULT_PAGE_SIZE as HIBOUTIK_PAGE_SIZE,
  type HiboutikSandbox,
} from "../../src/hiboutik/sandbox/index.js";
import { HIKE_MAX_PAGE_SIZE } from "../../src/hike/index.js";
import type { HikeSandbox } from "../../src/hike/sandbox/index.js";
import { hubrisePageInfo } from "../../src/hubrise/index.js";
import {
  type HubriseSandbox,
  PAGE_SIZE as HUBRISE_PAGE_SIZE,
} from "../../src/hubrise/sandbox/index.js";
import { errorLog } from "../support/error-log.js";
import { Matrix, settle, within } from "./bounded.js";
import {
  ALL_SECRETS,
  describeError,
  type Harness,
  type Method,
  type RequestFault,
  SO_PAGE_SIZE,
  startHarness,
  startHiboutik,
  startHike,
  startHubrise,
  startSubscriptionsOnly,
  type Vendor,
  VENDORS,
} from "./harness.js";

const ROWS = [
  "429 + Retry-After",
  "429 without Retry-After",
  "500",
  "502",
  "503",
  "504",
  "connection reset",
  "timeout (AbortSignal)",
  "HTML error page",
  "truncated JSON",
  "malformed paging data",
  "cursor/page cycle",
  "empty page that links onward",
] as const;
type Row = (typeof ROWS)[number];

/** Real-time bound of one cell: a client that hangs fails its cell instead of the suite. */
const CELL_BOUND_MS = 15_000;
/** Real-time bound of a call aborted by `AbortSignal.timeout(300)`. */
const ABORT_BOUND_MS = 5_000;

const errors = errorLog();
const { caught, drain } = errors;
const matrix = new Matrix<Row, Vendor>(ROWS, VENDORS);
let failedCells = 0;

// Every sandbox a cell starts is closed after it, even when the cell failed or hung.
const closers: (() => Promise<void>)[] = [];
async function open<T extends { harness: Harness }>(starting: Promise<T>): Promise<T> {
  const env = await starting;
  closers.push(() => env.harness.close());
  return env;
}
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function expectError<T>(err: unknown, type: abstract new (...args: never[]) => T): T {
  expect(err).toBeInstanceOf(type);
  return err as T;
}

function expectPagingError(err: unknown, reason: PaginationFailure): PaginationError {
  const e = expectError(err, PaginationError);
  expect(e.reason).toBe(reason);
  return e;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

// ---- request faults: an idempotent GET and a POST that must never be retried -------------------

/** Sends the write with `fault` injected; it must fail after exactly one send. */
async function failingWrite(h: Harness, fault: RequestFault): Promise<unknown> {
  const before = h.sends("POST");
  h.inject(fault);
  const err = await caught(h.write());
  expect(h.sends("POST")).toBe(before + 1);
  return err;
}

/** Sends the read with `fault` injected once; it must be retried once and succeed. */
async function retriedRead(h: Harness, fault: RequestFault): Promise<void> {
  const before = h.sends("GET");
  h.inject(fault);
  await h.read();
  expect(h.sends("GET")).toBe(before + 2);
}

async function tooManyRequests(h: Harness, retryAfter: string | undefined): Promise<string> {
  const fault: RequestFault = { kind: "status", status: 429, retryAfter };
  if (h.policy.quota429) {
    h.inject(fault);
    const get = expectError(await caught(h.read()), QuotaExhaustedError);
    expect(get.status).toBe(429);
    expect(get.attempts).toBe(1);
    h.policy.expect429(get);
    expect(h.sends("GET")).toBe(1);
    const post = expectError(await failingWrite(h, fault), QuotaExhaustedError);
    expect(post.attempts).toBe(1);
    h.policy.expect429(post);
    return "GET 1 send → QuotaExhaustedError 429 · POST 1 send → QuotaExhaustedError 429 (the monthly quota: never retried)";
  }
  const start = h.now();
  await retriedRead(h, fault);
  let waited: string;
  if (retryAfter !== undefined) {
    expect(h.now() - start).toBeGreaterThanOrEqual(Number(retryAfter) * 1000);
    waited = `waited Retry-After ${retryAfter} s`;
  } else {
    const policy = h.policy.without429RetryAfter!;
    expect(h.now()).toBeGreaterThanOrEqual(policy.earliestEnd(start));
    waited = policy.what;
  }
  const post = expectError(await failingWrite(h, fault), h.policy.apiError);
  expect(post.status).toBe(429);
  expect(post.attempts).toBe(1);
  h.policy.expect429(post);
  return `GET retried ×1 (${waited}) → ok · POST 1 send → ${describeError(post)}`;
}

async function serverError(h: Harness, status: number): Promise<string> {
  await retriedRead(h, { kind: "status", status });
  const post = expectError(await failingWrite(h, { kind: "status", status }), h.policy.apiError);
  expect(post.status).toBe(status);
  expect(post.attempts).toBe(1);
  return `GET retried ×1 → ok · POST 1 send → ${describeError(post)}`;
}

async function connectionReset(h: Harness): Promise<string> {
  await retriedRead(h, { kind: "reset" });
  const post = expectError(await failingWrite(h, { kind: "reset" }), TransportError);
  expect(post.attempts).toBe(1);
  return `GET retried ×1 → ok · POST 1 send → TransportError`;
}

/** The server holds the request; the caller's AbortSignal.timeout(300) must end it, unretried. */
async function timeout(h: Harness): Promise<string> {
  // Each call resolves to the error it ended with (recorded in the error log).
  const calls: [string, Method, (signal: AbortSignal) => Promise<unknown>][] = [
    ["GET", "GET", (signal) => caught(h.read(signal))],
    ["POST", "POST", (signal) => caught(h.write(signal))],
    [
      "paginate()",
      "GET",
      async (signal) => {
        const { items, error } = await drain(h.list(signal));
        expect(items).toEqual([]);
        return error;
      },
    ],
  ];
  for (const [what, method, call] of calls) {
    const before = h.sends(method);
    h.inject({ kind: "hang" });
    const started = performance.now();
    const err = await call(AbortSignal.timeout(300));
    expect(performance.now() - started, `${what} ended by the signal`).toBeLessThan(ABORT_BOUND_MS);
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe("TimeoutError");
    await settle(100); // nothing is sent after the abort
    expect(h.sends(method), `${what} sent once`).toBe(before + 1);
  }
  return "GET, POST, paginate(): TimeoutError at the signal (300 ms), 1 send each, not retried";
}

async function htmlPage(h: Harness): Promise<string> {
  await retriedRead(h, { kind: "html", status: 502 });
  const post = expectError(await failingWrite(h, { kind: "html", status: 502 }), ApiError);
  expect(post.status).toBe(502);
  expect(post.bodyText).toContain("502 Bad Gateway");
  expect(post.bodyText).toContain("[redacted]"); // the page echoed the credential header
  const before = h.sends("GET");
  h.inject({ kind: "html", status: 200 });
  expectError(await caught(h.read()), InvalidResponseError);
  expect(h.sends("GET")).toBe(before + 1);
  return (
    `502 page: GET retried ×1 → ok · POST 1 send → ${describeError(post)} (bodyText, credential redacted) · ` +
    "200 page: GET 1 send → InvalidResponseError"
  );
}

async function truncatedJson(h: Harness): Promise<string> {
  // A complete answer whose JSON stops short is the server's word: never sent again.
  const cases: [Method, RequestFault][] = [
    ["GET", { kind: "truncated-json" }],
    ["POST", { kind: "truncated-json" }],
    ["POST", { kind: "cut-body" }],
  ];
  for (const [method, fault] of cases) {
    const before = h.sends(method);
    h.inject(fault);
    const err = await caught(method === "GET" ? h.read() : h.write());
    expect(err, `${method} ${fault.kind}`).toBeInstanceOf(InvalidResponseError);
    expect(h.sends(method), `${method} ${fault.kind} sent once`).toBe(before + 1);
  }
  // A connection dropped mid-body is a transport failure: an idempotent read is sent again.
  await retriedRead(h, { kind: "cut-body" });
  return (
    "JSON cut short: GET & POST 1 send → InvalidResponseError · connection dropped mid-body: " +
    "GET retried ×1 → ok, POST 1 send → InvalidResponseError"
  );
}

const requestCells: Partial<Record<Row, (h: Harness) => Promise<string>>> = {
  "429 + Retry-After": (h) => tooManyRequests(h, "5"),
  "429 without Retry-After": (h) => tooManyRequests(h, undefined),
  "500": (h) => serverError(h, 500),
  "502": (h) => serverError(h, 502),
  "503": (h) => serverError(h, 503),
  "504": (h) => serverError(h, 504),
  "connection reset": connectionReset,
  "timeout (AbortSignal)": timeout,
  "HTML error page": htmlPage,
  "truncated JSON": truncatedJson,
};

// ---- paging faults: paginate() must stop with a typed error after exactly the right prefix ------
// The expected prefixes are the sandboxes' own records, in the order their lists give them, and
// the page sizes their paging constants (Hike's is the client's: `page_size` is required there).

type PagingRow = "malformed paging data" | "cursor/page cycle" | "empty page that links onward";

/** A fault on the list requests whose target matches `path` (every one: `times` Infinity). */
const onList = (path: RegExp, times = 1) => ({ on: { method: "GET", path }, times });
const withCursor = /[?&]cursor=/;
const pageParam = (p: number) => new RegExp(`[?&]p=${p}(&|$)`);
const skipCount = (n: number) => new RegExp(`[?&]skip_count=${n}(&|$)`);

/** The first `n` orders of the token's location: the first seeded positions, oldest first. */
const orderIds = (s: HubriseSandbox, n: number) => range(0, n).map((i) => s.state.ids.orders.at(i));
const customerIds = (s: HiboutikSandbox, n: number) =>
  s.state.customers.page(0, n).items.map((c) => c.customers_id);
const productIds = (s: HikeSandbox, n: number) =>
  s.state.products.page(0, n).items.map((p) => p.id);

const pagingCells: Record<Vendor, Record<PagingRow, () => Promise<string>>> = {
  HubRise: {
    async "malformed paging data"() {
      const { harness, sandbox, client } = await open(startHubrise());
      sandbox.inject({ kind: "paging-header", value: "abc, def", ...onList(withCursor) });
      const r = await drain(client.paginate("/location/orders"));
      expectPagingError(r.error, "malformed-header");
      expect(r.items.map((o) => o.id)).toEqual(orderIds(sandbox, 2 * HUBRISE_PAGE_SIZE));
      expect(harness.sends("GET")).toBe(2);
      return `PaginationError(malformed-header) after 200 items (X-Cursor-Next "abc, def" on page 2)`;
    },
    async "cursor/page cycle"() {
      const { harness, sandbox, client } = await open(startHubrise());
      // A server loop: page 2 (asked with page 1's cursor) points to that same cursor again.
      const first = await client.GET("/location/orders");
      const loop = hubrisePageInfo(first.response).nextCursor!;
      expect(loop).toBeTypeOf("string");
      sandbox.inject({ kind: "paging-header", value: loop, ...onList(withCursor, Infinity) });
      const before = harness.sends("GET");
      const r = await drain(client.paginate("/location/orders"));
      expectPagingError(r.error, "repeated-cursor");
      expect(r.items.map((o) => o.id)).toEqual(orderIds(sandbox, 2 * HUBRISE_PAGE_SIZE));
      expect(harness.sends("GET")).toBe(before + 2);
      return "PaginationError(repeated-cursor) after 200 items (page 2 points to its own cursor)";
    },
    async "empty page that links onward"() {
      const { harness, sandbox, client } = await open(startHubrise());
      sandbox.inject({ kind: "empty-page", ...onList(withCursor, 3) });
      const r = await drain(client.paginate("/location/orders"));
      expectPagingError(r.error, "too-many-empty-pages");
      expect(r.items.map((o) => o.id)).toEqual(orderIds(sandbox, HUBRISE_PAGE_SIZE));
      expect(harness.sends("GET")).toBe(4);
      return "PaginationError(too-many-empty-pages) after 100 items (3 empty pages with X-Cursor-Next)";
    },
  },
  Hiboutik: {
    async "malformed paging data"() {
      const { sandbox, client } = await open(startHiboutik());
      sandbox.inject({
        kind: "paging-header",
        header: "Content-Range",
        value: "garbage",
        ...onList(pageParam(3)),
      });
      const r1 = await drain(client.paginate("/customers/", {}, { concurrency: 4 }));
      expectPagingError(r1.error, "malformed-header");
      expect(r1.items.map((c) => c.customers_id)).toEqual(
        customerIds(sandbox, 2 * HIBOUTIK_PAGE_SIZE),
      );
      sandbox.inject({
        kind: "paging-header",
        header: "Link",
        value: "garbage; no url",
        ...onList(pageParam(2)),
      });
      const r2 = await drain(client.paginate("/customers/", {}, { concurrency: 4 }));
      expectPagingError(r2.error, "malformed-header");
      expect(r2.items.map((c) => c.customers_id)).toEqual(customerIds(sandbox, HIBOUTIK_PAGE_SIZE));
      return (
        'PaginationError(malformed-header) after 500 items (Content-Range "garbage" on page 3) · ' +
        "after 250 items (garbage Link on page 2)"
      );
    },
    async "cursor/page cycle"() {
      const { sandbox, client } = await open(startHiboutik());
      sandbox.inject({ kind: "paging-ignored", ...onList(/\/customers\//, Infinity) });
      const r = await drain(client.paginate("/customers/", {}, { concurrency: 4 }));
      expectPagingError(r.error, "page-not-advancing");
      expect(r.items.map((c) => c.customers_id)).toEqual(customerIds(sandbox, HIBOUTIK_PAGE_SIZE));
      return "PaginationError(page-not-advancing) after 250 items (server ignores p)";
    },
    async "empty page that links onward"() {
      const { sandbox, client } = await open(startHiboutik());
      const customers = sandbox.state.customers.page(0, HIBOUTIK_PAGE_SIZE).items;
      // Page 2 of 9 (2,102 customers) answers [] under Content-Range and Link saying there is more.
      expect(Math.ceil(sandbox.state.customers.size / HIBOUTIK_PAGE_SIZE)).toBe(9);
      sandbox.inject({ kind: "empty-page", ...onList(pageParam(2)) });
      const r = await drain(client.paginate("/customers/", {}, { concurrency: 4 }));
      expectPagingError(r.error, "empty-page-before-end");
      // A list row is the customer without its addresses (GET /customer/{id} adds them).
      expect(r.items).toEqual(customers.map(({ addresses: _, ...row }) => row));
      return "PaginationError(empty-page-before-end) after 250 items (page 2 of 9 empty)";
    },
  },
  "Subscriptions Only": {
    async "malformed paging data"() {
      // Nothing to corrupt: the client pages on `page`/`paginate` and stops at a short page.
      const { harness, sandbox, client } = await open(startSubscriptionsOnly());
      const all = [...sandbox.state.addOns.values()];
      expect(all).toHaveLength(37);
      const r = await drain(client.paginate("/add-ons", {}, { pageSize: SO_PAGE_SIZE }));
      expect(r.error).toBeUndefined();
      expect(r.items).toEqual(all);
      expect(harness.sends("GET")).toBe(3);
      return "n/a: SO lists carry no paging metadata (no total, link or header); paging stops at the first short page (checked: 37 add-ons in 3 pages)";
    },
    async "cursor/page cycle"() {
      const { harness, sandbox, client } = await open(startSubscriptionsOnly());
      const firstPage = sandbox.state.addOns.page(0, SO_PAGE_SIZE).items;
      sandbox.inject({ kind: "paging-ignored", ...onList(/\/add-ons/, Infinity) });
      const r = await drain(client.paginate("/add-ons", {}, { pageSize: SO_PAGE_SIZE }));
      expectPagingError(r.error, "page-not-advancing");
      expect(r.items).toEqual(firstPage);
      expect(harness.sends("GET")).toBe(2);
      return "PaginationError(page-not-advancing) after 15 items (page 2 repeats page 1)";
    },
    async "empty page that links onward"() {
      // SO has no links: an empty page is its documented end of a list, whatever came before.
      const { harness, sandbox, client } = await open(startSubscriptionsOnly());
      const firstPage = sandbox.state.addOns.page(0, SO_PAGE_SIZE).items;
      sandbox.inject({ kind: "empty-page", ...onList(/[?&]page=2(&|$)/) });
      const r = await drain(client.paginate("/add-ons", {}, { pageSize: SO_PAGE_SIZE }));
      expect(r.error).toBeUndefined();
      expect(r.items).toEqual(firstPage);
      expect(harness.sends("GET")).toBe(2);
      return "n/a: SO pages link nowhere and an empty page is the documented end of a list (checked: paging stops there, 15 items, no error)";
    },
  },
  Hike: {
    async "malformed paging data"() {
      const { sandbox, client } = await open(startHike());
      expect(sandbox.state.products.size).toBe(1234);
      sandbox.inject({
        kind: "paging-total",
        value: "1,234",
        ...onList(skipCount(HIKE_MAX_PAGE_SIZE)),
      });
      const r1 = await drain(client.paginate("/products/get_all"));
      expectPagingError(r1.error, "malformed-paging-data");
      expect(r1.items.map((p) => p.id)).toEqual(productIds(sandbox, HIKE_MAX_PAGE_SIZE));
      sandbox.inject({ kind: "paging-total", value: undefined, ...onList(skipCount(0)) });
      const r2 = await drain(client.paginate("/products/get_all"));
      expectPagingError(r2.error, "malformed-paging-data");
      expect(r2.items).toEqual([]);
      return (
        'PaginationError(malformed-paging-data) after 500 items (totalCount "1,234" on page 2) · ' +
        "after 0 items (totalCount missing on page 1)"
      );
    },
    async "cursor/page cycle"() {
      const { sandbox, client } = await open(startHike());
      sandbox.inject({ kind: "paging-ignored", ...onList(/\/products\/get_all/, Infinity) });
      const r = await drain(client.paginate("/products/get_all"));
      expectPagingError(r.error, "page-not-advancing");
      expect(r.items.map((p) => p.id)).toEqual(productIds(sandbox, HIKE_MAX_PAGE_SIZE));
      return "PaginationError(page-not-advancing) after 500 items (server ignores skip_count)";
    },
    async "empty page that links onward"() {
      const { sandbox, client } = await open(startHike());
      const products = sandbox.state.products.page(0, HIKE_MAX_PAGE_SIZE).items;
      sandbox.inject({ kind: "empty-page", ...onList(skipCount(HIKE_MAX_PAGE_SIZE)) });
      const r = await drain(client.paginate("/products/get_all"));
      expectPagingError(r.error, "empty-page-before-end");
      expect(r.items).toEqual(products);
      return "PaginationError(empty-page-before-end) after 500 items (items [] with totalCount 1234)";
    },
  },
};

async function runCell(row: Row, vendor: Vendor): Promise<string> {
  const request = requestCells[row];
  if (request) {
    const { harness } = await open(startHarness[vendor]());
    return request(harness);
  }
  return pagingCells[vendor][row as PagingRow]();
}

const CELLS = ROWS.flatMap((row) => VENDORS.map((vendor) => ({ row, vendor })));

describe("fault matrix", () => {
  it.each(CELLS)("$row × $vendor", async ({ row, vendor }) => {
    try {
      const outcome = await within(CELL_BOUND_MS, `${row} × ${vendor}`, () => runCell(row, vendor));
      matrix.set(row, vendor, outcome);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      matrix.set(row, vendor, `✗ FAILED: ${message.split("\n")[0]}`);
      failedCells++;
      throw err;
    }
  });

  afterAll(() => {
    console.log(
      `\nFault matrix (${VENDORS.length} vendors × ${ROWS.length} faults; HubRise, Hiboutik and Hike clients with throwOnError)\n\n${matrix.markdown()}\n`,
    );
    // Every error the matrix provoked, however it is printed, is free of every credential…
    errors.expectFreeOf(ALL_SECRETS, 1);
    // …and when every cell passed, that was all of them: 10 (429s) + 16 (5xx) + 4 (resets)
    // + 12 (timeouts) + 8 (HTML) + 12 (truncated) + 12 (paging).
    if (failedCells === 0) expect(errors.seen.length).toBe(74);
  });
});
