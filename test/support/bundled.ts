// Test access to the committed bundles (generated/<vendor>/openapi.json) and a JSON Schema
// validator that resolves their internal $refs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { schemaChecker } from "../../src/sandbox/schemas.js";

export type OpenApiDocument = Record<string, any>;

export function loadBundle(vendor: string): OpenApiDocument {
  return JSON.parse(
    readFileSync(path.join(repoRoot, "generated", vendor, "openapi.json"), "utf8"),
  ) as OpenApiDocument;
}

/**
 * Validates values against schemas found at JSON pointers of the bundled document: the sandboxes'
 * checker (src/sandbox/schemas.ts), so that the tests and the sandboxes judge alike.
 */
export function schemaValidator(doc: OpenApiDocument) {
  const { check } = schemaChecker(doc);
  return (pointer: string, value: unknown): string[] =>
    check(`#${pointer}`, value).map((v) => `${v.at || "/"} ${v.message}`);
}

/** JSON-pointer escaping of one path segment. */
export const esc = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
