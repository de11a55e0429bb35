import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  acceleratedClock,
  ApiError,
  collect,
  createHikeClient,
  type HikeClientOptions,
  type HikeCredentials,
  type HikeTokens,
  RequestTooLargeError,
  TokenRefreshError,
} from "../../src/hike/index.js";
import {
  type HikeSandbox,
  type HikeSandboxOptions,
  startHikeSandbox,
} from "../../src/hike/sandbox/index.js";
import { errorLog } from "../support/error-log.js";

// A minute of simulated time lasts one real second: windows, backoff and Retry-After all scale.
const SCALE = 60;
const ACCESS = "canary-access-2b7e91d04c";
const REFRESH = "canary-refresh-8f3a6c2d19";
const CLIENT_ID = "MyApp-00a29c4789";
const SECRET = "canary-secret-61d0e4b7aa";
const errors = errorLog();
const { caught } = errors;
let sim: HikeSandbox | undefined;

// Every answer of the sandbox fits Hike's description (faults apart).
afterEach(async () => {
  const closing = sim;
  sim = undefined;
  await closing?.close();
  expect(closing?.violations ?? []).toEqual([]);
});

async function setup(
  simOptions: Partial<HikeSandboxOptions> = {},
  clientOptions: Partial<HikeClientOptions> = {},
  credentials: Partial<HikeCredentials> = {},
  scale = SCALE,
) {
  const clock = acceleratedClock(scale);
  sim = await startHikeSandbox({
    clock,
    validate: true,
    credentials: {
      accessToken: ACCESS,
      refreshToken: REFRESH,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
    },
    ...simOptions,
  });
  const client = createHikeClient(
    {
      accessToken: ACCESS,
      refreshToken: REFRESH,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      ...credentials,
    },
    { baseUrl: sim.url, tokenUrl: sim.tokenUrl, clock, ...clientOptions },
  );
  return { client, sim, clock };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("Hike client against the Hike sandbox", () => {
  it("yields 1,234 products over pages of 500 exactly once, stopping at totalCount", async () => {
    const { client, sim } = await setup();
    const products = await collect(client.paginate("/products/get_all"), { limit: 5000 });
    expect(products.map((p) => p.id)).toEqual(range(1234));
    expect(sim.requests.map((r) => `${r.method} ${r.target}`)).toEqual([
      "GET /api/v1/products/get_all?page_size=500&skip_count=0",
      "GET /api/v1/products/get_all?page_size=500&skip_count=500",
      "GET /api/v1/products/get_all?page_size=500&skip_count=1000",
    ]);
  });

  it("fetches pages concurrently once the total is known, in order, with the caller's filter", async () => {
    const { client, sim } = await setup();
    // The sandbox applies the filter (SKU, barcode or name containing it, in any case).
    const expected = [...sim.state.products.values()]
      .filter((p) => [p.sku, p.barcode, p.name].some((v) => String(v).toLowerCase().includes("e")))
      .map((p) => p.id);
    expect(expected.length).toBeGreaterThan(400);
    expect(expected.length).toBeLessThan(1234);
    const products = await collect(
      client.paginate(
        "/products/get_all",
        { params: { query: { Filter: "E" } } },
        { pageSize: 100, concurrency: 4 },
      ),
      { limit: 5000 },
    );
    expect(products.map((p) => p.id)).toEqual(expected);
    expect(sim.requests).toHaveLength(Math.ceil(expected.length / 100));
    expect(sim.requests.every((r) => r.target.includes("Filter=E"))).toBe(true);
  });

  it("schedules 3× the minute's allowance inside the rolling windows: zero 429s", async () => {
    // Sped-up time turns a burst's real milliseconds on loopback (and a busy machine's event-loop
    // delays) into seconds of simulated time: this case runs at 20× (a minute in 3 s) and widens
    // the guard band (normally 1 s for latency and skew) to 5 s, i.e. 250 ms of real delay.
    const { client, sim } = await setup({}, { windowGuardMs: 5_000 }, {}, 20);
    const reads = range(180).map((i) =>
      client.GET("/products/get/{id}", { params: { path: { id: i } } }),
    );
    const results = await Promise.all(reads);
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(sim.rateLimits!.refused).toBe(0);
    // No rolling minute, by the server's clock, saw more than 60 calls.
    const calls = sim.rateLimits!.calls();
    expect(calls).toHaveLength(180);
    for (const t of calls)
      expect(calls.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(60);
    // And the allowance was used, not wasted: three bursts, each a window plus the guard apart.
    const span = calls.at(-1)! - calls[0]!;
    expect(span).toBeGreaterThan(120_000);
    expect(span).toBeLessThan(140_000);
  });

  it("recovers from a 429 naming the minute window with a text body (no Retry-After)", async () => {
    const { client, sim, clock } = await setup();
    // Hike's own 429 for the status: the text body, X-Rate-Limit-Problem: Minute, no Retry-After.
    sim.inject({ status: 429 });
    const started = clock.now();
    const { data } = await client.GET("/products/get/{id}", { params: { path: { id: 7 } } });
    expect(data?.id).toBe(7);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 200]);
    // It waited out the rolling minute of the refused call (which counts), not a blind backoff.
    expect(clock.now() - started).toBeGreaterThanOrEqual(60_000);
  });

  it("honours Retry-After on a 429", async () => {
    const { client, sim, clock } = await setup();
    sim.inject({ status: 429, retryAfter: 5 });
    const started = clock.now();
    await client.GET("/products/get/{id}", { params: { path: { id: 1 } } });
    const waited = clock.now() - started;
    expect(waited).toBeGreaterThanOrEqual(5_000);
    expect(waited).toBeLessThan(30_000);
  });

  it("refreshes once for 5 concurrent 401s, calls onTokens once, and replays each request", async () => {
    const received: HikeTokens[] = [];
    const { client, sim } = await setup({}, {}, { onTokens: (t) => void received.push(t) });
    await client.GET("/products/get/{id}", { params: { path: { id: 1 } } });
    sim.expireAccessTokens();
    const results = await Promise.all(
      range(5).map((id) => client.GET("/products/get/{id}", { params: { path: { id } } })),
    );
    expect(results.map((r) => r.data?.id)).toEqual(range(5));
    expect(sim.oauth.stats.refreshes).toBe(1);
    expect(received).toHaveLength(1);
    // The access token the sandbox issued last (then its refresh token).
    expect(received[0]).toMatchObject({
      accessToken: sim.oauth.issued.at(-2),
      refreshToken: sim.oauth.issued.at(-1),
      expiresIn: 86_400,
    });
    // Later calls use the new token at once.
    const before = sim.requests.length;
    await client.GET("/products/get/{id}", { params: { path: { id: 2 } } });
    expect(sim.requests.length).toBe(before + 1);
    expect(sim.requests.at(-1)!.status).toBe(200);
  });

  it("says why when the token cannot be refreshed", async () => {
    const { client, sim } = await setup({}, {}, { refreshToken: undefined });
    sim.expireAccessTokens();
    const err = await caught(client.GET("/products/get/{id}", { params: { path: { id: 1 } } }));
    expect(err).toBeInstanceOf(TokenRefreshError);
    expect((err as Error).message).toMatch(/refreshToken, clientId and clientSecret/);

    const wrong = createHikeClient(
      {
        accessToken: ACCESS,
        refreshToken: REFRESH,
        clientId: CLIENT_ID,
        clientSecret: `${SECRET}-wrong`,
      },
      { baseUrl: sim.url, tokenUrl: sim.tokenUrl },
    );
    const refused = await caught(wrong.GET("/products/get/{id}", { params: { path: { id: 1 } } }));
    expect(refused).toBeInstanceOf(TokenRefreshError);
    expect((refused as TokenRefreshError).status).toBe(400);
  });

  it("refuses a POST body over 4 MB before sending it", async () => {
    const { client, sim } = await setup();
    const err = await caught(
      client.POST("/products/create", {
        body: { name: "big", description: "x".repeat(4 * 1024 * 1024) },
      }),
    );
    expect(err).toBeInstanceOf(RequestTooLargeError);
    expect(sim.requests).toHaveLength(0);
    const ok = await client.POST("/products/create", {
      body: { name: "small", bran_name: "Acme" },
    });
    expect(ok.response.status).toBe(201);
  });

  it("does not retry a 501 (endpoint not on the shop's plan) and types it", async () => {
    const { client, sim } = await setup({}, { throwOnError: true });
    sim.inject({
      status: 501,
      body: JSON.stringify({ message: "Not available on your plan" }),
      contentType: "application/json",
    });
    const err = await caught(client.GET("/products/get/{id}", { params: { path: { id: 1 } } }));
    expect((err as ApiError).status).toBe(501);
    expect((err as ApiError).body).toEqual({ message: "Not available on your plan" });
    expect(sim.requests).toHaveLength(1);
  });

  // Every error raised above, however it is printed, is free of the credentials.
  afterAll(() => errors.expectFreeOf([ACCESS, REFRESH, SECRET], 4));
});
