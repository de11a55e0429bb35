// The Hiboutik description tells the truth about the vendor's quirks: every operation sourced, the
// seed's error statuses with one error schema, page-number paging defined once, wire types as the
// vendor sends them, and every endpoint of the notes that has evidence present.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deref as derefIn } from "../../scripts/lib/refs.js";
import { operationsOf } from "../../scripts/lib/stats.js";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { SINGLE_RECORD_PATHS } from "../../src/hiboutik/single-record-paths.js";
import { loadBundle, schemaValidator } from "../support/bundled.js";
import { collectExamples } from "../support/examples.js";

const doc = loadBundle("hiboutik");
const ops = operationsOf(doc);
const webhooks = operationsOf(doc, "webhooks");
const id = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
const ref = (node: any) => node?.$ref as string | undefined;
const deref = (node: any): any => derefIn(doc, node);
const paramsOf = (o: { operation: any }) => ((o.operation.parameters as any[]) ?? []).map(deref);
const isPaginated = (o: { operation: any }) =>
  ((o.operation.parameters as any[]) ?? []).some((p) => ref(p) === "#/components/parameters/Page");

describe("Hiboutik description", () => {
  it("is OpenAPI 3.1.0 on https://{account}.hiboutik.com/api with Basic and OAuth 2.0", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([
      expect.objectContaining({
        url: "https://{account}.hiboutik.com/api",
        variables: { account: expect.objectContaining({ default: expect.any(String) }) },
      }),
    ]);
    const { basicAuth, oauth2 } = doc.components.securitySchemes;
    expect(basicAuth).toMatchObject({ type: "http", scheme: "basic" });
    expect(oauth2.flows.authorizationCode).toMatchObject({
      authorizationUrl: "https://myshop.hiboutik.com/oauth_api/authorize/",
      tokenUrl: "https://myshop.hiboutik.com/oauth_api/token.php",
    });
    const scopes = Object.keys(oauth2.flows.authorizationCode.scopes);
    for (const area of ["products", "customers", "store_credit", "sales", "reports", "inventory"])
      expect(scopes).toEqual(expect.arrayContaining([`read_${area}`, `write_${area}`]));
    expect(scopes).toContain("basic_api");
  });

  it("gives every operation and webhook x-evidence with a level and a source", () => {
    for (const o of [...ops, ...webhooks]) {
      const evidence = o.operation["x-evidence"] as { level?: string; source?: string } | undefined;
      expect(["confirmed", "inferred"], id(o)).toContain(evidence?.level);
      expect(evidence?.source?.length ?? 0, id(o)).toBeGreaterThan(10);
    }
    const inferred = ops.filter(
      (o) => (o.operation["x-evidence"] as { level: string }).level === "inferred",
    );
    expect(inferred.length).toBeGreaterThan(5);
    expect(inferred.length).toBeLessThan(ops.length / 2);
  });

  it("answers the seed's error statuses with the one shared error schema", () => {
    const shared: Record<string, string> = {
      "401": "Unauthorized",
      "403": "Forbidden",
      "406": "NotAcceptable",
      "429": "QuotaExhausted",
      "500": "InternalError",
      "503": "ServiceUnavailable",
      "504": "GatewayTimeout",
    };
    for (const o of ops) {
      const responses = o.operation.responses as Record<string, any>;
      const required = { ...shared };
      if (o.path.includes("{")) required["404"] = "NotFound";
      if (o.operation.requestBody || paramsOf(o).length > 0)
        required["422"] = "UnprocessableEntity";
      for (const [status, name] of Object.entries(required))
        expect(ref(responses[status]), `${id(o)} ${status}`).toBe(`#/components/responses/${name}`);
    }
    for (const name of [...Object.values(shared), "NotFound", "UnprocessableEntity"]) {
      const content = doc.components.responses[name].content["application/json"];
      expect(ref(content.schema), name).toBe("#/components/schemas/ErrorBody");
    }
    expect(Object.keys(doc.components.schemas.ErrorBody.properties)).toEqual([
      "error",
      "code",
      "error_description",
      "details",
    ]);
    expect(doc.components.schemas.ErrorDetails.additionalProperties).toEqual({ type: "string" });
    expect(doc.components.responses.QuotaExhausted.description).toMatch(/month/);
    // Hiboutik sends no rate-limit header: none may be described.
    expect(JSON.stringify(doc)).not.toMatch(/Retry-After|X-RateLimit|RateLimit-/i);
  });

  it("pages lists with p, Content-Range and Link, each defined once and referenced", () => {
    const lists = ops.filter(isPaginated);
    expect(lists.map(id)).toEqual(
      expect.arrayContaining([
        "GET /products/",
        "GET /customers/",
        "GET /brands/",
        "GET /products_sold/{store_id}/{yyyy}/{mm}/{dd}/",
        "GET /closed_sales/{store_id}/{yyyy}/{mm}/{dd}",
        "GET /sales/search",
      ]),
    );
    for (const o of lists) {
      const ok = (o.operation.responses as any)["200"];
      expect(ref(ok.headers?.["Content-Range"]), id(o)).toBe("#/components/headers/ContentRange");
      expect(ref(ok.headers?.Link), id(o)).toBe("#/components/headers/Link");
      expect(ok.content["application/json"].schema.type, id(o)).toBe("array");
    }
    for (const o of ops) {
      for (const p of (o.operation.parameters as any[]) ?? []) expect(p.name, id(o)).not.toBe("p");
      const headers = Object.values<any>((o.operation.responses as any)["200"]?.headers ?? {});
      for (const h of headers) expect(ref(h), id(o)).toMatch(/^#\/components\/headers\//);
    }
    expect(doc.components.parameters.Page).toMatchObject({
      name: "p",
      in: "query",
      schema: { type: "integer", minimum: 1 },
    });
    expect(doc.components.parameters.Page.description).toMatch(/250/);
    expect(doc.components.parameters.Page.description).toMatch(/`\[\]`/);
  });

  it("accepts every request body as JSON and as form-urlencoded, with one schema", () => {
    const bodies = ops.filter((o) => o.operation.requestBody);
    expect(bodies.length).toBeGreaterThan(25);
    for (const o of bodies) {
      const content = deref(o.operation.requestBody).content as Record<string, any>;
      if (content["multipart/form-data"] || o.path === "/token.php") continue;
      expect(Object.keys(content).sort(), id(o)).toEqual([
        "application/json",
        "application/x-www-form-urlencoded",
      ]);
      expect(content["application/x-www-form-urlencoded"].schema, id(o)).toEqual(
        content["application/json"].schema,
      );
    }
  });

  it("describes single-record reads as one-element arrays, and the client knows each of them", () => {
    const oneElement = ops
      .filter((o) => {
        const schema = (o.operation.responses as any)["200"]?.content?.["application/json"]?.schema;
        return o.method === "get" && schema?.type === "array" && schema.maxItems === 1;
      })
      .map((o) => o.path)
      .sort();
    expect(oneElement).toEqual(
      expect.arrayContaining([
        "/customer/{customers_id}",
        "/products/{product_id}",
        "/sales/{sale_id}",
      ]),
    );
    expect([...SINGLE_RECORD_PATHS].sort()).toEqual(oneElement);
  });

  it("keeps singular write paths beside plural reads, one attribute per update", () => {
    const has = (method: string, p: string) => ops.some((o) => o.method === method && o.path === p);
    expect(has("put", "/product/{product_id}")).toBe(true);
    expect(has("put", "/sale/{sale_id}")).toBe(true);
    expect(has("put", "/customer/{customers_id}")).toBe(true);
    expect(has("get", "/products/{product_id}")).toBe(true);
    expect(has("get", "/sales/{sale_id}")).toBe(true);
    expect(has("put", "/products/{product_id}")).toBe(false);
    expect(has("put", "/sales/{sale_id}")).toBe(false);
    for (const [p, key] of [
      ["/product/{product_id}", "product_attribute"],
      ["/sale/{sale_id}", "sale_attribute"],
      ["/sale_line_item/{line_item_id}", "line_item_attribute"],
    ] as const) {
      const body = deref(deref(doc.paths[p].put.requestBody).content["application/json"].schema);
      expect(Object.keys(body.properties).sort(), p).toEqual([key, "new_value"].sort());
      expect(body.required.sort(), p).toEqual([key, "new_value"].sort());
    }
  });

  it("types the wire as the vendor sends it", () => {
    const validate = schemaValidator(doc);
    const s = doc.components.schemas;
    expect(validate("/components/schemas/Money", "750.00")).toEqual([]);
    expect(validate("/components/schemas/Money", 750)).not.toEqual([]);
    expect(validate("/components/schemas/VatFraction", "0.200")).toEqual([]);
    expect(validate("/components/schemas/VatFraction", "20")).not.toEqual([]);
    expect(validate("/components/schemas/LocalDateTime", "0000-00-00 00:00:00")).toEqual([]);
    expect(validate("/components/schemas/LocalDateTime", "2021-06-02T11:53:55Z")).not.toEqual([]);
    // Sale: ressource_id; date parts false on open sales; line items' tax_value a percent number.
    expect(s.Sale.properties.ressource_id).toBeDefined();
    expect(validate("/components/schemas/Sale/properties/date_z_mm", false)).toEqual([]);
    expect(validate("/components/schemas/Sale/properties/date_z_mm", "06")).toEqual([]);
    expect(validate("/components/schemas/Sale/properties/date_z", 20210602)).toEqual([]);
    const line = deref(s.Sale.properties.line_items.items);
    expect([line.properties.tax_value.type].flat()).toContain("number");
    expect(validate(`/components/schemas/Sale/properties/total`, "763.50")).toEqual([]);
    // Closed-sale list items spell it resource_id.
    expect(s.ClosedSale.properties.resource_id).toBeDefined();
    expect(s.ClosedSale.properties.ressource_id).toBeUndefined();
    // /taxes: the rate is a fraction string.
    const taxes = doc.paths["/taxes"].get.responses["200"].content["application/json"].schema;
    const tax = deref(taxes.items);
    expect(validate(`${ref(taxes.items)!.slice(1)}/properties/tax_value`, "0.05500")).toEqual([]);
    expect([tax.properties.tax_value.type].flat()).not.toContain("number");
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
  });

  it("keeps money and rates out of JSON numbers (line items' percent tax_value excepted)", () => {
    const moneyish = /(price|amount|total|balance|discount|vat|cash|deposit|withdrawal|turnover)/;
    const offenders: string[] = [];
    const walk = (node: any, where: string) => {
      if (!node || typeof node !== "object") return;
      for (const [name, prop] of Object.entries<any>(node.properties ?? {})) {
        if (moneyish.test(name) && [prop?.type].flat().includes("number"))
          offenders.push(`${where}.${name}`);
      }
      for (const [k, v] of Object.entries(node))
        if (!k.startsWith("x-") && k !== "example" && k !== "examples") walk(v, `${where}/${k}`);
    };
    walk(doc.components.schemas, "schemas");
    walk(doc.paths, "paths");
    // multiple_product_price is a number on the wire in the real fixture.
    expect(offenders.filter((o) => !o.endsWith(".multiple_product_price"))).toEqual([]);
  });

  it("validates every example, including the notes' real sale", () => {
    const validate = schemaValidator(doc);
    const examples = collectExamples(doc);
    expect(examples.length).toBeGreaterThan(20);
    const failures = examples.flatMap((e) =>
      validate(e.schemaPointer, e.value).map((msg) => `${e.where}: ${msg}`),
    );
    expect(failures).toEqual([]);
    const getSale = "/paths/~1sales~1{sale_id}/get/responses/200/content/application~1json/schema";
    const sale = doc.components.examples.Sale.value;
    expect(Array.isArray(sale) && sale.length).toBe(1);
    expect(sale[0].sale_id).toBe(44);
    expect(validate(getSale, sale)).toEqual([]);
    const open = doc.components.examples.OpenSale.value;
    expect(open[0]).toMatchObject({
      completed_at: "0000-00-00 00:00:00",
      date_z_mm: false,
      date_z_dd: false,
    });
    expect(validate(getSale, open)).toEqual([]);
    // A sale with a numeric total, or a two-element answer, is refused.
    expect(validate(getSale, [{ ...sale[0], total: 763.5 }])).not.toEqual([]);
    expect(validate(getSale, [sale[0], sale[0]])).not.toEqual([]);
  });

  it("sends webhooks form-encoded with bracket nesting", () => {
    expect(Object.keys(doc.webhooks)).toContain("sale");
    for (const w of webhooks) {
      const content = deref(w.operation.requestBody).content;
      expect(Object.keys(content), w.path).toEqual(["application/x-www-form-urlencoded"]);
    }
    const sale = deref(doc.webhooks.sale.post.requestBody).content[
      "application/x-www-form-urlencoded"
    ];
    // deepObject only where OpenAPI defines it (a flat object); arrays nest as PHP brackets.
    expect(sale["x-form-nesting"]).toBe("php-brackets");
    expect(sale.encoding.store_address).toMatchObject({ style: "deepObject", explode: true });
    expect(sale.encoding.line_items).toBeUndefined();
  });

  it("has unique camelCase operationIds", () => {
    const ids = [...ops, ...webhooks].map((o) => o.operation.operationId as string);
    for (const operationId of ids) expect(operationId).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("describes every endpoint of the notes that has evidence, and nothing marked [U]", () => {
    const notes = readFileSync(
      path.join(repoRoot, "..", "shared", "vendors", "hiboutik.md"),
      "utf8",
    );
    const described = new Set(ops.map((o) => `${o.method.toUpperCase()} ${shape(o.path)}`));
    const tables = endpointsInTables(notes);
    expect(tables.length).toBeGreaterThan(50);
    expect(tables.filter((e) => !described.has(e))).toEqual([]);
    expect(OTHER_ENDPOINTS.filter((e) => !described.has(shape2(e)))).toEqual([]);
    for (const unreliable of [
      "/sales_tags",
      "/closed_sales_by_tag",
      "/sale_line_item_modifier",
      "/sales/open_package",
    ])
      expect(
        ops.some((o) => o.path.startsWith(unreliable)),
        unreliable,
      ).toBe(false);
    expect(described.has("GET /sale_line_item/{}")).toBe(false); // [U; I] only
  });
});

/** Compares paths by shape: parameter names and the trailing slash (both forms work) ignored. */
const shape = (p: string) =>
  p
    .replace(/\?.*$/, "")
    .replace(/\{[^}]+\}/g, "{}")
    .replace(/\/$/, "");
const shape2 = (e: string) => {
  const [method, p] = e.split(" ");
  return `${method} ${shape(p!)}`;
};

/** METHOD + path of every row of the §6.1 endpoint tables, except rows marked [U]. */
function endpointsInTables(markdown: string): string[] {
  const out = new Set<string>();
  for (const line of markdown.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const methods = (cells[1] ?? "").split("/").map((m) => m.trim());
    if (!methods.every((m) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(m))) continue;
    if (cells.at(-2)?.startsWith("[U")) continue;
    const first = /`(\/[^`]*)`/.exec(cells[2] ?? "");
    if (first) for (const m of methods) out.add(`${m} ${shape(first[1]!)}`);
  }
  return [...out];
}

/** §6.2 is prose, not a table: its endpoints that have evidence. */
const OTHER_ENDPOINTS = [
  "GET /reports/turnover/{}/{}/{}",
  "GET /till/{}/{}/{}",
  "POST /till/cash_in",
  "POST /till/cash_out",
  "GET /z/taxes",
  "GET /z/payment_types",
  "GET /z/cash_flow",
  "POST /z/closure",
  "GET /inventory_inputs/",
  "GET /inventory_inputs/{}",
  "GET /inventory_input_details/{}",
  "GET /inventory_inputs_on_hold/",
  "GET /stock_transfer/",
  "GET /stock_transfer/{}",
  "GET /stock_transfer_details/{}",
  "GET /products_purchased/{}/{}/{}/{}/",
  "GET /products_returned/{}/{}/{}/{}",
  "GET /product_purchased_history/{}/",
  "GET /products_barcode/{}/{}/{}/",
  "GET /calendar/events/{}/{}/{}/{}",
  "GET /calendar/event/{}",
  "POST /kitchen/line_item",
  "GET /kitchen/cooking_stations",
  "GET /kitchen/open_tables",
  "GET /rooms",
  "GET /ressources",
  "GET /modifiers/",
  "POST /print/misc/",
  "GET /subscriptions",
  "GET /prepaid_purchases/",
  "GET /prepaid_purchases/{}",
  "GET /customer/{}/sales/",
  "POST /action_links/",
  "POST /reset",
  "GET /apps/installed/{}",
];
