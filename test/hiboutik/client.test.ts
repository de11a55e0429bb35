import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  collect,
  createHiboutikClient,
  type HiboutikClientOptions,
  InvalidResponseError,
  PaginationError,
  QuotaExhaustedError,
  RecordNotFoundError,
} from "../../src/hiboutik/index.js";
import {
  type HiboutikSandbox,
  type HiboutikSandboxOptions,
  startHiboutikSandbox,
} from "../../src/hiboutik/sandbox/index.js";
import { errorLog } from "../support/error-log.js";

const LOGIN = "owner@example.com";
const CANARY = "canary-apikey-3e9b71c4d2";
const CANARY_BASIC = Buffer.from(`${LOGIN}:${CANARY}`).toString("base64");
const errors = errorLog();
const { caught, drain } = errors;
let sim: HiboutikSandbox | undefined;

afterEach(async () => {
  // Every answer the sandbox gave fits the description.
  expect(sim?.violations ?? []).toEqual([]);
  await sim?.close();
  sim = undefined;
});

async function setup(
  sandboxOptions: HiboutikSandboxOptions = {},
  clientOptions: Partial<HiboutikClientOptions> = {},
) {
  sim = await startHiboutikSandbox({
    credentials: { login: LOGIN, apiKey: CANARY },
    validate: true,
    ...sandboxOptions,
  });
  const client = createHiboutikClient(
    { account: "myshop", login: LOGIN, apiKey: CANARY },
    { baseUrl: sim.url, retry: { baseDelayMs: 5 }, ...clientOptions },
  );
  return { client, sim };
}

/** Every answer `ms` late (real time), so that concurrent calls overlap. */
const latency = (s: HiboutikSandbox, ms: number) =>
  s.inject({ kind: "delay", ms, times: Infinity });

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** `METHOD target` of every request the sandbox received, in arrival order. */
const log = (s: HiboutikSandbox) => s.requests.map((r) => `${r.method} ${r.target}`);
const pageRequests = (s: HiboutikSandbox) => log(s).filter((l) => l.includes("/customers/"));

describe("Hiboutik client against the sandbox", () => {
  it.each([1, 4, 30])(
    "yields each of 2,102 customers exactly once and in order with concurrency %i",
    async (concurrency) => {
      const { client, sim } = await setup();
      latency(sim, 5);
      const ids: number[] = [];
      for await (const c of client.paginate("/customers/", {}, { concurrency })) {
        ids.push(c.customers_id);
      }
      expect(ids).toEqual(range(2102));
      // 9 pages, each asked for once; never more in flight than asked for.
      expect(pageRequests(sim).sort()).toEqual(
        range(9)
          .map((p) => (p === 1 ? "GET /api/customers/?p=1" : `GET /api/customers/?p=${p}`))
          .sort(),
      );
      expect(sim.limits!.maxInFlight).toBeLessThanOrEqual(concurrency);
      if (concurrency > 1) expect(sim.limits!.maxInFlight).toBeGreaterThan(1);
    },
  );

  it("never has more than 30 requests in flight across all calls of one client", async () => {
    const { client, sim } = await setup();
    latency(sim, 25);
    const reads = range(60).map((id) =>
      client.GET("/customer/{customers_id}", { params: { path: { customers_id: id } } }),
    );
    const paging = collect(client.paginate("/customers/", {}, { concurrency: 30 }), {
      limit: 5000,
    });
    const [customers] = await Promise.all([paging, Promise.all(reads)]);
    expect(customers).toHaveLength(2102);
    // 69 calls were wanted at once; the cap held them to exactly 30, none refused by the shop.
    expect(sim.limits!.maxInFlight).toBe(30);
    expect(sim.requests.every((r) => r.status === 200)).toBe(true);
  });

  it("raises QuotaExhaustedError on 429 after exactly one request, never retrying", async () => {
    const { client, sim } = await setup({ limits: { quotaExhausted: true } });
    const err = await caught(client.GET("/customers/"));
    expect(err).toBeInstanceOf(QuotaExhaustedError);
    expect((err as QuotaExhaustedError).status).toBe(429);
    expect((err as Error).message).toMatch(/monthly call quota/);
    expect(sim.requests).toHaveLength(1);

    const paged = await drain(client.paginate("/customers/", {}, { concurrency: 4 }));
    expect(paged.error).toBeInstanceOf(QuotaExhaustedError);
    expect(paged.items).toEqual([]);
    expect(sim.requests).toHaveLength(2);
  });

  it("ends with a typed error on a garbage Link header, after the pages before it", async () => {
    const { client, sim } = await setup();
    sim.inject({ kind: "paging-header", header: "Link", value: "garbage; no url" });
    const first = await drain(client.paginate("/customers/"));
    expect(first.error).toBeInstanceOf(PaginationError);
    expect((first.error as PaginationError).reason).toBe("malformed-header");
    expect(first.items).toEqual([]);
  });

  it("ends with a typed error on a malformed Content-Range in a later page; earlier rows are kept", async () => {
    const { client, sim } = await setup();
    const seen: number[] = [];
    const pages = client.pages("/customers/", {}, { concurrency: 1 });
    const first = await pages.next();
    if (first.done) throw new Error("no first page");
    seen.push(...first.value.items.map((c) => c.customers_id));
    sim.inject({ kind: "paging-header", header: "Content-Range", value: "251-500" });
    const rest = await drain(pages);
    expect(rest.error).toBeInstanceOf(PaginationError);
    expect((rest.error as PaginationError).reason).toBe("malformed-header");
    expect(seen).toEqual(range(250));
  });

  it("detects a server that ignores the page number instead of repeating rows", async () => {
    const { client, sim } = await setup();
    sim.inject({ kind: "paging-ignored", times: Infinity });
    const result = await drain(client.paginate("/customers/", {}, { concurrency: 4 }));
    expect(result.error).toBeInstanceOf(PaginationError);
    expect((result.error as PaginationError).reason).toBe("page-not-advancing");
    expect(result.items.map((c) => c.customers_id)).toEqual(range(250));
  });

  it("refuses an empty page before the announced last page rather than stopping short", async () => {
    const { client, sim } = await setup();
    const pages = client.pages("/customers/", {}, { concurrency: 1 });
    await pages.next();
    sim.inject({ kind: "empty-page" });
    const rest = await drain(pages);
    expect((rest.error as PaginationError).reason).toBe("empty-page-before-end");
  });

  it("reads an unpaginated list (no paging headers) as one page", async () => {
    const { client, sim } = await setup({ size: { customers: 12 } });
    const all = await collect(client.paginate("/customers/"), { limit: 100 });
    expect(all.map((c) => c.customers_id)).toEqual(range(12));
    expect(sim.requests).toHaveLength(1);
  });

  it("stops fetching when the caller breaks out early", async () => {
    const { client, sim } = await setup();
    latency(sim, 5);
    const first = await collect(client.paginate("/customers/", {}, { concurrency: 4 }), {
      limit: 10,
    });
    expect(first).toHaveLength(10);
    expect(sim.requests.length).toBeLessThanOrEqual(5); // page 1 and at most 4 fetched ahead
  });

  it("retries 503 and a reset connection on GET but never a POST", async () => {
    const { client, sim } = await setup();
    sim.inject({ kind: "status", status: 503 });
    sim.inject({ kind: "reset" });
    const { data } = await client.GET("/customer/{customers_id}", {
      params: { path: { customers_id: 7 } },
    });
    expect(data?.[0]?.customers_id).toBe(7);
    expect(sim.requests).toHaveLength(3);

    sim.inject({ kind: "status", status: 503 });
    const post = await client.POST("/sales/", { body: { store_id: 1, currency_code: "EUR" } });
    expect(post.response.status).toBe(503);
    expect(sim.requests).toHaveLength(4);
  });

  it("turns an HTML error page and truncated JSON into typed errors", async () => {
    const { client, sim } = await setup({}, { retry: false });
    sim.inject({
      kind: "status",
      status: 500,
      contentType: "text/html",
      body: "<html><h1>Oops</h1></html>",
    });
    const html = await caught(client.GET("/customers/"));
    expect(html).toBeInstanceOf(ApiError);
    expect((html as ApiError).bodyText).toContain("Oops");

    sim.inject({ kind: "truncated-json" });
    const truncated = await drain(client.paginate("/customers/"));
    expect(truncated.error).toBeInstanceOf(InvalidResponseError);
  });

  it("one() returns the record of a one-element array, or a typed not-found", async () => {
    const { client, sim } = await setup();
    const sale = await client.one("/sales/{sale_id}", { params: { path: { sale_id: 44 } } });
    expect(sale.sale_id).toBe(44);
    expect(sale.date_z_mm).toMatch(/^\d{2}$/);
    // The last seeded sales are still open: their Z day's month is the boolean false.
    const open = await client.one("/sales/{sale_id}", { params: { path: { sale_id: 1000 } } });
    expect(open.date_z_mm).toBe(false);

    const missing = await caught(
      client.one("/sales/{sale_id}", { params: { path: { sale_id: 4444 } } }),
    );
    expect(missing).toBeInstanceOf(RecordNotFoundError);
    expect((missing as RecordNotFoundError).status).toBe(404);

    // A shop answering `[]` with a 200, and one answering two records to a single-record read.
    sim.inject({ status: 200, body: "[]", contentType: "application/json" });
    const empty = await caught(
      client.one("/products/{product_id}", { params: { path: { product_id: 5 } } }),
    );
    expect(empty).toBeInstanceOf(RecordNotFoundError);
    expect((empty as RecordNotFoundError).status).toBe(200);

    const [one, other] = [1, 2].map((id) => sim!.state.products.get(String(id)));
    sim.inject({
      status: 200,
      body: JSON.stringify([one, other]),
      contentType: "application/json",
    });
    const two = await caught(
      client.one("/products/{product_id}", { params: { path: { product_id: 999 } } }),
    );
    expect(two).toBeInstanceOf(InvalidResponseError);
  });

  it("sends a Bearer token for OAuth credentials; a refused credential is a 401, not retried", async () => {
    sim = await startHiboutikSandbox({ credentials: { accessToken: CANARY }, validate: true });
    const oauth = createHiboutikClient(
      { account: "myshop", accessToken: CANARY },
      { baseUrl: sim.url },
    );
    const { data } = await oauth.GET("/customer/{customers_id}", {
      params: { path: { customers_id: 3 } },
    });
    expect(data?.[0]?.customers_id).toBe(3);

    const wrong = createHiboutikClient(
      { account: "myshop", login: LOGIN, apiKey: CANARY },
      { baseUrl: sim.url, throwOnError: true },
    );
    const err = await caught(wrong.GET("/customers/"));
    expect((err as ApiError<{ code: number }>).status).toBe(401);
    expect((err as ApiError<{ code: number }>).body?.code).toBe(1);
    expect(sim.requests).toHaveLength(2);
  });

  it("rejects a paging concurrency above the shop's cap and a malformed account", async () => {
    const { client } = await setup();
    expect(() => client.paginate("/customers/", {}, { concurrency: 31 }).next()).toThrow(
      RangeError,
    );
    expect(() =>
      createHiboutikClient({ account: "evil.com/x", login: LOGIN, apiKey: CANARY }),
    ).toThrow(TypeError);
  });

  // Every error raised above, however it is printed, is free of the credentials.
  afterAll(() => errors.expectFreeOf([CANARY, CANARY_BASIC], 10));
});
