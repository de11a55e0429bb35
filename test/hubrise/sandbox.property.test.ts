// Random sequences of writes and lists against the HubRise sandbox, through the real client and
// its cursor paging: every list reflects the writes before it (every record once, in order, with
// its last values; filters keep exactly what they should), the callback's event list holds the
// other app's changes until they are acknowledged, and every answer fits the description.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect, createHubriseClient } from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";

const STATUSES = ["new", "accepted", "in_preparation", "completed", "cancelled"] as const;
type Status = (typeof STATUSES)[number];
const LOCATIONS = ["3r4s3-1", "3r4s3-2"] as const;

type Step =
  | { kind: "create-order"; status: Status; at: 0 | 1; byPos: boolean }
  | { kind: "update-order"; pick: number; status: Status; byPos: boolean }
  | { kind: "list-orders"; count: number; status: Status | undefined; at: 0 | 1 | undefined }
  | { kind: "create-customer"; name: string }
  | { kind: "update-customer"; pick: number; name: string }
  | { kind: "list-customers"; count: number }
  | { kind: "create-catalog" }
  | { kind: "delete-catalog"; pick: number }
  | { kind: "list-catalogs"; count: number }
  | { kind: "create-list" }
  | { kind: "delete-list"; pick: number }
  | { kind: "list-lists"; count: number }
  | { kind: "ack-event"; pick: number }
  | { kind: "list-events"; count: number };

const count = fc.integer({ min: 1, max: 100 });
const status = fc.constantFrom(...STATUSES);
const name = fc.constantFrom("Ana", "Léo", "Zoé", "Marc", "Inès");
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("create-order" as const),
    status,
    at: fc.constantFrom(0 as const, 1 as const),
    byPos: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("update-order" as const),
    pick: fc.nat(),
    status,
    byPos: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("list-orders" as const),
    count,
    status: fc.option(status, { nil: undefined }),
    at: fc.option(fc.constantFrom(0 as const, 1 as const), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("create-customer" as const), name }),
  fc.record({ kind: fc.constant("update-customer" as const), pick: fc.nat(), name }),
  fc.record({ kind: fc.constant("list-customers" as const), count }),
  fc.record({ kind: fc.constant("create-catalog" as const) }),
  fc.record({ kind: fc.constant("delete-catalog" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("list-catalogs" as const), count }),
  fc.record({ kind: fc.constant("create-list" as const) }),
  fc.record({ kind: fc.constant("delete-list" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("list-lists" as const), count }),
  fc.record({ kind: fc.constant("ack-event" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("list-events" as const), count }),
);

describe("HubRise sandbox, random writes and lists", () => {
  it("lists what was written, every record once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.array(step, { maxLength: 30 }),
        async (orders, customers, seed, steps) => {
          const sandbox = await startHubriseSandbox({
            validate: true,
            seed,
            limits: false,
            size: { orders, otherLocationOrders: orders % 5, customers },
          });
          try {
            const options = {
              baseUrl: sandbox.url,
              limits: false,
              retry: false,
              throwOnError: true,
            } as const;
            const app = createHubriseClient(sandbox.credentials, options);
            const pos = createHubriseClient(
              { accessToken: sandbox.credentials.otherAccessToken },
              options,
            );
            const all = <T>(iterable: AsyncIterable<T>) => collect(iterable, { limit: 100_000 });

            // The models, in list order.
            const orderModel = (await all(app.paginate("/account/orders"))).map((o) => ({
              id: o.id,
              status: o.status,
              location: o.location_id,
            }));
            const listId = (await app.GET("/location/customer_lists")).data[0]!.id;
            const customersPath = { customer_list_id: listId };
            const customerModel = new Map(
              (
                await all(
                  app.paginate("/customer_lists/{customer_list_id}/customers", {
                    params: { path: customersPath },
                  }),
                )
              ).map((c) => [c.id, c.first_name ?? null]),
            );
            const catalogModel = (await app.GET("/location/catalogs")).data.map((c) => ({
              id: c.id,
              name: c.name,
            }));
            const listModel = (await app.GET("/account/customer_lists")).data.map((l) => ({
              id: l.id,
              name: l.name,
            }));
            const eventModel: { id?: string; order: string; type: string }[] = [];
            await app.POST("/callback", {
              body: { url: null, events: { order: ["create", "update"] } },
            });
            let made = 0;
            /** The events the app's callback waits with, once listed (their ids are the sandbox's). */
            const syncEventIds = async () => {
              const events = await all(app.paginate("/callback/events"));
              expect(events.map((e) => [e.order_id, e.event_type])).toEqual(
                eventModel.map((e) => [e.order, e.type]),
              );
              events.forEach((e, i) => (eventModel[i]!.id = e.id));
              return events;
            };

            for (const s of steps) {
              switch (s.kind) {
                case "create-order": {
                  const client = s.byPos ? pos : app;
                  const { data } = await client.POST("/locations/{location_id}/orders", {
                    params: { path: { location_id: LOCATIONS[s.at] } },
                    body: {
                      status: s.status,
                      items: [{ product_name: "Napoli", price: "10.00 EUR", quantity: "1" }],
                    },
                  });
                  expect(data).toMatchObject({
                    status: s.status,
                    location_id: LOCATIONS[s.at],
                    total: "10.00 EUR",
                  });
                  orderModel.push({ id: data.id, status: s.status, location: LOCATIONS[s.at] });
                  if (s.byPos) eventModel.push({ order: data.id, type: "create" });
                  break;
                }
                case "update-order": {
                  if (orderModel.length === 0) break;
                  const order = orderModel[s.pick % orderModel.length]!;
                  const client = s.byPos ? pos : app;
                  const { data } = await client.PATCH(
                    "/locations/{location_id}/orders/{order_id}",
                    {
                      params: { path: { location_id: order.location, order_id: order.id } },
                      body: { status: s.status },
                    },
                  );
                  expect(data.status).toBe(s.status);
                  order.status = s.status;
                  if (s.byPos) eventModel.push({ order: order.id, type: "update" });
                  break;
                }
                case "list-orders": {
                  const query = { count: s.count, ...(s.status ? { status: s.status } : {}) };
                  const rows =
                    s.at === undefined
                      ? await all(app.paginate("/account/orders", { params: { query } }))
                      : await all(
                          app.paginate("/locations/{location_id}/orders", {
                            params: { path: { location_id: LOCATIONS[s.at] }, query },
                          }),
                        );
                  const expected = orderModel.filter(
                    (o) =>
                      (s.status === undefined || o.status === s.status) &&
                      (s.at === undefined || o.location === LOCATIONS[s.at]),
                  );
                  expect(rows.map((r) => [r.id, r.status, r.location_id])).toEqual(
                    expected.map((o) => [o.id, o.status, o.location]),
                  );
                  break;
                }
                case "create-customer": {
                  const { data } = await app.POST("/customer_lists/{customer_list_id}/customers", {
                    params: { path: customersPath },
                    body: { first_name: s.name },
                  });
                  customerModel.set(data.id, s.name);
                  break;
                }
                case "update-customer": {
                  const ids = [...customerModel.keys()];
                  if (ids.length === 0) break;
                  const id = ids[s.pick % ids.length]!;
                  await app.PATCH("/customer_lists/{customer_list_id}/customers/{customer_id}", {
                    params: { path: { ...customersPath, customer_id: id } },
                    body: { first_name: s.name },
                  });
                  customerModel.set(id, s.name);
                  break;
                }
                case "list-customers": {
                  const rows = await all(
                    app.paginate("/customer_lists/{customer_list_id}/customers", {
                      params: { path: customersPath, query: { count: s.count } },
                    }),
                  );
                  expect(rows.map((r) => [r.id, r.first_name])).toEqual([...customerModel]);
                  break;
                }
                case "create-catalog": {
                  const catalogName = `Menu ${made++}`;
                  const { data } = await app.POST("/location/catalogs", {
                    body: { name: catalogName },
                  });
                  catalogModel.push({ id: data.id, name: catalogName });
                  break;
                }
                case "delete-catalog": {
                  if (catalogModel.length === 0) break;
                  const [gone] = catalogModel.splice(s.pick % catalogModel.length, 1);
                  await app.DELETE("/catalogs/{catalog_id}", {
                    params: { path: { catalog_id: gone!.id } },
                  });
                  break;
                }
                case "list-catalogs": {
                  const rows = await all(
                    app.paginate("/location/catalogs", { params: { query: { count: s.count } } }),
                  );
                  expect(rows.map((r) => [r.id, r.name])).toEqual(
                    catalogModel.map((c) => [c.id, c.name]),
                  );
                  break;
                }
                case "create-list": {
                  const listName = `List ${made++}`;
                  const { data } = await app.POST("/account/customer_lists", {
                    body: { name: listName },
                  });
                  listModel.push({ id: data.id, name: listName });
                  break;
                }
                case "delete-list": {
                  if (listModel.length === 0) break;
                  const [gone] = listModel.splice(s.pick % listModel.length, 1);
                  await app.DELETE("/customer_lists/{customer_list_id}", {
                    params: { path: { customer_list_id: gone!.id } },
                  });
                  break;
                }
                case "list-lists": {
                  const rows = await all(
                    app.paginate("/account/customer_lists", {
                      params: { query: { count: s.count } },
                    }),
                  );
                  expect(rows.map((r) => [r.id, r.name])).toEqual(
                    listModel.map((l) => [l.id, l.name]),
                  );
                  break;
                }
                case "ack-event": {
                  if (eventModel.length === 0) break;
                  await syncEventIds();
                  const [acked] = eventModel.splice(s.pick % eventModel.length, 1);
                  await app.DELETE("/callback/events/{event_id}", {
                    params: { path: { event_id: acked!.id! } },
                  });
                  break;
                }
                case "list-events": {
                  const rows = await all(
                    app.paginate("/callback/events", { params: { query: { count: s.count } } }),
                  );
                  expect(rows.map((e) => [e.order_id, e.event_type])).toEqual(
                    eventModel.map((e) => [e.order, e.type]),
                  );
                  break;
                }
              }
            }
            await syncEventIds();
            expect(sandbox.violations).toEqual([]);
          } finally {
            await sandbox.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
