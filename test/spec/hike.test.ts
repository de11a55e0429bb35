// The Hike description is useful and honest: the 19 endpoints of the notes and no other, plus the
// OAuth token endpoint; the three from Hike's own reference confirmed and the rest inferred,
// unknown payloads kept open, paging and rate-limit facts exact.
import { describe, expect, it } from "vitest";
import { operationsOf } from "../../scripts/lib/stats.js";
import { loadBundle, schemaValidator } from "../support/bundled.js";
import { collectExamples } from "../support/examples.js";

const doc = loadBundle("hike");
const ops = operationsOf(doc);
const TOKEN = "POST /oauth/token";
/** The API's operations, without the OAuth token endpoint (on /oauth, outside /api/v1). */
const apiOps = ops.filter((o) => `${o.method.toUpperCase()} ${o.path}` !== TOKEN);
const id = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
const ref = (node: any) => node?.$ref as string | undefined;

describe("Hike description", () => {
  it("is OpenAPI 3.1.0 on https://api.hikeup.com/api/v1 with OAuth 2.0 (scope all) and bearer tokens", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers.map((s: any) => s.url)).toEqual(["https://api.hikeup.com/api/v1"]);
    expect(doc.components.securitySchemes.hikeOAuth.flows.authorizationCode).toEqual({
      authorizationUrl: "https://api.hikeup.com/oauth/authorize",
      tokenUrl: "https://api.hikeup.com/oauth/token",
      refreshUrl: "https://api.hikeup.com/oauth/token",
      scopes: { all: expect.any(String) },
    });
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
  });

  it("describes exactly the 19 endpoints of the notes and the token endpoint, confirmed only where Hike documents them", () => {
    const levels = Object.fromEntries(
      ops.map((o) => [id(o), (o.operation["x-evidence"] as any).level]),
    );
    const confirmed = [
      "GET /products/get_all",
      "GET /customers/get_all",
      "GET /outlets/get_all_active",
    ];
    expect(Object.keys(levels).sort()).toEqual(
      [
        ...confirmed,
        "GET /outlets/get_all",
        "GET /outlets/get_Registers_all",
        "GET /products/get/{id}",
        "GET /products/by_sku",
        "POST /products/create",
        "DELETE /products/delete/{id}",
        "GET /product_types/get_all",
        "GET /taxes/get_all",
        "GET /suppliers/get_all",
        "GET /users/get_all",
        "GET /payment_types/get_all",
        "GET /sales/get_all",
        "POST /sales/create",
        "GET /registerClosures/get_all",
        "GET /offers/get_all",
        "GET /offers/get/{id}",
        TOKEN,
      ].sort(),
    );
    for (const [op, level] of Object.entries(levels))
      expect(level, op).toBe(confirmed.includes(op) ? "confirmed" : "inferred");
    for (const o of ops) {
      const source = (o.operation["x-evidence"] as any).source as string;
      if (confirmed.includes(id(o))) expect(source).toMatch(/^https:\/\/docs\.hikeup\.com\//);
      else expect(source, id(o)).toMatch(/third-party .* \(research notes 3P-[A-E]/);
    }
  });

  it("pages every list with page_size (1–500) and skip_count into the {totalCount, items, next} envelope", () => {
    const lists = ops.filter(
      (o) =>
        o.path.endsWith("get_all") ||
        o.path.endsWith("_all_active") ||
        o.path.endsWith("Registers_all"),
    );
    expect(lists).toHaveLength(13);
    for (const o of lists) {
      const params = (o.operation.parameters as any[]).map(ref);
      expect(params, id(o)).toEqual(
        expect.arrayContaining([
          "#/components/parameters/PageSize",
          "#/components/parameters/SkipCount",
        ]),
      );
      const list = ref((o.operation.responses as any)["200"].content["application/json"].schema)!;
      const schema = doc.components.schemas[list.split("/").pop()!];
      expect(ref(schema.allOf[0]), id(o)).toBe("#/components/schemas/ListEnvelope");
    }
    expect(doc.components.parameters.PageSize).toMatchObject({
      required: true,
      schema: { minimum: 1, maximum: 500 },
    });
    expect(doc.components.schemas.ListEnvelope.required).toEqual(["totalCount", "items"]);
  });

  it("documents the seed's statuses, the 429's headers and text body, and WWW-Authenticate", () => {
    for (const o of apiOps) {
      const r = o.operation.responses as Record<string, any>;
      for (const [code, name] of [
        ["400", "BadRequest"],
        ["401", "Unauthorized"],
        ["403", "Forbidden"],
        ["429", "TooManyRequests"],
        ["500", "InternalError"],
        ["501", "NotImplemented"],
        ["503", "ServiceUnavailable"],
        ["504", "GatewayTimeout"],
      ] as const)
        expect(ref(r[code]), `${id(o)} ${code}`).toBe(`#/components/responses/${name}`);
      if (o.method === "post") {
        for (const code of ["201", "202", "422"]) expect(r[code], `${id(o)} ${code}`).toBeDefined();
        expect(ref(r["303"])).toBe("#/components/responses/SeeOther");
      }
    }
    const tooMany = doc.components.responses.TooManyRequests;
    expect(Object.keys(tooMany.headers).sort()).toEqual(["Retry-After", "X-Rate-Limit-Problem"]);
    expect(doc.components.headers.XRateLimitProblem.schema.enum).toEqual(["Minute", "Daily"]);
    expect(Object.keys(tooMany.content)).toEqual(["text/plain"]);
    expect(ref(doc.components.responses.Unauthorized.headers["WWW-Authenticate"])).toBe(
      "#/components/headers/WWWAuthenticate",
    );
    expect(doc.components.responses.SeeOther.headers.Location).toBeDefined();
    expect(doc.components.schemas.ErrorBody.properties.errors).toBeDefined();
  });

  it("keeps unknown payloads open and Hike's real field names, typos included", () => {
    for (const name of [
      "UndocumentedRecord",
      "Product",
      "ProductType",
      "Sale",
      "ProductWrite",
      "SaleWrite",
      "ErrorBody",
    ])
      expect(doc.components.schemas[name].additionalProperties, name).toBe(true);
    const write = doc.components.schemas.ProductWrite.properties;
    for (const field of [
      "bran_name",
      "seO_feature",
      "customField",
      "isPricingDifferentByOutlet",
      "sales_channels",
    ])
      expect(write[field], field).toBeDefined();
    const validate = schemaValidator(doc);
    const failures = collectExamples(doc).flatMap((e) =>
      validate(e.schemaPointer, e.value).map((m) => `${e.where}: ${m}`),
    );
    expect(failures).toEqual([]);
    expect(collectExamples(doc).length).toBeGreaterThan(5);
  });

  it("describes the token endpoint as third-party clients use it, outside /api/v1", () => {
    const token = ops.find((o) => `${o.method.toUpperCase()} ${o.path}` === TOKEN)!.operation;
    expect((token.servers as any[]).map((s) => s.url)).toEqual(["https://api.hikeup.com"]);
    expect(token.security).toEqual([]); // the client's credentials are form fields
    expect(token["x-evidence"]).toMatchObject({ level: "inferred" });
    const form = (token.requestBody as any).content["application/x-www-form-urlencoded"];
    expect(ref(form.schema)).toBe("#/components/schemas/OAuthTokenRequest");
    const { OAuthAuthorizationCodeGrant: code, OAuthRefreshTokenGrant: refresh } =
      doc.components.schemas;
    expect(code.required.sort()).toEqual(
      ["client_id", "client_secret", "code", "grant_type", "redirect_uri"].sort(),
    );
    expect(refresh.required.sort()).toEqual(
      ["client_id", "client_secret", "grant_type", "refresh_token"].sort(),
    );
    const answer = (token.responses as any)["200"].content["application/json"].schema;
    expect(ref(answer)).toBe("#/components/schemas/OAuthToken");
    expect(Object.keys(doc.components.schemas.OAuthToken.properties).sort()).toEqual(
      ["access_token", "expires_in", "refresh_token", "token_type"].sort(),
    );
    expect(doc.components.schemas.OAuthToken.required).toEqual(["access_token"]);
    expect((token.responses as any)["400"].description).toMatch(/invalid `code`/);
  });
});
