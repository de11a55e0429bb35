// The Subscriptions Only sandbox as an integrator uses it: through the real client and over raw
// HTTP, with every answer checked against the description (`validate: true`).
import { afterEach, describe, expect, it } from "vitest";
import {
  collect,
  createSubscriptionsOnlyClient,
  SubscriptionsOnlyApiError,
} from "../../src/subscriptions-only/index.js";
import {
  type AddOn,
  startSubscriptionsOnlySandbox,
  type SubscriptionsOnlySandbox,
} from "../../src/subscriptions-only/sandbox/index.js";
import { handlers } from "../../src/subscriptions-only/sandbox/handlers.js";
import { loadDescription } from "../../src/sandbox/description.js";
import { seededAddOn } from "../../src/subscriptions-only/sandbox/data.js";
import { Random } from "../../src/sandbox/random.js";
import { ManualClock } from "../support/manual-clock.js";

let sandbox: SubscriptionsOnlySandbox | undefined;

afterEach(async () => {
  const closing = sandbox;
  sandbox = undefined;
  await closing?.close();
  expect(closing?.violations ?? []).toEqual([]);
});

async function start(options: Parameters<typeof startSubscriptionsOnlySandbox>[0] = {}) {
  sandbox = await startSubscriptionsOnlySandbox({ validate: true, ...options });
  const client = createSubscriptionsOnlyClient(sandbox.credentials, {
    baseUrl: sandbox.url,
    retry: false,
  });
  return { sandbox, client };
}

/** A raw request with the sandbox's credentials (or `authorization` as given). */
async function raw(path: string, init: RequestInit & { authorization?: string | null } = {}) {
  const s = sandbox!;
  const basic = `Basic ${Buffer.from(`${s.credentials.storeId}:${s.credentials.apiKey}`).toString("base64")}`;
  const headers = new Headers(init.headers);
  if (init.authorization !== null) headers.set("authorization", init.authorization ?? basic);
  const response = await fetch(`${s.url}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const validAddOn = {
  addon_status: "Active",
  addon_name: "Socks",
  addon_description: "<p>Socks</p>",
  addon_price: "4.99",
  addon_quantities: "1",
  addon_code: "SOCKS",
};

describe("Subscriptions Only sandbox", () => {
  it("answers every operation of the description", () => {
    const ids = loadDescription("subscriptions-only").operations.map((op) => op.operationId);
    expect(Object.keys(handlers).sort()).toEqual([...ids].sort());
  });

  it("refuses missing and wrong credentials with the API's 401 envelope", async () => {
    await start();
    for (const authorization of [null, "Basic d3Jvbmc6d3Jvbmc=", "Bearer x"]) {
      expect(await raw("/add-ons", { authorization })).toEqual({
        status: 401,
        body: { status: "401", message: "Unauthorized", body: { text: "Invalid credentials." } },
      });
    }
  });

  it("pages every add-on and subscriber once through the client, at the default page size", async () => {
    const { client, sandbox } = await start({ size: { addOns: 95, subscribers: 41 } });
    const addOns = await collect(client.paginate("/add-ons", {}), { limit: 1_000 });
    expect(addOns.map((a) => a.unique_id)).toEqual(
      [...sandbox.state.addOns.values()].map((a) => a.unique_id),
    );
    expect(new Set(addOns.map((a) => a.unique_id)).size).toBe(95);
    const subscribers = await collect(client.paginate("/subscribers", {}), { limit: 1_000 });
    expect(subscribers).toHaveLength(41);
  });

  it("filters, excludes and sorts as documented", async () => {
    const { client, sandbox } = await start();
    const all = [...sandbox.state.addOns.values()];
    const active = await collect(
      client.paginate("/add-ons", {
        params: { query: { filter_by: "addon_status", filter: "active" } },
      }),
      { limit: 1_000 },
    );
    expect(active.length).toBe(all.filter((a) => a.addon_status === "Active").length);
    expect(active.every((a) => a.addon_status === "Active")).toBe(true);
    const others = await collect(
      client.paginate("/add-ons", {
        params: { query: { exclude: "addon_status", exclude_by: "Active" } },
      }),
      { limit: 1_000 },
    );
    expect(others.length + active.length).toBe(all.length);
    const byPrice = await collect(
      client.paginate("/add-ons", { params: { query: { sort_by: "addon_price", sort: "desc" } } }),
      { limit: 1_000 },
    );
    const prices = byPrice.map((a) => Number(a.addon_price));
    expect(prices).toEqual([...prices].sort((x, y) => y - x));
  });

  it("keeps writes: created, updated and deleted add-ons are what later reads see", async () => {
    const { client, sandbox } = await start({
      clock: new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5)),
    });
    await client.POST("/add-ons", { body: validAddOn });
    const rows = await collect(client.paginate("/add-ons", {}), { limit: 1_000 });
    const created = rows.at(-1)!;
    expect(created).toMatchObject({ ...validAddOn, created: "2026-01-02 03:04:05" });
    expect(created.unique_id).toMatch(/^SAO-\d{6}$/);
    expect(Number(created.id)).toBe(Number(rows.at(-2)!.id) + 1);

    await client.PUT("/add-ons/{unique_id}", {
      params: { path: { unique_id: created.unique_id! } },
      body: { addon_price: "5.50" },
    });
    const read = await client.GET("/add-ons/{unique_id}", {
      params: { path: { unique_id: created.unique_id! } },
    });
    expect(read).toMatchObject({ addon_price: "5.50", modified: "2026-01-02 03:04:05" });

    await client.DELETE("/add-ons/{unique_id}", {
      params: { path: { unique_id: created.unique_id! } },
    });
    const gone = await client
      .GET("/add-ons/{unique_id}", { params: { path: { unique_id: created.unique_id! } } })
      .catch((e: unknown) => e);
    expect((gone as SubscriptionsOnlyApiError).status).toBe(404);
    expect(sandbox.state.addOns.size).toBe(37);
  });

  it("answers a request the description does not allow with a 400 naming the violation", async () => {
    await start();
    // A number where the description wants a string: not one of the documented two 400s.
    const wrongType = await raw("/add-ons", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...validAddOn, addon_price: 4.99 }),
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.body).toEqual({
      text: "Invalid request: body/addon_price: must be string",
      fields: { "0": "body/addon_price" },
    });
    // A query parameter of the wrong type.
    const wrongQuery = await raw("/add-ons?paginate=many");
    expect(wrongQuery.status).toBe(400);
    expect(JSON.stringify(wrongQuery.body)).toContain("query.paginate");
    // The documented shapes: an unknown field by its position, missing required fields by theirs.
    const missing = await raw("/add-ons", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ addon_name: "x" }),
    });
    expect(missing.body.body).toMatchObject({ text: "Required fields missing." });
    // An unknown path: 404 in the envelope.
    expect((await raw("/nothing-here")).status).toBe(404);
  });

  it("plays faults queued through the API and asked for by a request header", async () => {
    const { client, sandbox } = await start();
    sandbox.inject({ status: 503, times: 2, on: { operationId: "listSubscribers" } });
    expect((await raw("/add-ons")).status).toBe(200);
    expect((await raw("/subscribers")).status).toBe(503);
    expect((await raw("/subscribers")).status).toBe(503);
    expect((await raw("/subscribers")).status).toBe(200);

    const viaHeader = await raw("/add-ons", {
      headers: { "x-sandbox-fault": JSON.stringify({ status: 429, retryAfter: 7 }) },
    });
    expect(viaHeader).toEqual({
      status: 429,
      body: { status: "429", message: "Too Many Requests" },
    });
    const err = await client
      .GET("/add-ons", { headers: { "x-sandbox-fault": '{"status":502}' } })
      .catch((e: unknown) => e);
    expect((err as SubscriptionsOnlyApiError).status).toBe(502);
    // An unreadable fault header is refused, not ignored.
    expect((await raw("/add-ons", { headers: { "x-sandbox-fault": "{" } })).status).toBe(400);
  });

  it("gives the same data and credentials for the same seed, other data for another", async () => {
    const a = await startSubscriptionsOnlySandbox({ seed: 7 });
    const b = await startSubscriptionsOnlySandbox({ seed: 7 });
    const c = await startSubscriptionsOnlySandbox({ seed: 8 });
    try {
      const values = (s: SubscriptionsOnlySandbox) => JSON.stringify([...s.state.addOns.values()]);
      expect(values(a)).toBe(values(b));
      expect(a.credentials).toEqual(b.credentials);
      expect(values(a)).not.toBe(values(c));
      expect(a.credentials.apiKey).not.toBe(c.credentials.apiKey);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it("serves a user's own add-ons, and refuses records the description does not allow", async () => {
    const mine: AddOn[] = [0, 1, 2].map((i) => ({
      ...seededAddOn(new Random("mine"), i),
      unique_id: `SAO-90000${i}`,
      id: String(500 + i),
    }));
    const { client } = await start({ data: { addOns: mine } });
    const rows = await collect(client.paginate("/add-ons", {}), { limit: 100 });
    expect(rows.map((r) => r.unique_id)).toEqual(["SAO-900000", "SAO-900001", "SAO-900002"]);
    await client.POST("/add-ons", { body: validAddOn });
    const after = await collect(client.paginate("/add-ons", {}), { limit: 100 });
    expect(after.at(-1)!.id).toBe("503");

    await expect(
      startSubscriptionsOnlySandbox({
        data: { addOns: [{ ...mine[0], addon_price: 3 } as unknown as AddOn] },
      }),
    ).rejects.toThrow(/data\.addOns\[0\] is not a AddOn: \/addon_price must be string/);
  });
});
