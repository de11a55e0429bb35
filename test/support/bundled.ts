// Test access to the committed bundles (generated/<vendor>/openapi.json) and a JSON Schema
// validator that resolves their internal $refs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { repoRoot } from "../../scripts/lib/vendors.js";

export type OpenApiDocument = Record<string, any>;

export function loadBundle(vendor: string): OpenApiDocument {
  return JSON.parse(
    readFileSync(path.join(repoRoot, "generated", vendor, "openapi.json"), "utf8"),
  ) as OpenApiDocument;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Validates values against schemas found at JSON pointers of the bundled document. */
export function schemaValidator(doc: OpenApiDocument) {
  // OpenAPI keywords (discriminator, xml, example, …) are annotations here; formats are asserted.
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    validateFormats: true,
  });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi.json");
  return (pointer: string, value: unknown): string[] => {
    const validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
  };
}

/** JSON-pointer escaping of one path segment. */
export const esc = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
