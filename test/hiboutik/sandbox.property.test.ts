// Random sequences of writes (customers created, renamed, deleted; products created, repriced,
// archived and brought back; sales opened, filled and closed) and list calls through the real
// client's paging, against a model of what the account should hold: every list reflects every
// write before it, holds every item exactly once and in order, and every response fits the
// description (the sandbox runs with `validate: true`; `violations` must stay empty).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect, createHiboutikClient, type HiboutikClient } from "../../src/hiboutik/index.js";
import { type HiboutikSandbox, startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { ManualClock } from "../support/manual-clock.js";

/** 12 January 2026 in Paris, after the seeded days: sales closed by the run close "today". */
const TODAY = Date.UTC(2026, 0, 12, 9);
const PAGE_SIZE = 7;

type Op =
  | { kind: "createCustomer"; last: string }
  | { kind: "renameCustomer"; pick: number; last: string }
  | { kind: "deleteCustomer"; pick: number }
  | { kind: "listCustomers"; concurrency: number }
  | { kind: "createProduct"; model: string; price: number; archived: boolean }
  | { kind: "repriceProduct"; pick: number; price: number }
  | { kind: "archiveProduct"; pick: number; archived: boolean }
  | { kind: "listProducts"; concurrency: number }
  | { kind: "sell"; pick: number; price: number; quantity: number }
  | { kind: "listCustomerSales"; pick: number }
  | { kind: "listTodaysSales" };

const name = fc.string({ minLength: 1, maxLength: 12 });
const price = fc.integer({ min: 0, max: 99_999 });
const pick = fc.nat();
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("createCustomer" as const), last: name }),
  fc.record({ kind: fc.constant("renameCustomer" as const), pick, last: name }),
  fc.record({ kind: fc.constant("deleteCustomer" as const), pick }),
  fc.record({
    kind: fc.constant("listCustomers" as const),
    concurrency: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant("createProduct" as const),
    model: name,
    price,
    archived: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("repriceProduct" as const), pick, price }),
  fc.record({ kind: fc.constant("archiveProduct" as const), pick, archived: fc.boolean() }),
  fc.record({
    kind: fc.constant("listProducts" as const),
    concurrency: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant("sell" as const),
    pick,
    price,
    quantity: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant("listCustomerSales" as const), pick }),
  fc.constant({ kind: "listTodaysSales" as const }),
);

const money = (cents: number) =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/** What the account should hold, kept by the test from the writes it made. */
interface Model {
  customers: Map<number, string>;
  products: Map<number, { price: string; archived: boolean }>;
  /** Sale ids by customer, in order. */
  salesOf: Map<number, number[]>;
  /** Sales closed today in store 1, with their totals. */
  today: [number, string][];
  nextCustomer: number;
  nextProduct: number;
  nextSale: number;
}

function modelOf(sb: HiboutikSandbox): Model {
  const salesOf = new Map<number, number[]>();
  for (const sale of sb.state.sales.values()) {
    if (sale.customer_id === 0) continue;
    salesOf.set(sale.customer_id, [...(salesOf.get(sale.customer_id) ?? []), sale.sale_id]);
  }
  return {
    customers: new Map(
      Array.from(sb.state.customers.values(), (c) => [c.customers_id, String(c.last_name)]),
    ),
    products: new Map(
      Array.from(sb.state.products.values(), (p) => [
        p.product_id,
        { price: String(p.product_price), archived: p.product_arch === 1 },
      ]),
    ),
    salesOf,
    today: [],
    nextCustomer: sb.state.customers.size + 1,
    nextProduct: sb.state.products.size + 1,
    nextSale: sb.state.sales.size + 1,
  };
}

const nth = <T>(keys: Iterable<T>, n: number): T | undefined => {
  const list = [...keys];
  return list.length === 0 ? undefined : list[n % list.length];
};

async function run(sb: HiboutikSandbox, client: HiboutikClient<true>, model: Model, step: Op) {
  switch (step.kind) {
    case "createCustomer": {
      const { data } = await client.POST("/customers/", {
        body: { customers_last_name: step.last },
      });
      expect(data.customers_id).toBe(model.nextCustomer);
      model.customers.set(model.nextCustomer++, step.last);
      return;
    }
    case "renameCustomer": {
      const id = nth(model.customers.keys(), step.pick);
      if (id === undefined) return;
      await client.PUT("/customer/{customers_id}", {
        params: { path: { customers_id: id } },
        body: { customers_attribute: "last_name", new_value: step.last },
      });
      model.customers.set(id, step.last);
      return;
    }
    case "deleteCustomer": {
      const id = nth(model.customers.keys(), step.pick);
      if (id === undefined) return;
      await client.DELETE("/customer/{customers_id}", { params: { path: { customers_id: id } } });
      model.customers.delete(id);
      return;
    }
    case "listCustomers": {
      const rows = await collect(
        client.paginate("/customers/", {}, { concurrency: step.concurrency }),
        {
          limit: 10_000,
        },
      );
      const ids = rows.map((c) => c.customers_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(rows.map((c) => [c.customers_id, c.last_name])).toEqual([...model.customers]);
      return;
    }
    case "createProduct": {
      const { data, response } = await client.POST("/products/", {
        body: {
          product_model: step.model,
          product_price: money(step.price),
          product_arch: step.archived ? 1 : 0,
        },
      });
      expect(response.status).toBe(201);
      expect(data.product_id).toBe(model.nextProduct);
      model.products.set(model.nextProduct++, {
        price: money(step.price),
        archived: step.archived,
      });
      return;
    }
    case "repriceProduct":
    case "archiveProduct": {
      const id = nth(model.products.keys(), step.pick);
      if (id === undefined) return;
      const product = model.products.get(id)!;
      const [attribute, value] =
        step.kind === "repriceProduct"
          ? ["product_price", money(step.price)]
          : ["product_arch", step.archived ? "1" : "0"];
      await client.PUT("/product/{product_id}", {
        params: { path: { product_id: id } },
        body: { product_attribute: attribute, new_value: value },
      });
      if (step.kind === "repriceProduct") product.price = money(step.price);
      else product.archived = step.archived;
      return;
    }
    case "listProducts": {
      const rows = await collect(
        client.paginate("/products/", {}, { concurrency: step.concurrency }),
        {
          limit: 10_000,
        },
      );
      const ids = rows.map((p) => p.product_id);
      expect(new Set(ids).size).toBe(ids.length);
      const active = [...model.products].filter(([, p]) => !p.archived);
      expect(rows.map((p) => [p.product_id, p.product_price])).toEqual(
        active.map(([id, p]) => [id, p.price]),
      );
      return;
    }
    case "sell": {
      const customer = nth(model.customers.keys(), step.pick) ?? 0;
      const { data } = await client.POST("/sales/", {
        body: { store_id: 1, currency_code: "EUR", customer_id: customer },
      });
      expect(data.sale_id).toBe(model.nextSale);
      const saleId = model.nextSale++;
      await client.POST("/sales/add_product/", {
        body: {
          sale_id: saleId,
          product_id: 0,
          quantity: step.quantity,
          product_price: money(step.price),
        },
      });
      await client.POST("/sales/close/", { body: { sale_id: saleId } });
      if (customer !== 0)
        model.salesOf.set(customer, [...(model.salesOf.get(customer) ?? []), saleId]);
      model.today.push([saleId, money(step.price * step.quantity)]);
      return;
    }
    case "listCustomerSales": {
      const id = nth(model.customers.keys(), step.pick);
      if (id === undefined) return;
      const rows = await collect(
        client.paginate(
          "/sales/search",
          { params: { query: { customer_id: id } } },
          { concurrency: 3 },
        ),
        { limit: 10_000 },
      );
      expect(rows.map((s) => s.sale_id)).toEqual(model.salesOf.get(id) ?? []);
      return;
    }
    case "listTodaysSales": {
      const rows = await collect(
        client.paginate("/closed_sales/{store_id}/{yyyy}/{mm}/{dd}", {
          params: { path: { store_id: 1, yyyy: "2026", mm: "01", dd: "12" } },
        }),
        { limit: 10_000 },
      );
      expect(rows.map((s) => [s.sale_id, s.total])).toEqual(model.today);
      expect(sb.violations).toEqual([]);
      return;
    }
  }
}

describe("the Hiboutik sandbox under random writes and lists", () => {
  it("lists reflect every write, each item once, every answer fits the description", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 30 }),
        fc.integer(),
        async (ops, seed) => {
          const sb = await startHiboutikSandbox({
            seed,
            validate: true,
            clock: new ManualClock(TODAY),
            pageSize: PAGE_SIZE,
            size: { stores: 1, customers: 30, products: 20, sales: 12, days: 2 },
          });
          try {
            const client = createHiboutikClient(sb.credentials, {
              baseUrl: sb.url,
              throwOnError: true,
              retry: false,
            });
            const model = modelOf(sb);
            for (const step of ops) await run(sb, client, model, step);
            // Whatever the sequence, a last look at every list.
            await run(sb, client, model, { kind: "listCustomers", concurrency: 4 });
            await run(sb, client, model, { kind: "listProducts", concurrency: 4 });
            await run(sb, client, model, { kind: "listTodaysSales" });
            expect(sb.violations).toEqual([]);
            expect(sb.requests.every((r) => r.status < 300)).toBe(true);
          } finally {
            await sb.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
