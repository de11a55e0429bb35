// The HubRise description tells the truth the way the notes say it: every operation sourced and
// fully documented, every example valid, wire types as strings, and every endpoint of the notes
// present.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { operationsOf } from "../../scripts/lib/stats.js";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { HEAVY_QUERY_PATHS } from "../../src/hubrise/rate-limits.js";
import { loadBundle, schemaValidator } from "../support/bundled.js";
import { collectExamples } from "../support/examples.js";

const doc = loadBundle("hubrise");
const ops = operationsOf(doc);
const webhooks = operationsOf(doc, "webhooks");
const id = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
const ref = (node: any) => node?.$ref as string | undefined;

describe("HubRise description", () => {
  it("is OpenAPI 3.1.0 on https://api.hubrise.com/v1 with the token header and OAuth 2.0", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([expect.objectContaining({ url: "https://api.hubrise.com/v1" })]);
    expect(doc.components.securitySchemes.hubriseToken).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Access-Token",
    });
    expect(doc.components.securitySchemes.hubriseOAuth.flows.authorizationCode).toMatchObject({
      authorizationUrl: "https://manager.hubrise.com/oauth2/v1/authorize",
      tokenUrl: "https://manager.hubrise.com/oauth2/v1/token",
    });
  });

  it("gives every operation and webhook x-evidence with a level and a source", () => {
    for (const o of [...ops, ...webhooks]) {
      const evidence = o.operation["x-evidence"] as { level?: string; source?: string } | undefined;
      expect(["confirmed", "inferred"], id(o)).toContain(evidence?.level);
      expect(evidence?.source, id(o)).toMatch(/^https:\/\//);
    }
  });

  it("documents 400, 401, 403, 404, 422, 429 and 500 with the shared error responses (415 with a body, 304 on GET)", () => {
    const shared: Record<string, string> = {
      "400": "BadRequest",
      "401": "Unauthorized",
      "403": "Forbidden",
      "404": "NotFound",
      "422": "UnprocessableEntity",
      "429": "TooManyRequests",
      "500": "InternalError",
    };
    for (const o of ops) {
      const responses = o.operation.responses as Record<string, any>;
      const oauth = o.path === "/token" || o.path === "/revoke"; // the OAuth server documents its own 400/401
      for (const [status, name] of Object.entries(shared)) {
        expect(responses[status], `${id(o)} ${status}`).toBeDefined();
        if (!(oauth && (status === "400" || status === "401"))) {
          expect(ref(responses[status]), `${id(o)} ${status}`).toBe(
            `#/components/responses/${name}`,
          );
        }
      }
      if (o.operation.requestBody)
        expect(ref(responses["415"]), `${id(o)} 415`).toBe(
          "#/components/responses/UnsupportedMediaType",
        );
      if (o.method === "get")
        expect(ref(responses["304"]), `${id(o)} 304`).toBe("#/components/responses/NotModified");
    }
    expect(doc.components.schemas.ErrorType.enum).toEqual([
      "unauthorized",
      "forbidden",
      "not_found",
      "unprocessable_entity",
      "unsupported_media_type",
      "too_many_requests",
      "internal_error",
      "routing_error",
    ]);
  });

  it("pages every index endpoint with the shared cursor, count and X-Cursor-Next", () => {
    const lists = ops.filter((o) =>
      (o.operation.parameters as any[] | undefined)?.some(
        (p) => ref(p) === "#/components/parameters/Cursor",
      ),
    );
    expect(lists.length).toBeGreaterThan(20);
    for (const o of lists) {
      const params = (o.operation.parameters as any[]).map(ref);
      expect(params, id(o)).toContain("#/components/parameters/Count");
      const ok = (o.operation.responses as any)["200"];
      expect(ref(ok.headers?.["X-Cursor-Next"]), id(o)).toBe("#/components/headers/XCursorNext");
      expect(ok.content["application/json"].schema.type, id(o)).toBe("array");
    }
    // No list carries its own copy of the paging parameters.
    for (const o of ops) {
      for (const p of (o.operation.parameters as any[] | undefined) ?? []) {
        expect(["cursor", "count"], id(o)).not.toContain(p.name);
      }
    }
    expect(doc.components.parameters.Count.schema).toMatchObject({ maximum: 100, default: 100 });
  });

  it("marks exactly the heavy queries the client schedules at 10 a minute", () => {
    const marked = ops
      .filter((o) => o.operation["x-hubrise-heavy-query"] === true)
      .map(id)
      .sort();
    expect(marked).toEqual(HEAVY_QUERY_PATHS.map((p) => `GET ${p}`).sort());
  });

  it("has unique camelCase operationIds", () => {
    const ids = [...ops, ...webhooks].map((o) => o.operation.operationId as string);
    for (const operationId of ids) expect(operationId).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("validates every example against its schema", () => {
    const validate = schemaValidator(doc);
    const examples = collectExamples(doc);
    expect(examples.length).toBeGreaterThan(50);
    const failures = examples.flatMap((e) =>
      validate(e.schemaPointer, e.value).map((msg) => `${e.where}: ${msg}`),
    );
    expect(failures).toEqual([]);
    // The notes' real payloads are among them.
    for (const name of ["Order", "Customer", "CallbackEvent", "Location"])
      expect(doc.components.examples[name], name).toBeDefined();
    expect(Object.keys(doc.components.examples).some((n) => n.startsWith("Catalog"))).toBe(true);
  });

  it("keeps money and decimals as patterned strings and uses 3.1 null types", () => {
    const validate = schemaValidator(doc);
    expect(validate("/components/schemas/Money", "8.90 EUR")).toEqual([]);
    expect(validate("/components/schemas/Money", "-0.05 GBP")).toEqual([]);
    expect(validate("/components/schemas/Money", 8.9)).not.toEqual([]);
    expect(validate("/components/schemas/Money", "8.9 EUR")).not.toEqual([]);
    expect(validate("/components/schemas/Decimal", "-2.5")).toEqual([]);
    expect(validate("/components/schemas/Decimal", 2.5)).not.toEqual([]);
    expect(validate("/components/schemas/Dow", "12----7")).toEqual([]);
    expect(validate("/components/schemas/Dow", "1234568")).not.toEqual([]);
    const text = JSON.stringify(doc);
    expect(text).not.toContain('"nullable"');
    // No property named like money or a decimal quantity is a JSON number.
    const moneyish =
      /(price|amount|total|fee|subtotal|price_off|balance|delta|stock|tax_rate|latitude|longitude|points_)/;
    const offenders: string[] = [];
    const walk = (node: any, where: string) => {
      if (!node || typeof node !== "object") return;
      for (const [name, prop] of Object.entries<any>(node.properties ?? {})) {
        const types = [prop?.type].flat();
        if (moneyish.test(name) && types.includes("number")) offenders.push(`${where}.${name}`);
      }
      for (const [k, v] of Object.entries(node))
        if (!k.startsWith("x-") && k !== "example" && k !== "examples") walk(v, `${where}/${k}`);
    };
    walk(doc.components.schemas, "schemas");
    expect(offenders).toEqual([]);
  });

  it("describes X-Http-Method-Override, private_ref and both path forms", () => {
    expect(doc.components.parameters.XHttpMethodOverride).toMatchObject({
      in: "header",
      name: "X-Http-Method-Override",
    });
    expect(doc.components.schemas.PrivateRef.type).toEqual(["string", "null"]);
    expect(doc.paths["/locations/{location_id}/orders"]).toBeDefined();
    expect(doc.paths["/location/orders"]).toBeDefined();
  });

  it("lists the 12 callback events as signed webhooks", () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual(
      [
        "catalog.create",
        "catalog.update",
        "catalog.delete",
        "customer.create",
        "customer.update",
        "delivery.create",
        "delivery.update",
        "inventory.patch",
        "inventory.update",
        "location.update",
        "order.create",
        "order.update",
      ].sort(),
    );
    for (const w of webhooks) {
      const params = ((w.operation.parameters as any[]) ?? []).map((p) =>
        ref(p) ? doc.components.parameters[ref(p)!.split("/").pop()!] : p,
      );
      expect(
        params.map((p: any) => p.name),
        w.path,
      ).toContain("X-HubRise-Hmac-SHA256");
    }
  });

  it("describes every endpoint listed in the vendor notes", () => {
    const notes = readFileSync(
      path.join(repoRoot, "..", "shared", "vendors", "hubrise.md"),
      "utf8",
    );
    const listed = endpointsInNotes(notes);
    expect(listed.length).toBeGreaterThan(60);
    const described = new Set(ops.map((o) => `${o.method.toUpperCase()} ${shape(o.path)}`));
    const missing = listed.filter((e) => !described.has(e) && !(e in NOTES_ERRATA));
    expect(missing).toEqual([]);
    // Each erratum is described under the path HubRise documents instead.
    for (const [wrong, documented] of Object.entries(NOTES_ERRATA)) {
      expect(listed, wrong).toContain(wrong);
      expect(described.has(documented), documented).toBe(true);
    }
  });
});

/**
 * Paths of the notes that HubRise's own reference contradicts. catalogs.md (CallSummaryTable of
 * "Retrieve Sku" and "Retrieve Option") documents the nested paths; the short ones appear nowhere,
 * so describing them would invent endpoints.
 */
const NOTES_ERRATA: Record<string, string> = {
  "GET /catalogs/{}/skus/{}": "GET /catalogs/{}/products/{}/skus/{}",
  "GET /catalogs/{}/options/{}": "GET /catalogs/{}/option_lists/{}/options/{}",
};

/** `/customer_lists/{cl_id}/customers/{id}` and `/customer_lists/{customer_list_id}/customers/{customer_id}` compare equal. */
const shape = (p: string) => p.replace(/\{[^}]+\}/g, "{}").replace(/:[a-z_]+/g, "{}");

/**
 * METHOD + path pairs from the endpoint tables of the notes. A row whose path cell names no path
 * ("same", "the two collection paths above") reuses the previous row's paths.
 */
function endpointsInNotes(markdown: string): string[] {
  const out: string[] = [];
  let previous: string[] = [];
  for (const line of markdown.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const method = cells[1];
    if (!method || !/^(GET|POST|PUT|PATCH|DELETE)$/.test(method)) continue;
    const paths = [...(cells[2] ?? "").matchAll(/`(\/[^`]*)`/g)].map((m) => m[1]!);
    const current = paths.length > 0 ? paths : previous;
    for (const p of current) out.push(`${method} ${shape(p)}`);
    previous = current;
  }
  return [...new Set(out)];
}
