// A synthetic description of `resources × 4` operations, to show how the pipeline's cost grows: a
// list (cursor paging), a create, a read and an update per resource; shared schemas, parameters,
// headers and error responses; an example on every body, as our vendors' descriptions have. It
// follows the house rules, so the lint does the same work as on a real vendor.
import { mkdir, writeFile } from "node:fs/promises";
import type { ClientSampleProfile } from "../scripts/lib/code-sample-profiles.js";
import { vendorPaths, type Vendor } from "../scripts/lib/vendors.js";

const ref = (to: string) => ({ $ref: `#/components/${to}` });
const errors = {
  "400": ref("responses/BadRequest"),
  "401": ref("responses/Unauthorized"),
  "404": ref("responses/NotFound"),
  "429": ref("responses/TooManyRequests"),
  "500": ref("responses/InternalError"),
};
const evidence = { level: "confirmed", source: "https://example.com/docs/synthetic" };

function errorResponse(description: string) {
  return {
    description,
    content: {
      "application/json": {
        schema: ref("schemas/ErrorBody"),
        example: { error_type: "synthetic", message: description },
      },
    },
  };
}

function resourceSchema(i: number) {
  return {
    title: `Resource${i}`,
    type: "object",
    required: ["id", "name", "price"],
    properties: {
      id: { type: "string", readOnly: true, example: `r${i}-1` },
      name: { type: "string", example: `Resource ${i}` },
      price: ref("schemas/Money"),
      address: ref("schemas/Address"),
      contact: ref("schemas/Contact"),
      status: ref("schemas/Status"),
      audit: ref("schemas/Audit"),
      [`related_${i % 7}`]: { type: "array", items: ref(`schemas/Resource${(i + 1) % 250}Ref`) },
    },
  };
}

function resourceExample(i: number) {
  return {
    id: `r${i}-1`,
    name: `Resource ${i}`,
    price: "8.90 EUR",
    address: { street: "13 rue du Chant des Oiseaux", city: "Paris", postal_code: "75003" },
    contact: { email: "someone@example.com", phone: "+33 1 23 45 67 89" },
    status: "active",
    audit: { created_at: "2024-05-01T10:00:00Z", updated_at: "2024-05-02T10:00:00Z" },
  };
}

export function syntheticDescription(resources = 250): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    Money: { type: "string", pattern: "^-?\\d+\\.\\d{2} [A-Z]{3}$", example: "8.90 EUR" },
    Status: { type: "string", enum: ["active", "archived"] },
    Address: {
      type: "object",
      properties: {
        street: { type: "string" },
        city: { type: "string" },
        postal_code: { type: "string" },
      },
    },
    Contact: {
      type: "object",
      properties: { email: { type: "string", format: "email" }, phone: { type: "string" } },
    },
    Audit: {
      type: "object",
      properties: {
        created_at: { type: "string", format: "date-time" },
        updated_at: { type: "string", format: "date-time" },
      },
    },
    ErrorBody: {
      type: "object",
      required: ["error_type", "message"],
      properties: { error_type: { type: "string" }, message: { type: "string" } },
    },
  };
  for (let i = 0; i < resources; i++) {
    const name = `Resource${i}`;
    schemas[name] = resourceSchema(i);
    schemas[`${name}Ref`] = {
      type: "object",
      properties: { id: { type: "string" }, name: { type: "string" } },
    };
    const tag = `Group ${i % 20}`;
    const example = resourceExample(i);
    const one = { "application/json": { schema: ref(`schemas/${name}`), example } };
    const common = { tags: [tag], "x-evidence": evidence };
    paths[`/resources${i}`] = {
      get: {
        ...common,
        operationId: `listResources${i}`,
        summary: `List resources ${i}`,
        parameters: [ref("parameters/Cursor"), ref("parameters/Count")],
        responses: {
          "200": {
            description: "One page.",
            headers: { "X-Cursor-Next": ref("headers/XCursorNext") },
            content: {
              "application/json": {
                schema: { type: "array", items: ref(`schemas/${name}`) },
                example: [example, { ...example, id: `r${i}-2` }],
              },
            },
          },
          ...errors,
        },
      },
      post: {
        ...common,
        operationId: `createResource${i}`,
        summary: `Create a resource ${i}`,
        requestBody: { required: true, content: one },
        responses: { "200": { description: "Created.", content: one }, ...errors },
      },
    };
    paths[`/resources${i}/{id}`] = {
      parameters: [ref("parameters/Id")],
      get: {
        ...common,
        operationId: `getResource${i}`,
        summary: `Retrieve a resource ${i}`,
        responses: { "200": { description: "The resource.", content: one }, ...errors },
      },
      patch: {
        ...common,
        operationId: `updateResource${i}`,
        summary: `Update a resource ${i}`,
        requestBody: { required: true, content: one },
        responses: { "200": { description: "Updated.", content: one }, ...errors },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Synthetic API",
      version: "1.0.0",
      summary: "A synthetic description for the pipeline benchmark.",
      description: "Generated by bench/synthetic-description.ts.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "https://api.example.com/v1" }],
    security: [{ token: [] }],
    tags: Array.from({ length: 20 }, (_, g) => ({
      name: `Group ${g}`,
      description: `Group ${g}.`,
    })),
    paths,
    components: {
      securitySchemes: { token: { type: "http", scheme: "bearer" } },
      parameters: {
        Id: { name: "id", in: "path", required: true, schema: { type: "string" }, example: "r1-1" },
        Cursor: { name: "cursor", in: "query", schema: { type: "string" }, example: "a1b2" },
        Count: {
          name: "count",
          in: "query",
          schema: { type: "integer", minimum: 1, maximum: 100 },
          example: 100,
        },
      },
      headers: {
        XCursorNext: { description: "The next page's cursor.", schema: { type: "string" } },
      },
      responses: {
        BadRequest: errorResponse("Bad request."),
        Unauthorized: errorResponse("Unauthorized."),
        NotFound: errorResponse("Not found."),
        TooManyRequests: errorResponse("Too many requests."),
        InternalError: errorResponse("Internal error."),
      },
      schemas,
    },
  };
}

/** Writes the description as `<root>/openapi/synthetic/openapi.yaml` and returns it as a vendor. */
export async function writeSynthetic(root: string, resources = 250): Promise<Vendor> {
  const vendor = vendorPaths("synthetic", root);
  await mkdir(vendor.sourceDir, { recursive: true });
  await mkdir(vendor.generatedDir, { recursive: true });
  // JSON is YAML: the tools read it as they read our YAML sources.
  await writeFile(vendor.root, JSON.stringify(syntheticDescription(resources), null, 1));
  return vendor;
}

/** How the synthetic API's code samples would call a client (the docs step needs one). */
export const SYNTHETIC_PROFILE: ClientSampleProfile = {
  setup: `import { createSyntheticClient } from "synthetic";\n\nconst client = createSyntheticClient();`,
  client: "client",
  pagingParameters: ["cursor"],
  outsideClient: [],
  envPrefix: "SYNTHETIC",
};
