// The classifier from Ajv errors to drift findings (src/core/drift/findings.ts), on the generated
// HubRise validators and a page of orders from the sandbox: each mutation class is found, at the
// value's pointer, with the rule and its place in the description (a path that resolves there).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { classifyAjvErrors, type DriftFinding } from "../../src/core/drift/findings.js";
import type { ValidatorIndex } from "../../src/core/drift/validators.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { repoRoot } from "../../scripts/lib/vendors.js";

type Order = Record<string, unknown> & { items: Record<string, unknown>[] };
let page: Order[];
let description: Record<string, unknown>;
let validator: NonNullable<
  Awaited<
    ReturnType<NonNullable<ValidatorIndex["operations"][string]["load"]>>
  >["responses"][string]
>;

beforeAll(async () => {
  const sb = await startHubriseSandbox({ limits: false });
  try {
    const answer = await fetch(`${sb.url}/location/orders`, {
      headers: { "X-Access-Token": sb.credentials.accessToken },
    });
    page = (await answer.json()) as Order[];
  } finally {
    await sb.close();
  }
  description = JSON.parse(
    await readFile(path.join(repoRoot, "generated/hubrise/openapi.json"), "utf8"),
  ) as Record<string, unknown>;
  const { operations } =
    (await import("../../generated/hubrise/validators/index.js")) as ValidatorIndex;
  validator = (await operations["GET /location/orders"]!.load!()).responses["200"]!;
});

const context = {
  operationId: "listCurrentLocationOrders",
  method: "GET",
  path: "/location/orders",
  status: 200,
};

function findingsOf(body: unknown, redact?: (text: string) => string): DriftFinding[] {
  if (validator.validate(body)) return [];
  return classifyAjvErrors(validator.validate.errors, {
    ...context,
    schemaPointer: validator.schemaPath,
    body,
    redact,
  });
}

/** The description's node at a `#/…` pointer. */
function at(pointer: string): unknown {
  return pointer
    .slice(2)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], description);
}

describe("classifyAjvErrors on the generated validators", () => {
  it("finds nothing in what the sandbox answers", () => {
    expect(page.length).toBeGreaterThan(10);
    expect(findingsOf(page)).toEqual([]);
  });

  it("finds each mutation class at the value's pointer, with the rule and its place in the description", () => {
    const bad = structuredClone(page);
    bad[0]!.total = 12; // wrong type
    delete bad[1]!.id; // missing required field
    bad[2]!.status = "teleported"; // enum value not listed
    bad[3]!.items[0]!.price = "14.5 EUR"; // money pattern broken
    bad[4]!.created_at = "yesterday"; // date-time format broken
    const found = findingsOf(bad).map(({ kind, pointer, rule, schemaPath }) => ({
      kind,
      pointer,
      rule,
      schemaPath,
    }));
    expect(found).toEqual([
      {
        kind: "schema",
        pointer: "/0/total",
        rule: "type",
        schemaPath: "#/components/schemas/Money/type",
      },
      {
        kind: "schema",
        pointer: "/1/id",
        rule: "required",
        schemaPath: "#/components/schemas/Order/required",
      },
      {
        kind: "enum",
        pointer: "/2/status",
        rule: "enum",
        schemaPath: "#/components/schemas/OrderStatus/enum",
      },
      {
        kind: "pattern",
        pointer: "/3/items/0/price",
        rule: "pattern",
        schemaPath: "#/components/schemas/Money/pattern",
      },
      {
        kind: "pattern",
        pointer: "/4/created_at",
        rule: "format",
        schemaPath: "#/components/schemas/DateTime/format",
      },
    ]);
    // Each schemaPath is the failing keyword, in the description itself.
    for (const f of found) expect(at(f.schemaPath), f.schemaPath).toBeDefined();
  });

  it("makes the body schema's own paths absolute with its pointer", () => {
    const found = findingsOf({ not: "a list" });
    expect(found).toEqual([
      expect.objectContaining({
        kind: "schema",
        pointer: "",
        rule: "type",
        schemaPath: `${validator.schemaPath}/type`,
        message: "the body must be array",
      }),
    ]);
    expect(at(found[0]!.schemaPath)).toBe("array");
  });

  it("reports the branch that fits in a nullable anyOf, not the null branch", () => {
    const bad = structuredClone(page);
    const nullable = Object.entries(at("#/components/schemas/Order/properties") as object).find(
      ([, schema]) =>
        Array.isArray((schema as { anyOf?: unknown[] }).anyOf) &&
        JSON.stringify(schema).includes('"null"') &&
        JSON.stringify(schema).includes("OrderServiceType"),
    );
    expect(nullable?.[0]).toBe("service_type");
    bad[0]!.service_type = "teleport";
    expect(findingsOf(bad)).toEqual([
      expect.objectContaining({
        kind: "enum",
        pointer: "/0/service_type",
        schemaPath: "#/components/schemas/OrderServiceType/enum",
        message: expect.stringContaining('"teleport" is not one of'),
      }),
    ]);
  });

  it("redacts its messages", () => {
    const bad = structuredClone(page);
    bad[0]!.status = "token-5f0b9c2e71aa";
    const [finding] = findingsOf(bad, (text) =>
      text.replaceAll("token-5f0b9c2e71aa", "[redacted]"),
    );
    expect(finding!.message).toBe(
      '/0/status "[redacted]" is not one of the 11 values listed (enum)',
    );
  });
});

describe("classifyAjvErrors on error objects", () => {
  it("makes an unknown property an undocumented-field finding at its own pointer", () => {
    const found = classifyAjvErrors(
      [
        {
          instancePath: "/items/0",
          schemaPath: "#/components/schemas/OrderItem/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: "a/b" },
        },
      ],
      context,
    );
    expect(found).toEqual([
      {
        ...context,
        kind: "undocumented-field",
        pointer: "/items/0/a~1b",
        rule: "additionalProperties",
        schemaPath: "#/components/schemas/OrderItem/additionalProperties",
        message: "/items/0/a~1b is not in the description",
        field: "a/b",
      },
    ]);
  });

  it("reports a composite whose every branch is another type, with the types tried", () => {
    const found = classifyAjvErrors(
      [
        {
          instancePath: "/x",
          schemaPath: "#/anyOf/0/type",
          keyword: "type",
          params: { type: "string" },
        },
        {
          instancePath: "/x",
          schemaPath: "#/anyOf/1/type",
          keyword: "type",
          params: { type: "null" },
        },
        { instancePath: "/x", schemaPath: "#/anyOf", keyword: "anyOf", params: {} },
      ],
      { ...context, schemaPointer: "#/components/schemas/Thing" },
    );
    expect(found).toEqual([
      expect.objectContaining({
        kind: "schema",
        pointer: "/x",
        rule: "anyOf",
        schemaPath: "#/components/schemas/Thing/anyOf",
        message: "/x matches none of the schemas of its anyOf (tried: string, null)",
      }),
    ]);
  });

  it("reports a oneOf that more than one branch matched, whatever came before it", () => {
    const found = classifyAjvErrors(
      [
        {
          instancePath: "/x/y",
          schemaPath: "#/properties/x/properties/y/type",
          keyword: "type",
          params: { type: "string" },
        },
        {
          instancePath: "/x",
          schemaPath: "#/properties/x/oneOf",
          keyword: "oneOf",
          params: { passingSchemas: [0, 1] },
        },
      ],
      context,
    );
    expect(found.map((f) => [f.pointer, f.rule, f.message])).toEqual([
      ["/x/y", "type", "/x/y must be string"],
      ["/x", "oneOf", "/x matches more than one schema of its oneOf"],
    ]);
  });

  it("keeps errors before a composite that are not under its value", () => {
    const found = classifyAjvErrors(
      [
        {
          instancePath: "/a",
          schemaPath: "#/properties/a/type",
          keyword: "type",
          params: { type: "string" },
        },
        {
          instancePath: "/b",
          schemaPath: "#/properties/b/anyOf/0/type",
          keyword: "type",
          params: { type: "string" },
        },
        { instancePath: "/b", schemaPath: "#/properties/b/anyOf", keyword: "anyOf", params: {} },
      ],
      context,
    );
    expect(found.map((f) => [f.pointer, f.rule])).toEqual([
      ["/a", "type"],
      ["/b", "anyOf"],
    ]);
  });
});
