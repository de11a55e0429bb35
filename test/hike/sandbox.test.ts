// The Hike sandbox as an integrator uses it: through the real client (createHikeClient, its
// paging, its token refresh, hikeOAuth) and over raw HTTP, with every answer checked against the
// description (`validate: true`; the violations are asserted empty after each test).
import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  collect,
  createHikeClient,
  type HikeClientOptions,
  hikeOAuth,
  PaginationError,
  TokenRefreshError,
} from "../../src/hike/index.js";
import {
  type HikeRecord,
  type HikeSandbox,
  type HikeSandboxOptions,
  RATE_LIMIT_TEXT,
  startHikeSandbox,
} from "../../src/hike/sandbox/index.js";
import { handlers } from "../../src/hike/sandbox/handlers.js";
import { loadDescription } from "../../src/sandbox/description.js";
import { ManualClock } from "../support/manual-clock.js";
import { errorLog } from "../support/error-log.js";

const errors = errorLog();
const { caught } = errors;
let sandbox: HikeSandbox | undefined;

afterEach(async () => {
  const closing = sandbox;
  sandbox = undefined;
  await closing?.close();
  expect(closing?.violations ?? []).toEqual([]);
});

async function start(options: HikeSandboxOptions = {}, clientOptions: HikeClientOptions = {}) {
  sandbox = await startHikeSandbox({ validate: true, ...options });
  const client = createHikeClient(
    { ...sandbox.credentials },
    {
      baseUrl: sandbox.url,
      tokenUrl: sandbox.tokenUrl,
      retry: false,
      limits: false,
      ...clientOptions,
    },
  );
  return { sandbox, client };
}

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown> | undefined;
}

/** A raw request with the sandbox's access token (or `authorization` as given; null: none). */
async function raw(
  path: string,
  init: RequestInit & { authorization?: string | null } = {},
): Promise<RawAnswer> {
  const s = sandbox!;
  const headers = new Headers(init.headers);
  if (init.authorization !== null) {
    headers.set("authorization", init.authorization ?? `Bearer ${s.credentials.accessToken}`);
  }
  const response = await fetch(path.startsWith("http") ? path : `${s.url}${path}`, {
    ...init,
    headers,
  });
  const text = await response.text();
  const json = response.headers.get("content-type")?.startsWith("application/json");
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: json ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const idsOf = (records: Iterable<object>) => [...records].map((r) => (r as { id?: unknown }).id);

describe("Hike sandbox", () => {
  it("has a handler for every operation of the description, and nothing else", () => {
    const ids = loadDescription("hike").operations.map((op) => op.operationId);
    expect(ids).toHaveLength(20);
    expect(Object.keys(handlers).sort()).toEqual([...ids].sort());
  });

  it("refuses missing, malformed and unknown tokens with Hike's 401, never repeating them", async () => {
    await start();
    const none = await raw("/products/get_all?page_size=1", { authorization: null });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(none.body).toEqual({ message: expect.stringMatching(/No access token/) });

    const basic = await raw("/products/get_all?page_size=1", { authorization: "Basic eDp5" });
    expect(basic.status).toBe(401);

    const wrong = "canary-not-a-hike-token-71c3";
    const refused = await raw("/products/get/1", { authorization: `Bearer ${wrong}` });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer, error="invalid_token"/);
    expect(refused.text).not.toContain(wrong);
    // Through the client: a fixed token without the means to refresh it is a TokenRefreshError.
    const client = createHikeClient(
      { accessToken: wrong },
      { baseUrl: sandbox!.url, limits: false, retry: false, throwOnError: true },
    );
    const err = await caught(client.GET("/products/get/{id}", { params: { path: { id: 1 } } }));
    expect(err).toBeInstanceOf(TokenRefreshError);
    expect(String(err)).not.toContain(wrong);
  });

  it("expires access tokens on demand and by time; the client refreshes once through /oauth/token", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5));
    const { client, sandbox } = await start({ clock }, { clock, throwOnError: true });
    const first = await client.GET("/products/get/{id}", { params: { path: { id: 3 } } });
    expect(first.data!.id).toBe(3);

    sandbox.expireAccessTokens();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((id) => client.GET("/products/get/{id}", { params: { path: { id } } })),
    );
    expect(results.map((r) => r.data!.id)).toEqual([1, 2, 3, 4, 5]);
    expect(sandbox.oauth.stats.refreshes).toBe(1);
    expect(sandbox.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
    // The fixed refresh token was used up by that refresh, as an issued one is.
    const reuse = await raw(sandbox.tokenUrl, {
      method: "POST",
      authorization: null,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: sandbox.credentials.refreshToken,
        client_id: sandbox.credentials.clientId,
        client_secret: sandbox.credentials.clientSecret,
      }).toString(),
    });
    expect(reuse).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // What the client sent is what the OAuth server's log shows.
    expect(Object.fromEntries(sandbox.oauth.bodies[0]!)).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: sandbox.credentials.refreshToken,
    });

    // A day later (the default lifetime) the refreshed token has expired too: one more refresh.
    await clock.advance(86_400_000);
    const later = await client.GET("/products/get/{id}", { params: { path: { id: 9 } } });
    expect(later.data!.id).toBe(9);
    expect(sandbox.oauth.stats.refreshes).toBe(2);
  });

  it("pages every product once through the client's paging, at 500 and at 97 a page", async () => {
    const { client, sandbox } = await start();
    const expected = idsOf(sandbox.state.products.values());
    expect(expected).toHaveLength(1_234);
    const products = await collect(client.paginate("/products/get_all"), { limit: 5_000 });
    expect(idsOf(products)).toEqual(expected);
    expect(sandbox.requests.map((r) => r.target)).toEqual([
      "/api/v1/products/get_all?page_size=500&skip_count=0",
      "/api/v1/products/get_all?page_size=500&skip_count=500",
      "/api/v1/products/get_all?page_size=500&skip_count=1000",
    ]);
    const small = await collect(
      client.paginate("/products/get_all", {}, { pageSize: 97, concurrency: 4 }),
      { limit: 5_000 },
    );
    expect(idsOf(small)).toEqual(expected);
    expect(new Set(idsOf(small)).size).toBe(1_234);
    expect(sandbox.requests).toHaveLength(3 + Math.ceil(1_234 / 97));

    // Every list pages the same way.
    const customers = await collect(client.paginate("/customers/get_all", {}, { pageSize: 7 }), {
      limit: 1_000,
    });
    expect(idsOf(customers)).toEqual(idsOf(sandbox.state.customers.values()));
  });

  it("pages a large filtered list with deletions once per scan, not once per page", async () => {
    const { client, sandbox } = await start({ size: { products: 50_000 }, limits: false });
    await client.DELETE("/products/delete/{id}", { params: { path: { id: 7 } } });
    const started = performance.now();
    const products = await collect(
      client.paginate("/products/get_all", { params: { query: { Filter: "-" } } }),
      { limit: 100_000 },
    );
    // A generous bound (a few seconds are expected): it catches a scan per page, which takes
    // about ten times longer here, not a slow machine.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(products).toHaveLength(49_999);
    expect(new Set(idsOf(products)).size).toBe(49_999);
    expect(sandbox.requests).toHaveLength(1 + 100);
  });

  it("links the next page in `next` until the last, and reads Skip_count as skip_count", async () => {
    await start({ size: { products: 25 } });
    let path: string | undefined = "/api/v1/products/get_all?page_size=10&Filter=-";
    const seen: unknown[] = [];
    const origin = sandbox!.origin;
    while (path !== undefined) {
      const page = await raw(origin + path);
      expect(page.status).toBe(200);
      expect(page.body!.totalCount).toBe(25);
      seen.push(...idsOf(page.body!.items as HikeRecord[]));
      path = page.body!.next as string | undefined;
      if (path === undefined) break;
      expect(path).toMatch(/^\/api\/v1\/products\/get_all\?page_size=10&Filter=-&skip_count=\d+$/);
      // The documentation's own spelling, which Hike's backend reads case-insensitively.
      path = path.replace("skip_count", "Skip_count");
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Past the end: no items, no next.
    const past = await raw("/products/get_all?page_size=10&skip_count=30");
    expect(past.body).toEqual({ totalCount: 25, items: [] });
  });

  it("filters as the description documents: Filter, invoice and closure ranges, Sorting, active outlets", async () => {
    const { client, sandbox } = await start();
    const all = [...sandbox.state.products.values()];
    const redMugs = all.filter((p) => String(p.sku).startsWith("MUG-RED-"));
    expect(redMugs.length).toBeGreaterThan(0);
    const found = await collect(
      client.paginate("/products/get_all", { params: { query: { Filter: "mug-red" } } }),
      { limit: 5_000 },
    );
    expect(idsOf(found)).toEqual(idsOf(redMugs));
    // The README's example: `Filter: "TSHIRT"` finds the T-shirts (SKUs `TSHIRT-RED-M-00001`).
    const tshirts = await collect(
      client.paginate("/products/get_all", { params: { query: { Filter: "TSHIRT" } } }),
      { limit: 5_000 },
    );
    expect(tshirts.length).toBeGreaterThan(0);
    expect(idsOf(tshirts)).toEqual(idsOf(all.filter((p) => String(p.sku).startsWith("TSHIRT-"))));
    const barcode = String(all.find((p) => typeof p.barcode === "string")!.barcode);
    const byBarcode = await collect(
      client.paginate("/products/get_all", { params: { query: { Filter: barcode } } }),
      { limit: 100 },
    );
    expect(byBarcode.every((p) => p.barcode === barcode || String(p.sku).includes(barcode))).toBe(
      true,
    );
    expect(byBarcode.length).toBeGreaterThanOrEqual(1);

    const sales = [...sandbox.state.sales.values()];
    const from = String(sales[100]!.transactionDate);
    const to = String(sales[199]!.transactionDate);
    const inRange = await collect(
      client.paginate("/sales/get_all", {
        params: { query: { invoice_range_from: from, invoice_range_to: to } },
      }),
      { limit: 1_000 },
    );
    expect(idsOf(inRange)).toEqual(idsOf(sales.slice(100, 200)));

    const byAmount = await collect(
      client.paginate(
        "/sales/get_all",
        { params: { query: { Sorting: "netAmount desc" } } },
        { pageSize: 50 },
      ),
      { limit: 1_000 },
    );
    const amounts = byAmount.map((s) => s.netAmount!);
    expect(amounts).toHaveLength(sales.length);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    const byDate = await collect(
      client.paginate("/sales/get_all", { params: { query: { Sorting: "transactionDate" } } }),
      { limit: 1_000 },
    );
    expect(idsOf(byDate)).toEqual(idsOf(sales));

    const closures = [...sandbox.state.registerClosures.values()];
    const [opens, closes] = ["2025-03-05T00:00:00.000Z", "2025-03-06T23:59:59.999Z"];
    const days = await collect(
      client.paginate("/registerClosures/get_all", {
        params: { query: { closure_range_from: opens, closure_range_to: closes } },
      }),
      { limit: 100 },
    );
    const closed = closures.filter(
      (c) => String(c.closure_date) >= opens && String(c.closure_date) <= closes,
    );
    expect(closed.length).toBeGreaterThan(0);
    expect(idsOf(days)).toEqual(idsOf(closed));

    const active = await collect(client.paginate("/outlets/get_all_active"), { limit: 100 });
    const outlets = await collect(client.paginate("/outlets/get_all"), { limit: 100 });
    expect(active.length).toBe(outlets.filter((o) => o.isActive === true).length);
    expect(active.length).toBeLessThan(outlets.length);
  });

  it("keeps writes: created, updated and deleted products and sales are what later reads see", async () => {
    const clock = new ManualClock(Date.UTC(2026, 1, 3, 4, 5, 6));
    const { client, sandbox } = await start({ clock }, { clock, throwOnError: true });
    const created = await client.POST("/products/create", {
      body: { name: "Linen apron", sku: "APR-NAT-1", bran_name: "Acme", isActive: true },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({
      id: 1_235,
      name: "Linen apron",
      created_date_time: "2026-02-03T04:05:06.000Z",
    });
    const read = await client.GET("/products/get/{id}", { params: { path: { id: 1_235 } } });
    expect(read.data).toEqual(created.data);
    const bySku = await client.GET("/products/by_sku", { params: { query: { sku: "apr-nat-1" } } });
    expect(bySku.data!.id).toBe(1_235);

    await clock.advance(60_000);
    const updated = await client.POST("/products/create", {
      body: { id: "1235", name: "Linen apron (long)" },
    });
    expect(updated.response.status).toBe(202);
    const listed = await collect(client.paginate("/products/get_all"), { limit: 5_000 });
    expect(listed.at(-1)).toMatchObject({
      id: 1_235,
      name: "Linen apron (long)",
      sku: "APR-NAT-1",
      created_date_time: "2026-02-03T04:05:06.000Z",
      last_modified: "2026-02-03T04:06:06.000Z",
    });
    // A seeded product is updated in place.
    await client.POST("/products/create", { body: { id: 2, isActive: false } });
    expect(listed.length).toBe(1_235);
    expect((await client.GET("/products/get/{id}", { params: { path: { id: 2 } } })).data).toEqual({
      ...sandbox.state.products.get("2"),
      isActive: false,
    });

    await client.DELETE("/products/delete/{id}", { params: { path: { id: 1_235 } } });
    await client.DELETE("/products/delete/{id}", { params: { path: { id: 10 } } });
    const gone = await caught(client.GET("/products/get/{id}", { params: { path: { id: 10 } } }));
    expect((gone as ApiError).status).toBe(404);
    const after = await collect(client.paginate("/products/get_all", {}, { pageSize: 100 }), {
      limit: 5_000,
    });
    expect(after).toHaveLength(1_233);
    expect(idsOf(after)).not.toContain(10);
    // A deleted id is not given again.
    const next = await client.POST("/products/create", { body: { name: "Next" } });
    expect(next.data!.id).toBe(1_236);

    const sale = await client.POST("/sales/create", {
      body: { netAmount: 42.5, items: [{ product_id: 1_236, quantity: 1, price: 42.5 }] },
    });
    expect(sale.response.status).toBe(201);
    expect(sale.data).toMatchObject({ id: 601, transactionDate: "2026-02-03T04:06:06.000Z" });
    const recent = await collect(
      client.paginate("/sales/get_all", {
        params: { query: { invoice_range_from: "2026-01-01T00:00:00Z" } },
      }),
      { limit: 10 },
    );
    expect(recent).toEqual([sale.data]);
    const voided = await client.POST("/sales/create", { body: { id: 601, status: "voided" } });
    expect(voided.response.status).toBe(202);
    expect(sandbox.state.sales.get("601")).toMatchObject({ netAmount: 42.5, status: "voided" });
    const missing = await caught(client.POST("/sales/create", { body: { id: 9_999 } }));
    expect((missing as ApiError).status).toBe(404);
  });

  it("answers a request the description does not allow with Hike's status, naming the actual violation", async () => {
    await start();
    // A well-formed body with a field of the wrong type: 422, `errors` naming that field.
    const wrongType = await post("/products/create", { name: "ok", sku: 12, isActive: "yes" });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body).toEqual({
      message: "The request is not valid: sku must be string,null; isActive must be boolean.",
      errors: [
        { field: "sku", location: "body", message: "must be string,null" },
        { field: "isActive", location: "body", message: "must be boolean" },
      ],
    });
    const nested = await post("/products/create", { product_type: [{ type_name: 3 }] });
    expect(nested.body!.errors).toEqual([
      { field: "product_type[0].type_name", location: "body", message: "must be string" },
    ]);
    // A SKU another product has, a sale whose amount is text: semantic errors, named.
    const taken = await post("/products/create", { sku: sandbox!.state.products.get("4")!.sku });
    expect(taken.status).toBe(422);
    expect(taken.body!.errors).toEqual([
      { field: "sku", location: "body", message: "is already the SKU of product 4" },
    ]);
    const sale = await post("/sales/create", { netAmount: "12.50", transactionDate: "soon" });
    expect(sale.status).toBe(422);
    expect(sale.body!.errors).toEqual([
      { field: "netAmount", location: "body", message: "must be number" },
      { field: "transactionDate", location: "body", message: "must be an ISO 8601 date-time" },
    ]);
    // Not JSON, or not a body at all: 400.
    const notJson = await raw("/products/create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{name:",
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body!.errors).toEqual([
      { field: "body", location: "body", message: "is not application/json (invalid JSON)" },
    ]);
    const form = await raw("/products/create", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=x",
    });
    expect(form.status).toBe(400);
    expect(form.body!.errors).toEqual([
      {
        field: "Content-Type",
        location: "header",
        message: "application/x-www-form-urlencoded: the operation takes application/json",
      },
    ]);
    // page_size out of range or missing: Hike's 500 with a message.
    const tooBig = await raw("/products/get_all?page_size=501");
    expect(tooBig.status).toBe(500);
    expect(tooBig.body!.errors).toEqual([
      { field: "page_size", location: "query", message: "must be <= 500" },
    ]);
    expect((await raw("/customers/get_all")).body!.errors).toEqual([
      { field: "page_size", location: "query", message: "is required" },
    ]);
    // Other parameters of the wrong type or format: 400, named.
    const badDate = await raw("/sales/get_all?page_size=5&invoice_range_to=yesterday");
    expect(badDate.status).toBe(400);
    expect(badDate.body!.message).toBe(
      'The request is not valid: invoice_range_to must match format "date-time".',
    );
    const badId = await raw("/products/get/first");
    expect(badId.status).toBe(400);
    expect(badId.body!.errors).toEqual([
      { field: "id", location: "path", message: "must be integer" },
    ]);
    const badSort = await raw("/sales/get_all?page_size=5&Sorting=colour");
    expect(badSort.status).toBe(400);
    expect(badSort.body!.errors).toMatchObject([{ field: "Sorting", location: "query" }]);
    // Paths and methods Hike does not have.
    expect((await raw("/products/list")).status).toBe(404);
    const put = await raw("/products/get_all?page_size=1", { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET");
    // A POST over Hike's 4 MB: refused before it is read.
    const big = await post("/sales/create", { note: "x".repeat(4 * 1024 * 1024) });
    expect(big.status).toBe(400);
    expect(big.body!.message).toMatch(/over 4 MB/);
  });

  it("enforces Hike's rolling windows on the sandbox's clock, refused calls counted", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await start({ clock, limits: { perMinute: 3, perDay: 7 } });
    const call = () => raw("/taxes/get_all?page_size=5");
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    await clock.advance(20_000);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.text).toBe(RATE_LIMIT_TEXT);
    expect(refused.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(refused.headers.get("x-rate-limit-problem")).toBe("Minute");
    // The first calls leave the window at 60 s, 40 s from now.
    expect(refused.headers.get("retry-after")).toBe("40");
    await clock.advance(40_000);
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    // Two calls in the last minute, and the refused one (20 s ago) counts too: the window is full.
    const counted = await call();
    expect(counted.status).toBe(429);
    expect(counted.headers.get("retry-after")).toBe("60");
    // 7 calls counted in the day now (refusals included): the day is full, and named.
    await clock.advance(140_000);
    const daily = await call();
    expect(daily.status).toBe(429);
    expect(daily.headers.get("x-rate-limit-problem")).toBe("Daily");
    expect(daily.headers.get("retry-after")).toBe(String(86_400 - 200));
    expect(sandbox!.rateLimits!.refused).toBe(3);
    expect(sandbox!.rateLimits!.calls()).toHaveLength(8);
    // Unauthenticated calls and the token endpoint do not count.
    expect((await raw("/taxes/get_all?page_size=5", { authorization: null })).status).toBe(401);
    expect(sandbox!.rateLimits!.calls()).toHaveLength(8);
  });

  it("answers a 429 without Retry-After when asked to (Hike's older pages), and no limits with false", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await start({ clock, limits: { perMinute: 1 }, retryAfterOn429: false });
    expect((await raw("/users/get_all?page_size=5")).status).toBe(200);
    const refused = await raw("/users/get_all?page_size=5");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeNull();
    expect(refused.headers.get("x-rate-limit-problem")).toBe("Minute");
    await sandbox!.close();
    sandbox = await startHikeSandbox({ validate: true, clock, limits: false });
    for (let i = 0; i < 70; i++) expect((await raw("/users/get_all?page_size=5")).status).toBe(200);
    expect(sandbox.rateLimits).toBeUndefined();
  });

  it("plays faults queued through the API and asked for by a request header", async () => {
    const { client, sandbox } = await start();
    sandbox.inject({ status: 503, times: 2, on: { operationId: "listProducts" } });
    expect((await raw("/taxes/get_all?page_size=5")).status).toBe(200);
    const unavailable = await raw("/products/get_all?page_size=5");
    expect(unavailable).toMatchObject({ status: 503, body: { message: "Service Unavailable" } });
    expect((await raw("/products/get_all?page_size=5")).status).toBe(503);
    expect((await raw("/products/get_all?page_size=5")).status).toBe(200);

    // Hike's 429 on demand, with or without Retry-After.
    const viaHeader = await raw("/products/get/1", {
      headers: { "x-sandbox-fault": JSON.stringify({ status: 429, retryAfter: 7 }) },
    });
    expect(viaHeader.status).toBe(429);
    expect(viaHeader.text).toBe(RATE_LIMIT_TEXT);
    expect(viaHeader.headers.get("x-rate-limit-problem")).toBe("Minute");
    expect(viaHeader.headers.get("retry-after")).toBe("7");
    const badGateway = await client.GET("/products/get/{id}", {
      params: { path: { id: 1 } },
      headers: { "x-sandbox-fault": '{"status":502}' },
    });
    expect(badGateway.response.status).toBe(502);
    expect(badGateway.error).toEqual({ message: "Bad Gateway" });
    expect((await raw("/products/get/1", { headers: { "x-sandbox-fault": "{" } })).status).toBe(
      400,
    );

    // The paging faults, caught by the client's paging.
    sandbox.inject({ kind: "empty-page", on: { operationId: "listProducts" } });
    const empty = await errors.drain(client.paginate("/products/get_all"));
    expect((empty.error as PaginationError).reason).toBe("empty-page-before-end");
    sandbox.inject({
      kind: "paging-ignored",
      times: Infinity,
      on: { operationId: "listProducts" },
    });
    const ignored = await errors.drain(client.paginate("/products/get_all", {}, { pageSize: 100 }));
    expect((ignored.error as PaginationError).reason).toBe("page-not-advancing");
    sandbox.clearFaults();
    const dropped = await errors.drain(
      client.paginate("/products/get_all", {
        headers: { "x-sandbox-fault": '{"kind":"paging-total"}' },
      }),
    );
    expect((dropped.error as PaginationError).reason).toBe("malformed-paging-data");
    const total = await raw("/products/get_all?page_size=2", {
      headers: { "x-sandbox-fault": '{"kind":"paging-total","value":"many"}' },
    });
    expect(total.body!.totalCount).toBe("many");
    // A cut connection, then a sound answer.
    sandbox.inject({ kind: "reset", on: { operationId: "getOffer" } });
    await expect(raw("/offers/get/1")).rejects.toThrow();
    expect((await raw("/offers/get/1")).status).toBe(200);
  });

  it("gives the same data and credentials for the same seed, other data for another", async () => {
    const a = await startHikeSandbox({ seed: 7 });
    const b = await startHikeSandbox({ seed: 7 });
    const c = await startHikeSandbox({ seed: 8 });
    try {
      const values = (s: HikeSandbox) =>
        JSON.stringify([
          [...s.state.products.values()],
          [...s.state.sales.values()],
          [...s.state.customers.values()],
        ]);
      expect(values(a)).toBe(values(b));
      expect(a.credentials).toEqual(b.credentials);
      expect(values(a)).not.toBe(values(c));
      expect(a.credentials.accessToken).not.toBe(c.credentials.accessToken);
      expect(a.credentials.clientId).toMatch(/^Sandbox-[0-9a-f]{10}$/);
      // Sized as asked.
      const small = await startHikeSandbox({ seed: 7, size: { products: 5, sales: 0 } });
      expect(small.state.products.size).toBe(5);
      expect(small.state.sales.size).toBe(0);
      expect(JSON.stringify([...small.state.products.values()])).toBe(
        JSON.stringify([...a.state.products.values()].slice(0, 5)),
      );
      await small.close();
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it("serves a user's own records and credentials, and refuses records the description does not allow", async () => {
    const mine: HikeRecord[] = [
      { id: 501, name: "Espresso", sku: "COF-ESP", isActive: true },
      { id: 502, name: "Flat white", sku: "COF-FLW", isActive: true },
    ];
    const { client } = await start({
      data: { products: mine, outlets: [{ id: 9, name: "Kiosk", isActive: true }] },
      credentials: { accessToken: "my-own-access-token" },
    });
    expect(sandbox!.credentials.accessToken).toBe("my-own-access-token");
    await expect(startHikeSandbox({ credentials: { clientSecret: "with space" } })).rejects.toThrow(
      /credentials\.clientSecret/,
    );
    const rows = await collect(client.paginate("/products/get_all"), { limit: 100 });
    expect(rows).toEqual(mine);
    const outlets = await collect(client.paginate("/outlets/get_all_active"), { limit: 100 });
    expect(outlets).toEqual([{ id: 9, name: "Kiosk", isActive: true }]);
    const created = await client.POST("/products/create", { body: { name: "Latte" } });
    expect((created.data as HikeRecord).id).toBe(503);

    await expect(
      startHikeSandbox({ data: { products: [{ id: 1, name: 5 } as unknown as HikeRecord] } }),
    ).rejects.toThrow(/data\.products\[0\] is not a Product: \/name must be string,null/);
    await expect(
      startHikeSandbox({ data: { sales: [{ netAmount: 1 } as unknown as HikeRecord] } }),
    ).rejects.toThrow(/data\.sales\[0\] needs an id of its own/);
    await expect(
      startHikeSandbox({ data: { widgets: [] } as unknown as HikeSandboxOptions["data"] }),
    ).rejects.toThrow(/data\.widgets: not a kind of record/);
  });

  it("installs through Hike's OAuth: authorize, code, tokens that the API accepts", async () => {
    await start();
    const s = sandbox!;
    const oauth = hikeOAuth({
      clientId: s.credentials.clientId,
      clientSecret: s.credentials.clientSecret,
      oauthUrl: s.oauthUrl,
    });
    const redirectUri = "https://example.com/cb";
    const { url, state } = oauth.authorizeUrl({ redirectUri });
    expect(url.startsWith(`${s.origin}/oauth/authorize?`)).toBe(true);
    const page = await fetch(url, { redirect: "manual" });
    expect(page.status).toBe(302);
    const callback = page.headers.get("location")!;
    const tokens = await oauth.handleCallback(callback, { expectedState: state, redirectUri });
    expect(tokens).toMatchObject({
      accessToken: s.oauth.issued.at(-2),
      refreshToken: s.oauth.issued.at(-1),
      expiresIn: 86_400,
    });
    const client = createHikeClient(
      { accessToken: tokens.accessToken },
      { baseUrl: s.url, limits: false, throwOnError: true },
    );
    const product = await client.GET("/products/get/{id}", { params: { path: { id: 5 } } });
    expect(product.data.id).toBe(5);
    // The token endpoint is where Hike has it, outside /api/v1; not under it.
    const misplaced = await raw("/oauth/token", {
      method: "POST",
      authorization: null,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=refresh_token",
    });
    expect(misplaced.status).toBe(404);
  });
});
