// The HubRise sandbox as an integrator uses it: through the real client (`createHubriseClient`, its
// paging, `hubriseOAuth`, the callback verifier) and over raw HTTP, every answer checked against
// the description (`validate: true`, and `violations` empty after each test).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  collect,
  constructHubriseEvent,
  createHubriseClient,
  hubriseOAuth,
  hubrisePageInfo,
  PaginationError,
  verifyHubriseSignature,
  type HubriseEvent,
  type HubriseUnknownEvent,
} from "../../src/hubrise/index.js";
import {
  type HubriseSandbox,
  type HubriseSandboxOptions,
  hubriseHandlers,
  startHubriseSandbox,
} from "../../src/hubrise/sandbox/index.js";
import { loadDescription } from "../../src/sandbox/description.js";
import { schemaChecker } from "../../src/sandbox/schemas.js";
import { ManualClock } from "../support/manual-clock.js";

let sandbox: HubriseSandbox | undefined;
const servers: Server[] = [];

afterEach(async () => {
  const closing = sandbox;
  sandbox = undefined;
  await closing?.close();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  expect(closing?.violations ?? []).toEqual([]);
});

async function start(options: HubriseSandboxOptions = {}) {
  sandbox = await startHubriseSandbox({ validate: true, limits: false, ...options });
  const clientOptions = {
    baseUrl: sandbox.url,
    limits: false,
    retry: false,
    clock: options.clock,
  } as const;
  const client = createHubriseClient(sandbox.credentials, { ...clientOptions, throwOnError: true });
  const pos = createHubriseClient(
    { accessToken: sandbox.credentials.otherAccessToken },
    { ...clientOptions, throwOnError: true },
  );
  return { sandbox, client, pos };
}

interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A raw request with the sandbox's access token (`token: null`: none). */
async function raw(
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<RawAnswer> {
  const s = sandbox!;
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set("X-Access-Token", init.token ?? s.credentials.accessToken);
  if (typeof init.body === "string" && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  const response = await fetch(`${s.url}${path}`, { ...init, headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, headers: response.headers, body };
}

const idsOf = (items: { id: string }[]) => items.map((i) => i.id);

/** A receiver of callbacks on 127.0.0.1: what it got, answering `status()` (default 200). */
async function receiver(clientSecret: string, status: () => number = () => 200) {
  const received: {
    body: string;
    signature: string | undefined;
    event: HubriseEvent | HubriseUnknownEvent;
  }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const signature = req.headers["x-hubrise-hmac-sha256"] as string | undefined;
      constructHubriseEvent(body, req.headers as Record<string, string>, clientSecret).then(
        (event) => {
          received.push({ body, signature, event });
          res.writeHead(status()).end();
        },
        () => res.writeHead(401).end(),
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hubrise`, received };
}

const item = (product_name: string, price: string, quantity = "1") => ({
  product_name,
  price,
  quantity,
});

describe("HubRise sandbox", () => {
  it("answers every operation of the description", () => {
    const ids = loadDescription("hubrise").operations.map((op) => op.operationId);
    expect(ids).toHaveLength(96);
    expect(Object.keys(hubriseHandlers).sort()).toEqual([...ids].sort());
  });

  it("refuses a missing or wrong access token with HubRise's 401, echoing nothing", async () => {
    await start();
    const missing = await raw("/location", { token: null });
    expect(missing).toMatchObject({
      status: 401,
      body: { error_type: "unauthorized", message: expect.stringContaining("X-Access-Token") },
    });
    const wrong = await raw("/location/orders", { token: "b9922a78d3ffab6b95e9d72e88" });
    expect(wrong).toMatchObject({
      status: 401,
      body: { error_type: "unauthorized", message: "Invalid access token" },
    });
    expect(JSON.stringify(wrong.body)).not.toContain("b9922a78");
    // A Bearer token is not HubRise's scheme.
    const bearer = await raw("/location", {
      token: null,
      headers: { Authorization: `Bearer ${sandbox!.credentials.accessToken}` },
    });
    expect(bearer.status).toBe(401);
  });

  it("pages every order once through the client, at HubRise's page sizes", async () => {
    const { client, sandbox } = await start({ size: { orders: 1234, otherLocationOrders: 7 } });
    const sizes: number[] = [];
    const cursors: (string | undefined)[] = [];
    const ids: string[] = [];
    for await (const page of client.pages("/location/orders")) {
      sizes.push(page.items.length);
      cursors.push(hubrisePageInfo(page.response).nextCursor);
      ids.push(...idsOf(page.items));
    }
    expect(sizes).toEqual([...Array(12).fill(100), 34]);
    expect(cursors.slice(0, -1).every((c) => typeof c === "string")).toBe(true);
    expect(cursors.at(-1)).toBeUndefined();
    expect(new Set(ids).size).toBe(1234);
    // Oldest first, as created: the seeded positions in order.
    expect(ids.slice(0, 3)).toEqual([0, 1, 2].map((i) => sandbox.state.ids.orders.at(i)));

    const by50 = await collect(
      client.paginate("/location/orders", { params: { query: { count: 50 } } }),
      {
        limit: 5_000,
      },
    );
    expect(idsOf(by50)).toEqual(ids);
    const account = await collect(client.paginate("/account/orders"), { limit: 5_000 });
    expect(account).toHaveLength(1241);
    expect(new Set(idsOf(account)).size).toBe(1241);
    const lyon = await collect(
      client.paginate("/locations/{location_id}/orders", {
        params: { path: { location_id: "3r4s3-2" } },
      }),
      { limit: 100 },
    );
    expect(lyon.map((o) => o.location_id)).toEqual(Array(7).fill("3r4s3-2"));
    expect((await raw("/locations/zzzzz-9/orders")).body).toEqual({ error_type: "not_found" });
  });

  it("lists every order once while orders arrive, the new ones last", async () => {
    const { client, pos } = await start({ size: { orders: 250 } });
    const seen: string[] = [];
    const created: string[] = [];
    for await (const page of client.pages("/location/orders", {
      params: { query: { count: 40 } },
    })) {
      seen.push(...idsOf(page.items));
      if (created.length < 3) {
        const { data } = await pos.POST("/location/orders", { body: { status: "new" } });
        created.push(data.id);
      }
    }
    expect(seen).toHaveLength(253);
    expect(new Set(seen).size).toBe(253);
    expect(seen.slice(-3)).toEqual(created);
  });

  it("filters orders by status, creator, dates, customer and private ref", async () => {
    const { client } = await start({ size: { orders: 300 } });
    const all = await collect(client.paginate("/account/orders"), { limit: 1_000 });
    const matching = async (query: Record<string, string>) =>
      idsOf(
        await collect(client.paginate("/account/orders", { params: { query } }), { limit: 1_000 }),
      );
    const status = all.find((o) => o.status !== "completed")!.status;
    expect(await matching({ status })).toEqual(idsOf(all.filter((o) => o.status === status)));
    const creator = all[5]!.created_by;
    expect(await matching({ created_by: creator })).toEqual(
      idsOf(all.filter((o) => o.created_by === creator)),
    );
    // `after` is inclusive, `before` exclusive.
    const after = all[100]!.created_at;
    const before = all[150]!.created_at;
    expect(await matching({ after, before })).toEqual(idsOf(all.slice(100, 150)));
    const customerId = all.find((o) => o.customer?.id)!.customer!.id!;
    const theirs = await matching({ customer_id: customerId });
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs).toEqual(idsOf(all.filter((o) => o.customer?.id === customerId)));

    const { data: mine } = await client.POST("/location/orders", {
      body: { status: "accepted", private_ref: "ext-42" },
    });
    expect(await matching({ private_ref: "ext-42" })).toEqual([mine.id]);
    expect(await matching({ status: "accepted", private_ref: "nope" })).toEqual([]);
  });

  it("filters customers (wildcards, %2B) and loyalty cards", async () => {
    const { client } = await start({ size: { customers: 60 } });
    const { data: lists } = await client.GET("/location/customer_lists");
    const listId = lists[0]!.id;
    const path = { customer_list_id: listId };
    const customers = await collect(
      client.paginate("/customer_lists/{customer_list_id}/customers", { params: { path } }),
      {
        limit: 100,
      },
    );
    expect(customers).toHaveLength(60);
    const target = customers[7]!;
    const search = (query: Record<string, string>) =>
      collect(
        client.paginate("/customer_lists/{customer_list_id}/customers", {
          params: { path, query },
        }),
        { limit: 100 },
      );
    expect(idsOf(await search({ email: target.email! }))).toEqual([target.id]);
    expect(await search({ email: "*@EXAMPLE.com" })).toHaveLength(60);
    // The client encodes the phone's `+` as %2B …
    expect(idsOf(await search({ phone: target.phone! }))).toEqual([target.id]);
    expect(idsOf(await search({ phone: `${target.phone!.slice(0, 8)}*` }))).toContain(target.id);
    // … a literal `+` reads as a space, and finds nobody (HubRise's documented pitfall).
    const literal = await raw(`/customer_lists/${listId}/customers?phone=${target.phone}`);
    expect(literal.body).toEqual([]);

    const withCard = customers.find((c) => (c.loyalty_cards ?? []).length > 0)!;
    const { data: cards } = await client.GET("/customer_lists/{customer_list_id}/loyalty_cards", {
      params: { path, query: { customer_id: withCard.id } },
    });
    expect(idsOf(cards)).toEqual(idsOf(withCard.loyalty_cards!));
  });

  it("creates, reads and updates orders as HubRise computes them", async () => {
    const { client, sandbox } = await start({ size: { orders: 20 } });
    const { data: order } = await client.POST("/location/orders", {
      body: {
        status: "new",
        service_type: "delivery",
        items: [
          {
            ...item("Margherita", "9.50 EUR", "2"),
            options: [{ option_list_name: "Toppings", name: "Olives", price: "1.00 EUR" }],
            deal_line: { deal_key: "d7" },
          },
          item("Coca-Cola", "2.50 EUR"),
        ],
        deals: { d7: { name: "Pizza + drink" } },
        charges: [{ name: "Delivery fee", price: "2.00 EUR" }],
        discounts: [{ name: "Welcome", price_off: "3.00 EUR" }],
      },
    });
    expect(order).toMatchObject({
      location_id: "3r4s3-1",
      status: "new",
      created_by: "Sandbox App",
      total: "22.50 EUR",
      deals: { "0": { name: "Pizza + drink" } },
    });
    expect(order.id).toMatch(/^[0-9a-z]{5}$/);
    expect(order.items![0]).toMatchObject({
      subtotal: "21.00 EUR",
      deleted: false,
      deal_line: { deal_key: "0" },
    });
    expect(order.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const path = { order_id: order.id };
    expect((await client.GET("/location/orders/{order_id}", { params: { path } })).data).toEqual(
      order,
    );

    const drink = order.items![1]!.id!;
    const { data: updated } = await client.PATCH("/location/orders/{order_id}", {
      params: { path },
      body: {
        status: "accepted",
        seller_notes: "Extra napkins",
        items: [{ id: drink, deleted: true }, item("Tiramisu", "5.00 EUR")],
        payments: [{ name: "Card", amount: "25.00 EUR" }],
        custom_fields: { table: "7" },
      },
    });
    expect(updated).toMatchObject({
      status: "accepted",
      seller_notes: "Extra napkins",
      total: "25.00 EUR",
    });
    expect(updated.items!.map((i) => [i.product_name, i.deleted])).toEqual([
      ["Margherita", false],
      ["Coca-Cola", true],
      ["Tiramisu", false],
    ]);
    const { data: put } = await client.PUT("/location/orders/{order_id}", {
      params: { path },
      body: { custom_fields: { table: null, waiter: "Ana" } },
    });
    expect(put.custom_fields).toEqual({ waiter: "Ana" });
    const unknown = await raw(`/location/orders/${order.id}`, {
      method: "PATCH",
      body: JSON.stringify({ items: [{ id: "zzzzz", deleted: true }] }),
    });
    expect(unknown).toMatchObject({ status: 422, body: { errors: [{ field: "items[0].id" }] } });
    const dollars = await raw("/location/orders", {
      method: "POST",
      body: JSON.stringify({ status: "new", items: [item("Burger", "5.00 USD")] }),
    });
    expect(dollars).toMatchObject({
      status: 422,
      body: { errors: [{ field: "items[0].price", message: "must be in EUR" }] },
    });
    const dangling = await raw("/location/orders", {
      method: "POST",
      body: JSON.stringify({
        status: "new",
        items: [{ ...item("Pasta", "9.00 EUR"), deal_line: { deal_key: "9" } }],
      }),
    });
    expect(dangling).toMatchObject({
      status: 422,
      body: { errors: [{ field: "items[0].deal_line.deal_key" }] },
    });

    // A delivery: attached once, to a delivery order; its status stamps its times.
    const { data: delivery } = await client.POST("/location/orders/{order_id}/delivery", {
      params: { path },
      body: { carrier: "Stuart", status: "pickup_enroute", fee: "4.00 EUR" },
    });
    expect(delivery).toMatchObject({
      order_id: order.id,
      location_id: "3r4s3-1",
      carrier: "Stuart",
    });
    expect(delivery.assigned_at).toEqual(expect.any(String));
    const { data: moved } = await client.PATCH("/location/orders/{order_id}/delivery", {
      params: { path },
      body: { status: "delivered", driver_latitude: "48.85" },
    });
    expect(moved.delivered_at).toEqual(expect.any(String));
    const withDelivery = (await client.GET("/location/orders/{order_id}", { params: { path } }))
      .data;
    expect(withDelivery.delivery).toMatchObject({ status: "delivered" });
    expect(withDelivery.delivery).not.toHaveProperty("driver_latitude");
    const again = await raw(`/location/orders/${order.id}/delivery`, {
      method: "POST",
      body: JSON.stringify({ carrier: "Stuart", status: "pending" }),
    });
    expect(again.status).toBe(422);
    const fixed = await raw(`/location/orders/${order.id}/delivery`, {
      method: "PATCH",
      body: JSON.stringify({ carrier: "Uber Direct" }),
    });
    expect(fixed).toMatchObject({
      status: 422,
      body: { errors: [{ field: "carrier", message: "cannot be changed" }] },
    });
    const { data: pickup } = await client.POST("/location/orders", {
      body: { status: "new", service_type: "collection" },
    });
    expect((await raw(`/location/orders/${pickup.id}/delivery`)).status).toBe(404);
    expect(sandbox.state.orders.get(order.id)?.status).toBe("accepted");
  });

  it("attaches customers to orders and counts them, with loyalty operations", async () => {
    const { client } = await start({ size: { orders: 5, customers: 5 } });
    const listId = (await client.GET("/location/customer_lists")).data[0]!.id;
    const { data: customer } = await client.POST("/customer_lists/{customer_list_id}/customers", {
      params: { path: { customer_list_id: listId } },
      body: { first_name: "Zoé", private_ref: "crm-1", email: "zoe@example.com" },
    });
    expect(customer).toMatchObject({
      nb_orders: 0,
      order_total: "0.00 EUR",
      anonymised: false,
      loyalty_cards: [],
    });
    const { data: order } = await client.POST("/location/orders", {
      body: {
        status: "new",
        customer_list_id: listId,
        customer_private_ref: "crm-1",
        items: [item("Regina", "12.00 EUR")],
        loyalty_operations: [{ ref: "GOLD", delta: "12.0", reason: "Order" }],
      },
    });
    expect(order.customer).toMatchObject({ id: customer.id, first_name: "Zoé" });
    const { data: after } = await client.GET(
      "/customer_lists/{customer_list_id}/customers/{customer_id}",
      {
        params: { path: { customer_list_id: listId, customer_id: customer.id } },
      },
    );
    expect(after).toMatchObject({
      nb_orders: 1,
      order_total: "12.00 EUR",
      last_order_date: order.created_at,
    });
    expect(after.loyalty_cards).toEqual([
      { id: expect.any(String), ref: "GOLD", name: null, balance: "12.0" },
    ]);
    const both = await raw("/location/orders", {
      method: "POST",
      body: JSON.stringify({
        status: "new",
        customer_id: customer.id,
        customer: { first_name: "X" },
      }),
    });
    expect(both.status).toBe(422);
    const nobody = await raw("/location/orders", {
      method: "POST",
      body: JSON.stringify({ status: "new", customer_id: "zzzzz" }),
    });
    expect(nobody).toMatchObject({ status: 422, body: { errors: [{ field: "customer_id" }] } });
  });

  it("writes catalogs whole and reads them item by item, with images and inventories", async () => {
    const { client } = await start();
    const { data: catalog } = await client.POST("/location/catalogs", {
      body: {
        name: "Summer",
        data: {
          categories: [
            { ref: "DRINKS", name: "Drinks" },
            { ref: "SODA", name: "Sodas", parent_ref: "DRINKS" },
            { ref: "FOOD", name: "Food" },
          ],
          products: [
            {
              category_ref: "SODA",
              name: "Lemonade",
              skus: [{ ref: "LEM", price: "3.00 EUR", option_list_refs: ["ICE"] }],
            },
          ],
          option_lists: [
            { ref: "ICE", name: "Ice", type: "single", options: [{ ref: "CUBES", name: "Cubes" }] },
          ],
        },
      },
    });
    expect(catalog).toMatchObject({ name: "Summer", location_id: "3r4s3-1" });
    // Depth-first: a category's children right after it.
    expect(catalog.data!.categories!.map((c) => c.name)).toEqual(["Drinks", "Sodas", "Food"]);
    const path = { catalog_id: catalog.id };
    const { data: hidden } = await client.GET("/catalogs/{catalog_id}", {
      params: { path, query: { hide_data: true } },
    });
    expect(hidden).not.toHaveProperty("data");
    const { data: products } = await client.GET("/catalogs/{catalog_id}/products", {
      params: { path },
    });
    const product = products[0]!;
    const { data: skus } = await client.GET("/catalogs/{catalog_id}/products/{product_id}/skus", {
      params: { path: { ...path, product_id: product.id } },
    });
    expect(skus).toEqual([
      expect.objectContaining({ ref: "LEM", product_id: product.id, price: "3.00 EUR" }),
    ]);
    const { data: lists } = await client.GET("/catalogs/{catalog_id}/option_lists", {
      params: { path },
    });
    expect(lists[0]).toMatchObject({ min_selections: 1, max_selections: 1 });
    expect(skus[0]!.option_list_ids).toEqual([lists[0]!.id]);
    const { data: option } = await client.GET(
      "/catalogs/{catalog_id}/option_lists/{option_list_id}/options/{option_id}",
      {
        params: {
          path: { ...path, option_list_id: lists[0]!.id, option_id: lists[0]!.options![0]!.id },
        },
      },
    );
    expect(option).toMatchObject({ name: "Cubes", price: "0.00 EUR" });

    const taken = await raw("/location/catalogs", {
      method: "POST",
      body: JSON.stringify({ name: "Summer" }),
    });
    expect(taken).toMatchObject({ status: 422, body: { errors: [{ field: "name" }] } });
    const dangling = await raw("/location/catalogs", {
      method: "POST",
      body: JSON.stringify({
        name: "Broken",
        data: { products: [{ category_ref: "NONE", name: "X", skus: [{ price: "1.00 EUR" }] }] },
      }),
    });
    expect(dangling).toMatchObject({
      status: 422,
      body: { errors: [{ field: "data.products[0].category_ref" }] },
    });

    // An image: raw bytes in, metadata and the same bytes out; unused, it is purged in 30 days.
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(40, 7),
    ]);
    const upload = await raw(`/catalogs/${catalog.id}/images?private_ref=hero`, {
      method: "POST",
      body: png,
      headers: { "content-type": "image/png" },
    });
    expect(upload).toMatchObject({
      status: 200,
      body: { type: "image/png", size: 48, private_ref: "hero" },
    });
    const image = upload.body as { id: string; seconds_before_removal: number };
    expect(image.seconds_before_removal).toBeGreaterThan(29 * 86_400);
    const bytes = await fetch(`${sandbox!.url}/catalogs/${catalog.id}/images/${image.id}/data`, {
      headers: { "X-Access-Token": sandbox!.credentials.accessToken },
    });
    expect(bytes.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(png);
    const notPng = await raw(`/catalogs/${catalog.id}/images`, {
      method: "POST",
      body: Buffer.from("GIF89a-not-a-png"),
      headers: { "content-type": "image/png" },
    });
    expect(notPng.status).toBe(422);
    const { data: replaced } = await client.PUT("/catalogs/{catalog_id}", {
      params: { path },
      body: {
        name: "Summer 2",
        data: {
          categories: [{ ref: "C", name: "All", image_ids: [image.id] }],
          products: [
            { category_ref: "C", name: "Lemonade", skus: [{ ref: "LEM", price: "3.50 EUR" }] },
          ],
        },
      },
    });
    expect(replaced.name).toBe("Summer 2");
    const { data: images } = await client.GET("/catalogs/{catalog_id}/images", {
      params: { path },
    });
    expect(images).toEqual([
      expect.objectContaining({ id: image.id, seconds_before_removal: null }),
    ]);

    // Its inventory at the location: PUT replaces, PATCH upserts (null removes).
    const inventory = "/catalogs/{catalog_id}/location/inventory" as const;
    const { data: put } = await client.PUT(inventory, {
      params: { path },
      body: [{ sku_ref: "LEM", stock: "5" }],
    });
    expect(put).toEqual([{ sku_ref: "LEM", stock: "5" }]);
    const { data: patched } = await client.PATCH(inventory, {
      params: { path },
      body: [{ sku_ref: "LEM", stock: null }],
    });
    expect(patched).toEqual([{ sku_ref: "LEM", stock: null }]);
    expect((await client.GET(inventory, { params: { path } })).data).toEqual([]);
    const unknownRef = await raw(`/catalogs/${catalog.id}/location/inventory`, {
      method: "PATCH",
      body: JSON.stringify([{ option_ref: "NOPE", stock: "1" }]),
    });
    expect(unknownRef).toMatchObject({
      status: 422,
      body: { errors: [{ field: "[0].option_ref" }] },
    });

    await client.DELETE("/catalogs/{catalog_id}", { params: { path } });
    expect((await raw(`/catalogs/${catalog.id}`)).status).toBe(404);
    const { data: left } = await client.GET("/location/catalogs");
    expect(left.map((c) => c.name)).toEqual(["Bella Pizza", "Bella Pizza Drinks"]);
  });

  it("writes customer lists, customers and loyalty cards; anonymises for good", async () => {
    const { client, sandbox } = await start({ size: { orders: 200, customers: 20 } });
    const { data: list } = await client.POST("/account/customer_lists", { body: { name: "VIP" } });
    const duplicate = await raw("/location/customer_lists", {
      method: "POST",
      body: JSON.stringify({ name: "VIP" }),
    });
    expect(duplicate).toMatchObject({ status: 422, body: { errors: [{ field: "name" }] } });
    const { data: renamed } = await client.PATCH("/customer_lists/{customer_list_id}", {
      params: { path: { customer_list_id: list.id } },
      body: { name: "Very VIP" },
    });
    expect(renamed).toEqual({ ...list, name: "Very VIP" });
    expect((await client.GET("/account/customer_lists")).data.map((l) => l.name)).toContain(
      "Very VIP",
    );

    const path = { customer_list_id: list.id };
    const { data: created } = await client.POST("/customer_lists/{customer_list_id}/customers", {
      params: { path },
      body: { first_name: "Ana", phone: "+33612345678", custom_fields: { vip: true } },
    });
    const customerPath = { ...path, customer_id: created.id };
    const { data: updated } = await client.PATCH(
      "/customer_lists/{customer_list_id}/customers/{customer_id}",
      {
        params: { path: customerPath },
        body: { last_name: "Lima", custom_fields: { vip: null, tier: "gold" } },
      },
    );
    expect(updated).toMatchObject({
      first_name: "Ana",
      last_name: "Lima",
      custom_fields: { tier: "gold" },
    });

    const { data: card } = await client.POST("/customer_lists/{customer_list_id}/loyalty_cards", {
      params: { path },
      body: { customer_id: created.id, ref: "ANA" },
    });
    expect(card.balance).toBe("0.0");
    const cardPath = { ...path, loyalty_card_id: card.id };
    for (const delta of ["10", "-2.5", "4.25"]) {
      await client.POST(
        "/customer_lists/{customer_list_id}/loyalty_cards/{loyalty_card_id}/operations",
        {
          params: { path: cardPath },
          body: { delta },
        },
      );
    }
    const { data: operations } = await client.GET(
      "/customer_lists/{customer_list_id}/loyalty_cards/{loyalty_card_id}/operations",
      { params: { path: cardPath, query: { count: 2 } } },
    );
    expect(operations.map((o) => [o.delta, o.new_balance])).toEqual([
      ["4.25", "11.75"],
      ["-2.5", "7.5"],
    ]);
    const all = await collect(
      client.paginate(
        "/customer_lists/{customer_list_id}/loyalty_cards/{loyalty_card_id}/operations",
        {
          params: { path: cardPath, query: { count: 2 } },
        },
      ),
      { limit: 10 },
    );
    expect(all.map((o) => o.delta)).toEqual(["4.25", "-2.5", "10.0"]);
    expect(
      (
        await client.GET("/customer_lists/{customer_list_id}/loyalty_cards/{loyalty_card_id}", {
          params: { path: cardPath },
        })
      ).data.balance,
    ).toBe("11.75");

    // Anonymisation: the customer and every order of theirs lose their personal fields.
    const seededList = (await client.GET("/location/customer_lists")).data[0]!.id;
    const orders = await collect(client.paginate("/location/orders"), { limit: 1_000 });
    const member = orders.find((o) => o.customer?.id)!.customer!;
    await client.POST("/customer_lists/{customer_list_id}/customers/{customer_id}/anonymise", {
      params: { path: { customer_list_id: seededList, customer_id: member.id! } },
    });
    const memberPath = { customer_list_id: seededList, customer_id: member.id! };
    const { data: anonymous } = await client.GET(
      "/customer_lists/{customer_list_id}/customers/{customer_id}",
      {
        params: { path: memberPath },
      },
    );
    expect(anonymous).toMatchObject({
      anonymised: true,
      first_name: null,
      email: null,
      phone: null,
    });
    const { data: ignored } = await client.PATCH(
      "/customer_lists/{customer_list_id}/customers/{customer_id}",
      {
        params: { path: memberPath },
        body: { first_name: "Back", sms_marketing: true },
      },
    );
    expect(ignored).toMatchObject({ first_name: null, sms_marketing: true });
    const theirs = await collect(
      client.paginate("/location/orders", { params: { query: { customer_id: member.id! } } }),
      { limit: 1_000 },
    );
    expect(theirs.length).toBeGreaterThan(0);
    expect(
      theirs.every((o) => o.customer?.anonymised === true && o.customer.first_name === null),
    ).toBe(true);

    await client.DELETE("/customer_lists/{customer_list_id}", { params: { path } });
    expect((await raw(`/customer_lists/${list.id}/customers/${created.id}`)).status).toBe(404);
    expect(sandbox.state.customerLists.get(list.id)).toBeUndefined();
  });

  it("updates a location's hours as HubRise checks them", async () => {
    const { client } = await start();
    const { data: location } = await client.PATCH("/location", {
      body: {
        cutoff_time: "05:00",
        opening_hours: {
          saturday: [
            { from: "11:00", to: "15:00" },
            { from: "18:00", to: "02:00" },
          ],
        },
        custom_fields: { delivery: null, parking: "yes" },
      },
    });
    expect(location).toMatchObject({
      id: "3r4s3-1",
      cutoff_time: "05:00",
      custom_fields: { parking: "yes" },
    });
    expect((await client.GET("/location")).data).toEqual(location);
    const overlap = await raw("/location", {
      method: "PATCH",
      body: JSON.stringify({
        opening_hours: {
          monday: [
            { from: "10:00", to: "14:00" },
            { from: "13:00", to: "15:00" },
          ],
        },
      }),
    });
    expect(overlap).toMatchObject({
      status: 422,
      body: { errors: [{ field: "opening_hours.monday[1]" }] },
    });
    const readOnly = await raw("/location", {
      method: "PATCH",
      body: JSON.stringify({ name: "Marseille" }),
    });
    expect(readOnly).toMatchObject({
      status: 422,
      body: { errors: [{ field: "name", message: "is not a known field" }] },
    });
  });

  it("enforces the fixed windows on the sandbox's clock: a 429 in HubRise's shape, with Retry-After", async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 10, 0, 30));
    await start({ clock, limits: { minute: 3, hour: 5 } });
    for (let i = 0; i < 3; i++) expect((await raw("/location")).status).toBe(200);
    const refused = await raw("/location");
    expect(refused).toMatchObject({ status: 429, body: { error_type: "too_many_requests" } });
    expect(refused.headers.get("retry-after")).toBe("30");
    // Refused requests are not counted; the next minute starts a new window (the hour's has 2 left).
    await clock.advance(30_000);
    expect((await raw("/location")).status).toBe(200);
    expect((await raw("/location")).status).toBe(200);
    const hour = await raw("/location");
    expect(hour.status).toBe(429);
    expect(hour.headers.get("retry-after")).toBe(String(59 * 60));
    // Another connection has windows of its own.
    expect((await raw("/location", { token: sandbox!.credentials.otherAccessToken })).status).toBe(
      200,
    );
  });

  it("counts heavy queries in their own bucket of 10 a minute", async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 10, 0, 0));
    await start({ clock, limits: {} });
    for (let i = 0; i < 10; i++) expect((await raw("/location/orders?count=1")).status).toBe(200);
    expect((await raw("/account/orders?count=1")).status).toBe(429);
    expect((await raw(`/catalogs/${sandbox!.state.catalogs.at(0)!.catalog.id}`)).status).toBe(429);
    // Light requests, and writes to the same paths, still pass.
    expect((await raw("/location")).status).toBe(200);
    expect(
      (await raw("/location/orders", { method: "POST", body: '{"status":"new"}' })).status,
    ).toBe(200);
    await clock.advance(60_000);
    expect((await raw("/location/orders?count=1")).status).toBe(200);
  });

  it("names each violation of the description, with HubRise's status and body", async () => {
    await start();
    expect(await raw("/location/orders?count=abc")).toMatchObject({
      status: 422,
      body: {
        message: "Validation failed: count must be integer",
        errors: [{ field: "count", message: "must be integer" }],
        error_type: "unprocessable_entity",
      },
    });
    expect((await raw("/location/orders?count=101")).body).toMatchObject({
      errors: [{ field: "count", message: "must be <= 100" }],
    });
    const status = await raw("/location/orders?status=shipped");
    expect(status).toMatchObject({ status: 422, body: { errors: [{ field: "status" }] } });
    expect(JSON.stringify(status.body)).toContain("must be equal to one of the allowed values");
    expect(
      await raw("/location/orders", { method: "POST", body: JSON.stringify({ items: [] }) }),
    ).toMatchObject({
      status: 422,
      body: {
        message: "Validation failed: status is required",
        errors: [{ field: "status", message: "is required" }],
      },
    });
    const price = await raw("/location/orders", {
      method: "POST",
      body: JSON.stringify({
        status: "new",
        items: [{ product_name: "X", price: "abc", quantity: "1" }],
      }),
    });
    expect(price).toMatchObject({ status: 422, body: { errors: [{ field: "items[0].price" }] } });
    expect(await raw("/location/orders?cursor=!!", {})).toMatchObject({
      status: 422,
      body: { errors: [{ field: "cursor" }] },
    });
    expect(
      await raw("/location/orders", {
        method: "POST",
        body: "{",
        headers: { "content-type": "application/json" },
      }),
    ).toMatchObject({
      status: 400,
      body: {
        error_type: "unprocessable_entity",
        message: expect.stringContaining("invalid JSON"),
      },
    });
    expect(
      await raw("/location/orders", {
        method: "POST",
        body: "status=new",
        headers: { "content-type": "text/plain" },
      }),
    ).toMatchObject({
      status: 415,
      body: { error_type: "unsupported_media_type" },
    });
    expect(await raw("/orders")).toMatchObject({
      status: 404,
      body: { error_type: "routing_error" },
    });
    expect(await raw("/location", { method: "DELETE" })).toMatchObject({
      status: 404,
      body: { error_type: "routing_error", message: expect.stringContaining("GET, PATCH") },
    });
  });

  it("plays faults queued through the API and asked for by the X-Sandbox-Fault header", async () => {
    const { client, sandbox } = await start({ size: { orders: 250 } });
    sandbox.inject({ status: 503, times: 2, on: { operationId: "getCurrentLocation" } });
    expect((await raw("/location/orders?count=1")).status).toBe(200);
    expect(await raw("/location")).toMatchObject({
      status: 503,
      body: { error_type: "internal_error" },
    });
    expect((await raw("/location")).status).toBe(503);
    expect((await raw("/location")).status).toBe(200);

    const limited = await raw("/location", {
      headers: { "X-Sandbox-Fault": '{"status":429,"retryAfter":7}' },
    });
    expect(limited).toMatchObject({ status: 429, body: { error_type: "too_many_requests" } });
    expect(limited.headers.get("retry-after")).toBe("7");
    const empty = await raw("/location/orders", {
      headers: { "X-Sandbox-Fault": '{"kind":"empty-page"}' },
    });
    expect(empty.body).toEqual([]);
    expect(empty.headers.get("x-cursor-next")).toEqual(expect.any(String));
    // An unreadable fault header is a request violation, named.
    expect(await raw("/location", { headers: { "X-Sandbox-Fault": "{oops" } })).toMatchObject({
      status: 422,
      body: { errors: [{ field: "x-sandbox-fault" }] },
    });

    // The client's guards against broken paging, each fault played by the sandbox.
    sandbox.inject({ kind: "empty-page", times: 3, on: { path: /[?&]cursor=/ } });
    const empties = await collect(client.paginate("/location/orders"), { limit: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(empties).toBeInstanceOf(PaginationError);
    expect((empties as PaginationError).reason).toBe("too-many-empty-pages");
    sandbox.inject({ kind: "paging-ignored", times: Infinity });
    const ignored = await collect(client.paginate("/location/orders"), { limit: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect((ignored as PaginationError).reason).toBe("page-not-advancing");
    sandbox.clearFaults();
    sandbox.inject({ kind: "paging-header", value: "a b" });
    const malformed = await collect(client.paginate("/location/orders"), { limit: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect((malformed as PaginationError).reason).toBe("malformed-header");
    expect(await collect(client.paginate("/location/orders"), { limit: 1_000 })).toHaveLength(250);
  });

  it("is deterministic by seed", async () => {
    const snapshot = async (seed: string) => {
      const { client, sandbox } = await start({ seed, size: { orders: 30, customers: 10 } });
      const orders = (await client.GET("/location/orders")).data;
      const listId = (await client.GET("/location/customer_lists")).data[0]!.id;
      const customers = (
        await client.GET("/customer_lists/{customer_list_id}/customers", {
          params: { path: { customer_list_id: listId } },
        })
      ).data;
      const catalog = (
        await client.GET("/catalogs/{catalog_id}", {
          params: { path: { catalog_id: sandbox.state.catalogs.at(0)!.catalog.id } },
        })
      ).data;
      const result = {
        credentials: sandbox.credentials,
        orders,
        customers,
        catalog,
        user: (await client.GET("/user")).data,
      };
      await sandbox.close();
      expect(sandbox.violations).toEqual([]);
      return result;
    };
    const a = await snapshot("a");
    expect(await snapshot("a")).toEqual(a);
    const b = await snapshot("b");
    expect(b.orders).not.toEqual(a.orders);
    expect(b.customers).not.toEqual(a.customers);
    expect(b.catalog).not.toEqual(a.catalog);
    expect(b.credentials.accessToken).not.toBe(a.credentials.accessToken);
    sandbox = undefined;
  });

  it("serves a user's own records, checked against the description", async () => {
    const source = await startHubriseSandbox({ size: { orders: 3, otherLocationOrders: 1 } });
    const mine = [...Array(4).keys()].map((i) =>
      source.state.orders.get(source.state.ids.orders.at(i))!,
    );
    await source.close();
    const { client } = await start({
      data: {
        orders: mine,
        customers: [
          { id: "cus01", customer_list_id: "lst01", anonymised: false, first_name: "Mia" },
        ],
      },
    });
    expect(idsOf(await collect(client.paginate("/account/orders"), { limit: 10 }))).toEqual(
      idsOf(mine),
    );
    expect((await client.GET("/location/orders")).data).toHaveLength(3);
    const { data: customer } = await client.GET(
      "/customer_lists/{customer_list_id}/customers/{customer_id}",
      {
        params: { path: { customer_list_id: "lst01", customer_id: "cus01" } },
      },
    );
    expect(customer).toMatchObject({ first_name: "Mia", loyalty_cards: [] });
    // New records follow the user's.
    const { data: created } = await client.POST("/location/orders", { body: { status: "new" } });
    expect(idsOf((await client.GET("/location/orders")).data).at(-1)).toBe(created.id);

    await expect(
      startHubriseSandbox({ data: { orders: [{ ...mine[0]!, total: "12 EUR" }] } }),
    ).rejects.toThrow(/data\.orders\[0\] is not a Order: \/total must match pattern/);
    await expect(
      startHubriseSandbox({ data: { orders: [{ ...mine[0]!, location_id: "elsewhere" }] } }),
    ).rejects.toThrow(/data\.orders\[0\]\.location_id elsewhere is not a location of the account/);
  });

  it("installs through OAuth: the tokens it issues are connections of the API, until revoked", async () => {
    const { sandbox } = await start();
    const oauth = hubriseOAuth({ ...sandbox.credentials, oauthUrl: sandbox.oauthUrl });
    const { url, state } = oauth.authorizeUrl({
      redirectUri: "https://app.example/callback",
      scope: "location[orders.read]",
    });
    const authorize = await fetch(url, { redirect: "manual" });
    const tokens = await oauth.handleCallback(authorize.headers.get("location")!, {
      expectedState: state,
    });
    expect(tokens.response).toMatchObject({
      account_id: "3r4s3",
      location_id: "3r4s3-1",
      location_name: "Paris",
    });
    const app = createHubriseClient(
      { accessToken: tokens.accessToken },
      { baseUrl: sandbox.url, limits: false },
    );
    expect((await app.GET("/location")).data?.id).toBe("3r4s3-1");
    await oauth.revoke(tokens.accessToken);
    expect((await app.GET("/location")).response.status).toBe(401);

    // The description's /token under the API's base path: the SDK's JSON body is taken too; a
    // used code is a 400 without a body (the description documents none).
    const second = oauth.authorizeUrl({
      redirectUri: "https://app.example/callback",
      scope: "profile",
    });
    const code = new URL(
      (await fetch(second.url, { redirect: "manual" })).headers.get("location")!,
    ).searchParams.get("code")!;
    const body = JSON.stringify({
      client_id: sandbox.credentials.clientId,
      client_secret: sandbox.credentials.clientSecret,
      code,
    });
    const exchange = await raw("/token", { token: null, method: "POST", body });
    expect(exchange).toMatchObject({
      status: 200,
      body: { access_token: expect.any(String), location_id: "3r4s3-1" },
    });
    expect(await raw("/token", { token: null, method: "POST", body })).toMatchObject({
      status: 400,
      body: undefined,
    });
  });

  it("delivers signed callbacks for other apps' changes, and lists the events it could not deliver", async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));
    const { client, pos, sandbox } = await start({ clock, size: { orders: 10 } });
    const secret = sandbox.credentials.clientSecret;
    let answer = 200;
    const app = await receiver(secret, () => answer);
    await client.POST("/callback", {
      body: { url: app.url, events: { order: ["create", "update"], customer: ["create"] } },
    });
    expect((await client.GET("/callback")).data).toEqual({
      url: app.url,
      events: { order: ["create", "update"], customer: ["create"] },
    });

    // The app's own change is not sent back to it; the POS's are.
    await client.POST("/location/orders", { body: { status: "new" } });
    const { data: order } = await pos.POST("/location/orders", {
      body: { status: "new", items: [item("Napoli", "11.00 EUR")] },
    });
    await pos.PATCH("/location/orders/{order_id}", {
      params: { path: { order_id: order.id } },
      body: { status: "accepted" },
    });
    await sandbox.settled();
    expect(app.received.map((r) => `${r.event.resource_type}.${r.event.event_type}`)).toEqual([
      "order.create",
      "order.update",
    ]);
    const [created, updated] = app.received;
    expect(await verifyHubriseSignature(created!.body, created!.signature, secret)).toBe(true);
    expect(await verifyHubriseSignature(created!.body, created!.signature, `${secret}x`)).toBe(
      false,
    );
    expect(created!.event).toMatchObject({
      order_id: order.id,
      location_id: "3r4s3-1",
      new_state: { id: order.id, total: "11.00 EUR" },
    });
    expect(updated!.event).toMatchObject({
      previous_state: { status: "new" },
      new_state: { status: "accepted" },
    });
    const check = schemaChecker(loadDescription("hubrise").doc).check;
    for (const r of app.received)
      expect(check("#/components/schemas/OrderEvent", JSON.parse(r.body))).toEqual([]);
    // Acknowledged (2xx): nothing waits.
    expect((await client.GET("/callback/events")).data).toEqual([]);

    // A receiver failing with 500: the event waits in the list and is sent again a minute later.
    answer = 500;
    await pos.PATCH("/location/orders/{order_id}", {
      params: { path: { order_id: order.id } },
      body: { status: "in_preparation" },
    });
    await sandbox.settled();
    const { data: waiting } = await client.GET("/callback/events");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      resource_type: "order",
      event_type: "update",
      order_id: order.id,
    });
    expect(waiting[0]).not.toHaveProperty("new_state");
    const { data: full } = await client.GET("/callback/events/{event_id}", {
      params: { path: { event_id: waiting[0]!.id } },
    });
    expect(full.new_state).toMatchObject({ status: "in_preparation" });
    answer = 200;
    await clock.advance(60_000);
    await sandbox.settled();
    expect(app.received).toHaveLength(4);
    expect(app.received[3]!.body).toBe(app.received[2]!.body);
    expect((await client.GET("/callback/events")).data).toEqual([]);

    // A passive callback: events wait until deleted.
    await client.POST("/callback", { body: { url: null, events: { customer: ["create"] } } });
    const listId = (await pos.GET("/location/customer_lists")).data[0]!.id;
    await pos.POST("/customer_lists/{customer_list_id}/customers", {
      params: { path: { customer_list_id: listId } },
      body: { first_name: "Léo" },
    });
    const { data: events } = await client.GET("/callback/events");
    expect(events).toEqual([
      expect.objectContaining({
        resource_type: "customer",
        event_type: "create",
        customer_list_id: listId,
      }),
    ]);
    const eventPath = { event_id: events[0]!.id };
    expect(
      (await client.GET("/callback/events/{event_id}", { params: { path: eventPath } })).data
        .new_state,
    ).toMatchObject({
      first_name: "Léo",
    });
    await client.DELETE("/callback/events/{event_id}", { params: { path: eventPath } });
    expect((await raw(`/callback/events/${eventPath.event_id}`)).status).toBe(404);
    await client.DELETE("/callback");
    expect((await client.GET("/callback")).data).toEqual({ url: null, events: {} });
    expect(app.received).toHaveLength(4);
  });

  it("answers a browser page on another origin when started with cors", async () => {
    const { sandbox } = await start({ cors: true });
    const preflight = await fetch(`${sandbox.url}/location/orders`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://127.0.0.1:9",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-access-token",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("x-access-token");
    const page = await raw("/location/orders?count=1", {
      headers: { Origin: "http://127.0.0.1:9" },
    });
    expect(page.headers.get("access-control-allow-origin")).toBe("*");
    expect(page.headers.get("x-cursor-next")).toEqual(expect.any(String));
  });

  it("sends an app its own changes too when asked (callbacks.ownEvents)", async () => {
    const { client, sandbox } = await start({ callbacks: { ownEvents: true } });
    const app = await receiver(sandbox.credentials.clientSecret);
    await client.POST("/callback", { body: { url: app.url, events: { order: ["create"] } } });
    const { data: order } = await client.POST("/location/orders", { body: { status: "new" } });
    await sandbox.settled();
    expect(app.received.map((r) => r.event)).toEqual([
      expect.objectContaining({ resource_type: "order", event_type: "create", order_id: order.id }),
    ]);
  });

  it("posts an event of the test's own, signed, with deliver()", async () => {
    const { client, sandbox } = await start();
    const app = await receiver(sandbox.credentials.clientSecret);
    await client.POST("/callback", { body: { url: app.url, events: { location: ["update"] } } });
    const event = {
      id: "evt01",
      resource_type: "location",
      event_type: "update",
      created_at: "2026-03-02T12:00:00+01:00",
      location_id: "3r4s3-1",
    };
    const delivery = await sandbox.deliver(event);
    expect(delivery.status).toBe(200);
    expect(app.received.map((r) => r.event)).toEqual([event]);
    expect(sandbox.deliveries.at(-1)).toBe(delivery);
  });
});
