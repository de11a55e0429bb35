import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  collect,
  createHubriseClient,
  hubrisePageInfo,
  InvalidResponseError,
  PaginationError,
  RateLimitExhaustedError,
  TransportError,
  acceleratedClock,
  type HubriseClientOptions,
} from "../../src/hubrise/index.js";
import {
  type HubriseSandbox,
  type HubriseSandboxOptions,
  startHubriseSandbox,
} from "../../src/hubrise/sandbox/index.js";
import { errorLog } from "../support/error-log.js";

// A minute of sandbox time lasts one real second: windows, backoff and Retry-After all scale.
const SCALE = 60;
const CANARY = "canary-token-7f3a9c1e5b";
const errors = errorLog();
const { caught } = errors;
let sandbox: HubriseSandbox | undefined;
const violations: string[] = [];

afterEach(async () => {
  violations.push(...(sandbox?.violations ?? []));
  await sandbox?.close();
  sandbox = undefined;
});

afterAll(() => {
  // Every answer the sandbox gave fitted the description.
  expect(violations).toEqual([]);
});

async function setup(
  sandboxOptions: Partial<HubriseSandboxOptions> = {},
  clientOptions: Partial<HubriseClientOptions> = {},
) {
  // Start each test just after a window boundary so no case straddles one by accident.
  const clock = acceleratedClock(SCALE, Math.ceil(Date.now() / 60_000) * 60_000 + 2_000);
  sandbox = await startHubriseSandbox({
    clock,
    credentials: { accessToken: CANARY },
    size: { orders: 250 },
    validate: true,
    ...sandboxOptions,
  });
  const client = createHubriseClient(
    { accessToken: CANARY },
    { baseUrl: sandbox.url, clock, ...clientOptions },
  );
  return { client, sandbox, clock };
}

const ids = (items: { id: string }[]) => items.map((o) => o.id);
/** How many requests the sandbox answered 429. */
const rejected = (s: HubriseSandbox) => s.requests.filter((r) => r.status === 429).length;
/** Heavy queries answered 200, per minute window of the sandbox's clock. */
function heavyPerMinute(s: HubriseSandbox): Map<number, number> {
  const perMinute = new Map<number, number>();
  for (const r of s.requests) {
    if (r.status !== 200 || r.operationId !== "getCatalog") continue;
    const minute = Math.floor(r.at / 60_000);
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  return perMinute;
}

describe("HubRise client against the sandbox", () => {
  it("pages 250 orders in 3 pages, each order exactly once", async () => {
    const { client, sandbox } = await setup();
    const sizes: number[] = [];
    const cursors: (string | undefined)[] = [];
    for await (const page of client.pages("/location/orders")) {
      sizes.push(page.items.length);
      cursors.push(hubrisePageInfo(page.response).nextCursor);
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(cursors[2]).toBeUndefined();
    const orders = await collect(
      client.paginate("/locations/{location_id}/orders", {
        params: { path: { location_id: "3r4s3-1" } },
      }),
      { limit: 1000 },
    );
    expect(orders).toHaveLength(250);
    expect(new Set(ids(orders)).size).toBe(250);
    expect(orders.every((o) => o.location_id === "3r4s3-1")).toBe(true);
    expect(rejected(sandbox)).toBe(0);
  });

  it("honours count", async () => {
    const { client } = await setup({ size: { orders: 95 } });
    const sizes: number[] = [];
    for await (const page of client.pages("/location/orders", { params: { query: { count: 30 } } }))
      sizes.push(page.items.length);
    expect(sizes).toEqual([30, 30, 30, 5]);
  });

  it("stops fetching when the caller breaks", async () => {
    const { client, sandbox } = await setup();
    const first = await collect(client.paginate("/location/orders"), { limit: 5 });
    expect(first).toHaveLength(5);
    expect(sandbox.requests).toHaveLength(1);
  });

  it("spreads 3× the heavy-query allowance over windows without a single 429", async () => {
    const { client, sandbox } = await setup();
    const catalogId = sandbox.state.catalogs.at(0)!.catalog.id;
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        client.GET("/catalogs/{catalog_id}", { params: { path: { catalog_id: catalogId } } }),
      ),
    );
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(rejected(sandbox)).toBe(0);
    const perMinute = heavyPerMinute(sandbox);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(10);
    expect(perMinute.size).toBeGreaterThanOrEqual(3);
    // 30 heavy queries at 10 a minute need at least two window starts: ≥ 2 sandbox minutes.
    expect((performance.now() - started) * SCALE).toBeGreaterThan(60_000);
  });

  it("recovers from a 429 by waiting and retrying", async () => {
    const { client, sandbox } = await setup();
    sandbox.inject({ status: 429, retryAfter: "5" });
    const { data, response } = await client.GET("/location");
    expect(response.status).toBe(200);
    expect(data?.id).toBe("3r4s3-1");
    expect(sandbox.requests).toHaveLength(2);
  });

  it("ends a repeated cursor with a typed error after yielding the first page once", async () => {
    const { client, sandbox } = await setup();
    // Page 2 points back to itself (X-Cursor-Next replaced by page 1's cursor): a server loop.
    const first = await client.GET("/location/orders");
    const loop = hubrisePageInfo(first.response).nextCursor!;
    sandbox.inject({
      kind: "paging-header",
      value: loop,
      times: Infinity,
      on: { path: /[?&]cursor=/ },
    });
    const seen: string[] = [];
    const err = await caught(
      (async () => {
        for await (const order of client.paginate("/location/orders")) seen.push(order.id);
      })(),
    );
    expect(err).toBeInstanceOf(PaginationError);
    expect((err as PaginationError).reason).toBe("repeated-cursor");
    // Page 1 (no cursor) and page 2 are yielded; page 2 points to its own cursor again.
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });

  it("ends a malformed X-Cursor-Next with a typed error", async () => {
    const { client, sandbox } = await setup();
    sandbox.inject({ kind: "paging-header", value: "abc, def" });
    const err = await caught(collect(client.paginate("/location/orders"), { limit: 1000 }));
    expect(err).toBeInstanceOf(PaginationError);
    expect((err as PaginationError).reason).toBe("malformed-header");
  });

  it("turns a 500 with an HTML body into ApiError after the retries", async () => {
    const { client, sandbox } = await setup({}, { retry: { baseDelayMs: 100 } });
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    sandbox.inject({ status: 500, contentType: "text/html", body: html, times: 4 });
    const err = await caught(client.GET("/location"));
    expect(err).toBeInstanceOf(ApiError);
    const apiError = err as ApiError;
    expect(apiError.status).toBe(500);
    expect(apiError.attempts).toBe(4);
    expect(apiError.operation).toBe("GET /location");
    expect(apiError.bodyText).toContain("Bad Gateway");
    expect(apiError.message).toContain("non-JSON body");
    sandbox.inject({ status: 500, contentType: "text/html", body: html, times: 4 });
    const pagingError = await caught(collect(client.paginate("/location/orders"), { limit: 10 }));
    expect(pagingError).toBeInstanceOf(ApiError);
  });

  it("never retries a POST", async () => {
    const { client, sandbox } = await setup();
    sandbox.inject({ status: 503 });
    const { error, response } = await client.POST("/location/orders", { body: { status: "new" } });
    expect(response.status).toBe(503);
    expect(error).toEqual({ error_type: "internal_error" });
    expect(sandbox.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    // The order was not created: the failing backend answered before it.
    expect(sandbox.state.orders.size).toBe(250 + 25);
  });

  it("throws on every non-2xx with throwOnError", async () => {
    const { client } = await setup({}, { throwOnError: true });
    const err = await caught(
      client.GET("/catalogs/{catalog_id}/images/{image_id}", {
        params: { path: { catalog_id: "c", image_id: "i" } },
      }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(404);
    expect((err as ApiError).body).toEqual({ error_type: "not_found" });
  });

  it("reports truncated JSON as InvalidResponseError", async () => {
    const { client, sandbox } = await setup();
    sandbox.inject({ kind: "truncated-json" });
    const err = await caught(collect(client.paginate("/location/orders"), { limit: 1000 }));
    expect(err).toBeInstanceOf(InvalidResponseError);
  });

  it("retries a reset connection for GET and reports a TransportError when it persists", async () => {
    const { client, sandbox } = await setup({}, { retry: { baseDelayMs: 100 } });
    sandbox.inject({ kind: "reset" });
    expect((await client.GET("/location")).response.status).toBe(200);
    sandbox.inject({ kind: "reset", times: 4 });
    const err = await caught(client.GET("/location"));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).operation).toBe("GET /location");
  });

  it("says a connection that only answers 429 is exhausted or suspended, within a bounded time", async () => {
    const { client, sandbox } = await setup();
    // HubRise answers 429, not 401, to a suspended connection: every request, every window.
    sandbox.inject({ status: 429, times: Infinity });
    const started = performance.now();
    const err = await caught(client.GET("/location"));
    expect(err).toBeInstanceOf(RateLimitExhaustedError);
    expect((err as Error).message).toMatch(/suspended or blocked/);
    expect((performance.now() - started) * SCALE).toBeLessThan(200_000); // under the 120-s cap + one window
  });

  it("stops waiting for a window when the request is aborted", async () => {
    const { client } = await setup({}, { limits: { heavy: [{ sizeMs: 60_000, limit: 1 }] } });
    await client.GET("/catalogs/{catalog_id}", { params: { path: { catalog_id: "a" } } });
    const controller = new AbortController();
    const pending = client.GET("/catalogs/{catalog_id}", {
      params: { path: { catalog_id: "b" } },
      signal: controller.signal,
    });
    controller.abort(new Error("caller gave up"));
    await expect(pending).rejects.toThrow("caller gave up");
  });

  it("keeps the access token out of every error", async () => {
    const { client, sandbox } = await setup({}, { throwOnError: true });
    const wrongToken = `${CANARY}-wrong`;
    const other = createHubriseClient(
      { accessToken: wrongToken },
      { baseUrl: sandbox.url, throwOnError: true },
    );
    const err = await caught(other.GET("/location"));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).body).toMatchObject({ error_type: "unauthorized" });
    // A careless server echoes the token it got in its error: the client keeps it out anyway.
    sandbox.inject({
      status: 401,
      contentType: "application/json",
      body: JSON.stringify({
        message: `Invalid access token ${CANARY}`,
        error_type: "unauthorized",
      }),
    });
    const echoed = await caught(client.GET("/location"));
    expect((echoed as ApiError).status).toBe(401);
    errors.expectFreeOf([CANARY], 9);
  });
});
