// Each kind of drift, put into a real HubRise order (the description's own example) or its
// exchange, is found once, at the right pointer, with the right rule and description node; and
// nothing else is found. Then the strict pass's traps: compositions (allOf, anyOf with a null),
// maps keyed by data, a field under a branch that then fails.
import { describe, expect, it } from "vitest";
import { loadDescription } from "../../src/sandbox/description.js";
import type { Observed } from "../../src/verify/observed.js";
import { brief, observed, verifyExchanges } from "./support.js";

const hubrise = loadDescription("hubrise");
const ORDER = hubrise.doc.components.examples.Order.value as Record<string, any>;
const order = () => structuredClone(ORDER);

const read = (body: unknown, more: Partial<Observed> = {}) =>
  observed({
    method: "GET",
    url: `https://api.hubrise.com/v1/location/orders/${ORDER.id}`,
    status: 200,
    body,
    ...more,
  });
const list = (body: unknown) =>
  observed({
    method: "GET",
    url: "https://api.hubrise.com/v1/location/orders?count=3",
    status: 200,
    body,
    headers: { "content-type": "application/json", "x-cursor-next": "c1" },
  });

function only(exchanges: Observed[]) {
  const result = verifyExchanges("hubrise", exchanges);
  expect(result.groups.map(brief), result.groups.map(brief).join("\n")).toHaveLength(1);
  return result.groups[0]!;
}

describe("each kind of drift is found where it is", () => {
  it("the example itself: nothing", () => {
    expect(
      verifyExchanges("hubrise", [read(order()), list([order(), order()])]).groups.map(brief),
    ).toEqual([]);
  });

  it("a wrong type", () => {
    const body = order();
    body.items[1].quantity = 2;
    const g = only([read(body)]);
    expect(g).toMatchObject({
      kind: "schema",
      severity: "error",
      operationId: "getCurrentLocationOrder",
      rule: "type",
      example: "/items/1/quantity",
      pattern: "/items/*/quantity",
      schemaPath: "#/components/schemas/Decimal/type",
      types: ["integer"],
    });
  });

  it("a missing required property", () => {
    const body = order();
    delete body.created_by;
    const g = only([read(body)]);
    expect(g).toMatchObject({
      kind: "schema",
      rule: "required",
      example: "/created_by",
      property: "created_by",
      schemaPath: "#/components/schemas/Order/required",
    });
  });

  it("an unknown status", () => {
    const g = only([read({ error_type: "teapot" }, { status: 418 })]);
    expect(g).toMatchObject({
      kind: "undocumented-status",
      severity: "error",
      rule: "status",
      statuses: [418],
      pattern: "",
      schemaPath: "#/paths/~1location~1orders~1{order_id}/get/responses",
    });
  });

  it("a broken pattern (money), in one of many orders of a list", () => {
    const bad = order();
    bad.items[0].price = "11.9 EUR";
    const g = only([list([order(), bad, order()])]);
    expect(g).toMatchObject({
      kind: "pattern",
      rule: "pattern",
      operationId: "listCurrentLocationOrders",
      example: "/1/items/0/price",
      pattern: "/*/items/*/price",
      schemaPath: "#/components/schemas/Money/pattern",
    });
  });

  it("an undocumented header (transport headers aside)", () => {
    const g = only([
      read(order(), {
        headers: {
          "content-type": "application/json",
          date: "x",
          "cf-ray": "x",
          "x-hubrise-shard": "7",
        },
      }),
    ]);
    expect(g).toMatchObject({
      kind: "undocumented-header",
      severity: "info",
      rule: "header",
      header: "x-hubrise-shard",
      pattern: "x-hubrise-shard",
      schemaPath: "#/paths/~1location~1orders~1{order_id}/get/responses/200/headers",
    });
  });

  it("an unknown path: an error when answered with a success, its ids not printed", () => {
    const g = only([
      read({}, { url: `https://api.hubrise.com/v1/location/orders/${ORDER.id}/refunds` }),
    ]);
    expect(g).toMatchObject({
      kind: "unknown-path",
      severity: "error",
      operationId: undefined,
      method: "GET",
      path: "/location/orders/{…}/{…}",
    });
    expect(JSON.stringify(g)).not.toContain(ORDER.id);
    // Refused by the vendor: it may not know it either.
    const refused = only([read({}, { url: "https://api.hubrise.com/v1/nowhere", status: 404 })]);
    expect(refused).toMatchObject({ kind: "unknown-path", severity: "info" });
  });

  it("an enum value not listed (the value is kept: a schema fact)", () => {
    const body = order();
    body.status = "on_hold";
    const g = only([read(body)]);
    expect(g).toMatchObject({
      kind: "enum",
      rule: "enum",
      example: "/status",
      schemaPath: "#/components/schemas/OrderStatus/enum",
      enumValues: ["on_hold"],
    });
  });

  it("an undocumented field, reported once per operation and pattern", () => {
    const orders = [order(), order(), order()];
    for (const o of orders) for (const item of o.items) item.allergens = ["gluten"];
    const g = only([list(orders), list(orders)]);
    expect(g).toMatchObject({
      kind: "undocumented-field",
      severity: "info",
      rule: "unevaluatedProperties",
      pattern: "/*/items/*/allergens",
      example: "/0/items/0/allergens",
      property: "allergens",
      count: 12,
      schemaPath: "#/components/schemas/OrderItem/unevaluatedProperties",
    });
  });

  it("a field under a map keyed by data: the key is not printed", () => {
    const body = order();
    body.deals["0"].discount_rate = "0.3";
    body.deals["1"] = { name: "second", ref: null, discount_rate: "0.1" };
    const g = only([read(body)]);
    expect(g).toMatchObject({
      kind: "undocumented-field",
      pattern: "/deals/*/discount_rate",
      schemaPath: "#/components/schemas/OrderDeal/unevaluatedProperties",
    });
  });

  it("an order with every mutation at once: each found, nothing else", () => {
    const body = order();
    body.items[1].quantity = 2;
    delete body.created_by;
    body.status = "on_hold";
    body.total = "18,90 EUR";
    body.loyalty = { points: 3 };
    const result = verifyExchanges("hubrise", [read(body)]);
    expect(result.groups.map((g) => `${g.kind} ${g.rule} ${g.example}`).sort()).toEqual([
      "enum enum /status",
      "pattern pattern /total",
      "schema required /created_by",
      "schema type /items/1/quantity",
      "undocumented-field unevaluatedProperties /loyalty",
    ]);
    expect(result.errors).toBe(4);
  });
});

describe("matching exchanges to operations", () => {
  it("Hiboutik: any account in the server's {account}; other hosts skipped", () => {
    const description = loadDescription("hiboutik");
    const op = description.operation("listProductTags");
    const result = verifyExchanges("hiboutik", [
      observed({
        method: "GET",
        url: "https://la-boutique.hiboutik.com/api/tags/products/",
        status: 200,
        body: [],
      }),
      observed({
        method: "GET",
        url: "https://la-boutique.hiboutik.com/api/tags/products",
        status: 200,
        body: [],
      }),
      observed({
        method: "GET",
        url: "https://www.google-analytics.com/collect",
        status: 200,
        body: {},
      }),
      observed({
        method: "OPTIONS",
        url: "https://la-boutique.hiboutik.com/api/tags/products/",
        status: 204,
      }),
    ]);
    expect(result.exchangesByOperation).toEqual({ [op.operationId]: 2 });
    expect(result.file.skipped).toEqual({ "another host": 1, "CORS preflight (OPTIONS)": 1 });
  });

  it("a recording's operationId and template; a sandbox's URL with --server", () => {
    const body = order();
    const viaId = observed({
      method: "GET",
      operationId: "getCurrentLocationOrder",
      template: "/location/orders/{order_id}",
      status: 200,
      body,
    });
    const viaServer = read(body, { url: `http://127.0.0.1:4010/v1/location/orders/${ORDER.id}` });
    expect(verifyExchanges("hubrise", [viaId, viaServer]).exchangesByOperation).toEqual({
      getCurrentLocationOrder: 1,
    });
    expect(
      verifyExchanges("hubrise", [viaServer], { servers: ["http://127.0.0.1:4010/v1"] })
        .exchangesByOperation,
    ).toEqual({ getCurrentLocationOrder: 1 });
  });

  it("an inferred operation seen answering is evidence (informational)", () => {
    const description = loadDescription("hiboutik");
    const op = description.operations.find(
      (o) => o.evidence === "inferred" && o.method === "get" && !o.template.includes("{"),
    )!;
    const result = verifyExchanges("hiboutik", [
      observed({
        method: "GET",
        operationId: op.operationId,
        template: op.template,
        status: 401,
        body: { error: "unauthorized", details: {} },
      }),
    ]);
    const evidence = result.groups.find((g) => g.kind === "evidence");
    expect(evidence).toMatchObject({
      severity: "info",
      operationId: op.operationId,
      statuses: [401],
    });
  });
});
