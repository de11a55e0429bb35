// The strict pass (src/verify/strict-schemas.ts) on a small description built to hold its traps:
// an allOf that adds properties to a base, a nullable object (anyOf with null) whose nested object
// gets an undocumented field, a oneOf, a map, an untyped value, an object whose keys are data.
import { describe, expect, it } from "vitest";
import { brief, observed, verifyExchanges } from "./support.js";

const doc = {
  openapi: "3.1.0",
  info: { title: "Things", version: "1" },
  servers: [{ url: "https://api.example.com/v1" }],
  paths: {
    "/things/{id}": {
      get: {
        operationId: "getThing",
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Base: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
      Thing: {
        allOf: [
          { $ref: "#/components/schemas/Base" },
          {
            type: "object",
            properties: {
              name: { type: "string" },
              owner: { anyOf: [{ $ref: "#/components/schemas/Person" }, { type: "null" }] },
              kind: {
                oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
              },
              labels: { type: "object", additionalProperties: { type: "string" } },
              meta: { description: "Anything the vendor puts there." },
              counts: { type: "object", properties: { a: { type: "integer" } } },
            },
          },
        ],
      },
      Person: {
        type: "object",
        properties: {
          name: { type: "string" },
          address: { type: "object", properties: { city: { type: "string" } } },
        },
      },
      Cat: { type: "object", required: ["meows"], properties: { meows: { type: "boolean" } } },
      Dog: { type: "object", required: ["barks"], properties: { barks: { type: "boolean" } } },
    },
  },
};

const thing = (extra: Record<string, unknown> = {}) => ({
  id: "t1",
  name: "n",
  owner: { name: "p", address: { city: "c" } },
  kind: { meows: true },
  labels: { anything: "x" },
  meta: { free: { form: 1 } },
  counts: { a: 1 },
  ...extra,
});

const verify = (...bodies: unknown[]) =>
  verifyExchanges(
    "things",
    bodies.map((body) =>
      observed({ method: "GET", url: "https://api.example.com/v1/things/t1", status: 200, body }),
    ),
    { doc },
  );

describe("the strict pass", () => {
  it("accepts what the composition documents: allOf members, anyOf/oneOf branches, maps, untyped values", () => {
    expect(
      verify(thing(), thing({ owner: null, kind: { barks: false } })).groups.map(brief),
    ).toEqual([]);
  });

  it("finds a field at the top of an allOf, not the members' own properties", () => {
    const r = verify(thing({ colour: "red" }));
    expect(r.groups.map((g) => `${g.kind} ${g.example} ${g.schemaPath}`)).toEqual([
      "undocumented-field /colour #/components/schemas/Thing/unevaluatedProperties",
    ]);
  });

  it("finds a field deep in an anyOf branch without blaming its siblings (the branch failed only in the strict pass)", () => {
    const r = verify(
      thing({ owner: { name: "p", nickname: "q", address: { city: "c", zip: "z" } } }),
    );
    expect(r.groups.map((g) => `${g.kind} ${g.example}`).sort()).toEqual([
      "undocumented-field /owner/address/zip",
      "undocumented-field /owner/nickname",
    ]);
  });

  it("finds a field in a oneOf branch", () => {
    const r = verify(thing({ kind: { meows: true, purrs: true } }));
    expect(r.groups.map((g) => `${g.kind} ${g.example}`)).toEqual([
      "undocumented-field /kind/purrs",
    ]);
  });

  it("tells a real violation in an anyOf from an undocumented field", () => {
    const r = verify(thing({ owner: { name: 3, address: { city: "c", zip: "z" } } }));
    expect(r.groups.map((g) => `${g.kind} ${g.rule} ${g.example}`).sort()).toEqual([
      "schema type /owner/name",
      "undocumented-field unevaluatedProperties /owner/address/zip",
    ]);
  });

  it("an object whose keys are data is a map: one finding, no key printed", () => {
    const counts: Record<string, number> = { a: 1 };
    for (let i = 0; i < 40; i++)
      counts[
        `sku_${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`
      ] = i;
    counts["42"] = 1;
    const r = verify(thing({ counts }));
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]).toMatchObject({
      kind: "undocumented-field",
      property: "*",
      pattern: "/counts/*",
      count: 41,
    });
  });
});
