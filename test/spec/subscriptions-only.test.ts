// The Subscriptions Only description is faithful to the envelope and invents nothing: every example
// of the vendor's responses page validates, every scalar is a string, and only the operations the
// notes could pin down are described.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { operationsOf } from "../../scripts/lib/stats.js";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { loadBundle, schemaValidator } from "../support/bundled.js";
import { collectExamples } from "../support/examples.js";

const doc = loadBundle("subscriptions-only");
const ops = operationsOf(doc);
const id = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
const ref = (node: any) => node?.$ref as string | undefined;
const schema = (name: string) => `/components/schemas/${name}`;

/** The JSON blocks of the vendor's "API Responses" page (the seed), in order. */
function seedExamples(): unknown[] {
  const text = readFileSync(
    path.join(repoRoot, "..", "shared", "seeds", "subscriptions-only-api-responses.txt"),
    "utf8",
  );
  const blocks: unknown[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "{" && depth++ === 0) start = i;
    else if (text[i] === "}" && --depth === 0) blocks.push(JSON.parse(text.slice(start, i + 1)));
  }
  return blocks;
}

describe("Subscriptions Only description", () => {
  it("is OpenAPI 3.1.0 on https://api.subscriptionsonly.com/1.0.0 with the store's Basic credentials", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers.map((s: any) => s.url)).toEqual(["https://api.subscriptionsonly.com/1.0.0"]);
    expect(doc.components.securitySchemes.storeBasic).toMatchObject({
      type: "http",
      scheme: "basic",
    });
    expect(doc.components.securitySchemes.storeBasic.description).toMatch(/STO-/);
    expect(doc.security).toEqual([{ storeBasic: [] }]);
  });

  it("describes exactly the operations the notes pin down, inferred where deduced", () => {
    const levels = Object.fromEntries(
      ops.map((o) => [id(o), (o.operation["x-evidence"] as any).level]),
    );
    expect(levels).toEqual({
      "GET /add-ons": "confirmed",
      "POST /add-ons": "inferred",
      "GET /add-ons/{unique_id}": "confirmed",
      "PUT /add-ons/{unique_id}": "confirmed",
      "DELETE /add-ons/{unique_id}": "inferred",
      "GET /subscribers": "confirmed",
      "POST /coupons": "inferred",
    });
    for (const o of ops)
      expect((o.operation["x-evidence"] as any).source, id(o)).toMatch(
        /^https:\/\/docs\.subscriptionsonly\.com\/1\.0\.0\//,
      );
  });

  it("takes SO-Ver on every operation and the paired list parameters on lists", () => {
    for (const o of ops) {
      const params = ((o.operation.parameters as any[]) ?? []).map(ref);
      expect(params, id(o)).toContain("#/components/parameters/SoVer");
      if (o.method === "get" && !o.path.includes("{")) {
        for (const p of [
          "FilterBy",
          "Filter",
          "Exclude",
          "ExcludeBy",
          "SortBy",
          "Sort",
          "Page",
          "Paginate",
        ])
          expect(params, `${id(o)} ${p}`).toContain(`#/components/parameters/${p}`);
      }
    }
    expect(doc.components.parameters.Exclude.description).toMatch(/reversed/);
    // No rate-limit header name is public: none is described.
    expect(JSON.stringify(doc)).not.toMatch(/RateLimit|Retry-After|X-Tokens/i);
  });

  it("answers with the envelope per case, and the shared error responses", () => {
    const body = (o: any, status: string) =>
      ref(o.operation.responses[status]?.content?.["application/json"]?.schema);
    const expected: Record<string, [string, string]> = {
      "GET /add-ons": ["200", "AddOnListEnvelope"],
      "GET /add-ons/{unique_id}": ["200", "AddOnEnvelope"],
      "PUT /add-ons/{unique_id}": ["200", "TextEnvelope"],
      "DELETE /add-ons/{unique_id}": ["200", "TextEnvelope"],
      "POST /add-ons": ["201", "CreatedEnvelope"],
      "POST /coupons": ["201", "CreatedEnvelope"],
      "GET /subscribers": ["200", "SubscriberListEnvelope"],
    };
    for (const o of ops) {
      const [status, name] = expected[id(o)]!;
      expect(body(o, status), id(o)).toBe(`#/components/schemas/${name}`);
      for (const [code, response] of [
        ["401", "Unauthorized"],
        ["403", "Forbidden"],
        ["429", "TooManyRequests"],
        ["500", "InternalError"],
      ] as const)
        expect(ref((o.operation.responses as any)[code]), `${id(o)} ${code}`).toBe(
          `#/components/responses/${response}`,
        );
      if (o.operation.requestBody)
        expect(ref((o.operation.responses as any)["400"]), id(o)).toBe(
          "#/components/responses/BadRequest",
        );
    }
    // A 201 documents no body, and stays open: a field the API adds must not break a client.
    expect(doc.components.schemas.CreatedEnvelope.additionalProperties).toBeUndefined();
    expect(doc.components.schemas.CreatedEnvelope.properties.body).toBeUndefined();
  });

  it("validates every example of the vendor's responses page against the description", () => {
    const validate = schemaValidator(doc);
    const seed = seedExamples();
    expect(seed).toHaveLength(9);
    const [hello, one, list, updated, created, unknownField, failedRequest, missing, deleted] =
      seed;
    expect(validate(schema("TextEnvelope"), hello)).toEqual([]);
    expect(validate(schema("AddOnEnvelope"), one)).toEqual([]);
    expect(validate(schema("AddOnListEnvelope"), list)).toEqual([]);
    expect(validate(schema("TextEnvelope"), updated)).toEqual([]);
    expect(validate(schema("TextEnvelope"), deleted)).toEqual([]);
    expect(validate(schema("CreatedEnvelope"), created)).toEqual([]);
    expect(validate(schema("ValidationErrorEnvelope"), unknownField)).toEqual([]);
    expect(validate(schema("ValidationErrorEnvelope"), missing)).toEqual([]);
    // The failing coupon request is refused for its unknown field, and only for it.
    expect(validate(schema("CouponCreate"), failedRequest)).not.toEqual([]);
    const { this_should_fail: _, ...valid } = failedRequest as Record<string, unknown>;
    expect(validate(schema("CouponCreate"), valid)).toEqual([]);
    // Envelope mismatches are refused: a numeric status, data on a text reply. A field the API
    // might add to a 201 (a body) is accepted: response schemas stay open.
    expect(validate(schema("AddOnEnvelope"), { ...(one as object), status: 200 })).not.toEqual([]);
    expect(validate(schema("CreatedEnvelope"), { ...(created as object), body: {} })).toEqual([]);
    expect(validate(schema("TextEnvelope"), one)).not.toEqual([]);
  });

  it("keeps every add-on scalar a string (or null) and validates the embedded examples", () => {
    const addOn = doc.components.schemas.AddOn;
    expect(Object.keys(addOn.properties)).toHaveLength(26);
    const validate = schemaValidator(doc);
    const sample = (seedExamples()[1] as any).body.data;
    for (const [field, value] of Object.entries<unknown>(sample)) {
      expect(value === null || typeof value === "string", field).toBe(true);
      if (typeof value === "string")
        expect(
          validate(`${schema("AddOn")}/properties/${field}`, Number(value) || 1),
          field,
        ).not.toEqual([]);
    }
    const failures = collectExamples(doc).flatMap((e) =>
      validate(e.schemaPointer, e.value).map((m) => `${e.where}: ${m}`),
    );
    expect(failures).toEqual([]);
  });
});
