import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  collect,
  createSubscriptionsOnlyClient,
  InvalidResponseError,
  PaginationError,
  type SubscriptionsOnlyClientOptions,
  SubscriptionsOnlyApiError,
} from "../../src/subscriptions-only/index.js";
import {
  type SubscriptionsOnlySandbox,
  type SubscriptionsOnlySandboxOptions,
  startSubscriptionsOnlySandbox,
} from "../../src/subscriptions-only/sandbox/index.js";
import { errorLog } from "../support/error-log.js";

const STORE = "STO-12345";
const CANARY = "canary-so-key-5d81e0a7f3";
const CANARY_BASIC = Buffer.from(`${STORE}:${CANARY}`).toString("base64");
const errors = errorLog();
const { caught } = errors;
let sim: SubscriptionsOnlySandbox | undefined;

afterEach(async () => {
  const closing = sim;
  sim = undefined;
  await closing?.close();
  // Every answer the sandbox gave fits the description.
  expect(closing?.violations ?? []).toEqual([]);
});

async function setup(
  sandboxOptions: SubscriptionsOnlySandboxOptions = {},
  clientOptions: Partial<SubscriptionsOnlyClientOptions> = {},
) {
  sim = await startSubscriptionsOnlySandbox({
    credentials: { storeId: STORE, apiKey: CANARY },
    validate: true,
    ...sandboxOptions,
  });
  const client = createSubscriptionsOnlyClient(
    { storeId: STORE, apiKey: CANARY },
    { baseUrl: sim.url, retry: { baseDelayMs: 5 }, ...clientOptions },
  );
  return { client, sim };
}

/** `METHOD target` of every request the sandbox received. */
const log = (sandbox: SubscriptionsOnlySandbox) =>
  sandbox.requests.map((r) => `${r.method} ${r.target}`);
const addOnIds = (sandbox: SubscriptionsOnlySandbox) =>
  [...sandbox.state.addOns.values()].map((a) => a.unique_id);

const uniqueIds = (rows: { unique_id: string }[]) => rows.map((a) => a.unique_id);

describe("Subscriptions Only client against the sandbox", () => {
  it("pages 37 add-ons 15 at a time, each exactly once, stopping at the short page", async () => {
    const { client, sim } = await setup();
    const rows = await collect(client.paginate("/add-ons", {}, { pageSize: 15 }), { limit: 100 });
    expect(uniqueIds(rows)).toEqual(addOnIds(sim));
    expect(new Set(uniqueIds(rows)).size).toBe(37);
    expect(log(sim)).toEqual([
      "GET /1.0.0/add-ons?page=1&paginate=15",
      "GET /1.0.0/add-ons?page=2&paginate=15",
      "GET /1.0.0/add-ons?page=3&paginate=15",
    ]);
  });

  it("stops at an empty page when the last page is full, and keeps the caller's filters", async () => {
    const { client, sim } = await setup({ size: { addOns: 30 } });
    const rows = await collect(
      client.paginate(
        "/add-ons",
        { params: { query: { sort_by: "id", sort: "desc" } } },
        { pageSize: 15 },
      ),
      { limit: 100 },
    );
    expect(rows).toHaveLength(30);
    expect(log(sim).at(-1)).toBe("GET /1.0.0/add-ons?sort_by=id&sort=desc&page=3&paginate=15");
  });

  it("refuses a page that repeats the previous one (a server ignoring `page`)", async () => {
    const { client, sim } = await setup();
    sim.inject({ kind: "paging-ignored", times: Infinity });
    const seen: unknown[] = [];
    const err = await caught(
      (async () => {
        for await (const row of client.paginate("/add-ons", {}, { pageSize: 15 })) seen.push(row);
      })(),
    );
    expect((err as PaginationError).reason).toBe("page-not-advancing");
    expect(seen).toHaveLength(15);
  });

  it("unwraps body.data, body.text, and resolves a 201 without body to undefined", async () => {
    const { client, sim } = await setup();
    const addOn = await client.GET("/add-ons/{unique_id}", {
      params: { path: { unique_id: "SAO-000003" } },
    });
    expect(addOn).toEqual(sim.state.addOns.get("SAO-000003"));
    expect(addOn.unique_id).toBe("SAO-000003");

    const created = await client.POST("/add-ons", {
      body: {
        addon_status: "Active",
        addon_name: "Socks",
        addon_description: "<p>Socks</p>",
        addon_price: "4.99",
        addon_quantities: "0",
        addon_code: "",
      },
    });
    expect(created).toBeUndefined();
    expect(sim.state.addOns.size).toBe(38);

    const updated = await client.PUT("/add-ons/{unique_id}", {
      params: { path: { unique_id: "SAO-000003" } },
      body: { addon_price: "12.00" },
    });
    expect(updated).toBe("Content updated");
    const deleted = await client.DELETE("/add-ons/{unique_id}", {
      params: { path: { unique_id: "SAO-000003" } },
    });
    expect(deleted).toBe("Delete successful");
    // Later reads see the writes.
    expect(sim.state.addOns.get("SAO-000003")).toBeUndefined();
    expect([...sim.state.addOns.values()].at(-1)?.addon_name).toBe("Socks");
    // The required headers went with every request (the sandbox accepted the credential: every
    // answer was a success; its log keeps the scheme, never the secret).
    expect(sim.requests.every((r) => r.status < 300)).toBe(true);
    expect(sim.requests.at(-1)?.headers).toMatchObject({
      accept: "application/json",
      "so-ver": "1.0.0",
      authorization: "Basic [redacted]",
    });
    expect(JSON.stringify(sim.requests)).not.toContain(CANARY);
    expect(JSON.stringify(sim.requests)).not.toContain(CANARY_BASIC);
  });

  it("surfaces a 400's fields typed, as an object and as a list of names", async () => {
    const { client } = await setup();
    const unknown = await caught(
      client.POST("/coupons", {
        // The documentation's failing request: its 10th field is unknown.
        body: {
          coupon_code: "API1",
          amount: "5.00",
          amount_type: "currency",
          min_order_total: "5.00",
          uses_allowed: "0",
          start_date: "2018-12-25 00:00:00",
          end_date: "2018-12-31 00:00:00",
          applies_to: "addon",
          addon_id: "21",
          ...({ this_should_fail: "because I am unknown" } as object),
        },
      }),
    );
    expect(unknown).toBeInstanceOf(SubscriptionsOnlyApiError);
    const e = unknown as SubscriptionsOnlyApiError;
    expect(e.status).toBe(400);
    expect(e.body).toEqual({
      text: "Unknown fields submitted.",
      fields: { "9": "this_should_fail" },
    });
    expect(e.fieldNames).toEqual(["this_should_fail"]);
    expect(e.message).toContain("this_should_fail");

    const missing = (await caught(
      client.POST("/add-ons", { body: { addon_name: "x" } as never }),
    )) as SubscriptionsOnlyApiError;
    expect(missing.fieldNames).toEqual([
      "addon_status",
      "addon_description",
      "addon_price",
      "addon_quantities",
      "addon_code",
    ]);
  });

  it("retries 429 and 5xx on GET, never a POST", async () => {
    const { client, sim } = await setup();
    sim.inject({ kind: "status", status: 429 });
    sim.inject({ kind: "status", status: 503 });
    const addOn = await client.GET("/add-ons/{unique_id}", {
      params: { path: { unique_id: "SAO-000001" } },
    });
    expect(addOn.id).toBe(sim.state.addOns.get("SAO-000001")?.id);
    expect(sim.requests.length).toBe(3);

    sim.inject({ kind: "status", status: 503 });
    const err = await caught(
      client.POST("/coupons", { body: { coupon_code: "X", amount: "1.00" } }),
    );
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).attempts).toBe(1);
    expect(sim.requests.length).toBe(4);

    // A GET that stays unavailable: the error says how many sends it took.
    for (let i = 0; i < 4; i++) sim.inject({ kind: "status", status: 503 });
    const exhausted = await caught(
      client.GET("/add-ons/{unique_id}", { params: { path: { unique_id: "SAO-000001" } } }),
    );
    expect(exhausted).toBeInstanceOf(SubscriptionsOnlyApiError);
    expect((exhausted as ApiError).attempts).toBe(4);
    expect(sim.requests.length).toBe(8);
  });

  it("turns a 404, an HTML page, truncated JSON and a reply without envelope into typed errors", async () => {
    const { client, sim } = await setup({}, { retry: false });
    const notFound = await caught(
      client.GET("/add-ons/{unique_id}", { params: { path: { unique_id: "SAO-999999" } } }),
    );
    expect((notFound as SubscriptionsOnlyApiError).status).toBe(404);

    sim.inject({ kind: "status", status: 500, contentType: "text/html", body: "<h1>Down</h1>" });
    expect(await caught(client.GET("/add-ons"))).toBeInstanceOf(ApiError);
    sim.inject({ kind: "truncated-json" });
    expect(await caught(client.GET("/add-ons"))).toBeInstanceOf(InvalidResponseError);
    sim.inject({ kind: "status", status: 200, body: "[1,2,3]" });
    expect(await caught(client.GET("/add-ons"))).toBeInstanceOf(InvalidResponseError);
    sim.inject({ kind: "status", status: 200, body: '{"status":"200","message":"OK"}' });
    expect(await caught(client.GET("/add-ons"))).toBeInstanceOf(InvalidResponseError);
  });

  it("answers wrong credentials with the API's 401", async () => {
    sim = await startSubscriptionsOnlySandbox({ credentials: { storeId: STORE, apiKey: "other" } });
    const client = createSubscriptionsOnlyClient(
      { storeId: STORE, apiKey: CANARY },
      { baseUrl: sim.url },
    );
    const err = (await caught(client.GET("/subscribers"))) as SubscriptionsOnlyApiError;
    expect(err.status).toBe(401);
    expect(err.body).toEqual({ text: "Invalid credentials." });
  });

  it("keeps the credential out of a 401 whose body echoes the Authorization header", async () => {
    const { client, sim } = await setup();
    // A careless server quoting the header it refused, in the API's envelope.
    const echoed = { text: `Refused Authorization: Basic ${CANARY_BASIC} (key ${CANARY})` };
    sim.inject({
      status: 401,
      body: JSON.stringify({ status: "401", message: "Unauthorized", body: echoed }),
    });
    const err = (await caught(client.GET("/subscribers"))) as SubscriptionsOnlyApiError;
    expect(err.status).toBe(401);
    expect(err.body?.text).toContain("[redacted]");
  });

  // Every error raised above, however it is printed, is free of the credentials.
  afterAll(() => errors.expectFreeOf([CANARY, CANARY_BASIC], 10));
});
