// What the response validators are compiled from: for each operation of a bundled description, its
// documented statuses, the headers each status declares, and the JSON schemas of its success
// bodies with their JSON pointers (the findings name the failing rule by its place in the
// description); and the schemas themselves without their annotations (descriptions, examples…),
// which Ajv's standalone code would otherwise copy into every module that quotes a schema.
import { refTarget } from "./refs.js";
import { operationsOf } from "./stats.js";

type Node = Record<string, unknown>;

/** A success body the client validates. */
export interface BodySpec {
  /** The status as the description writes it (`200`, `2XX`). */
  status: string;
  /** JSON pointer of the schema in the description (after following a response `$ref`). */
  pointer: string;
  /** The property names of the body (or of each item of a list), when cheap to check; else undefined. */
  fields: { list: boolean; names: string[] } | undefined;
}

export interface OperationSpec {
  key: string; // `GET /location/orders`
  operationId: string;
  statuses: string[];
  /** Declared header names (lower case) per status that declares any. */
  headers: Record<string, string[]>;
  bodies: BodySpec[];
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/i;
/** Keywords that only annotate: never asserted, and copied whole into the generated code. */
const ANNOTATIONS = new Set([
  "title",
  "description",
  "examples",
  "example",
  "externalDocs",
  "xml",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  // OpenAPI's discriminator only hints at the oneOf branch; the branches themselves decide.
  "discriminator",
]);
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_ONE = [
  "additionalProperties",
  "items",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
];

export const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
const unescapePointer = (key: string) => key.replace(/~1/g, "/").replace(/~0/g, "~");

/** A schema without its annotation keywords (and `x-` extensions), at every depth. */
export function withoutAnnotations(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const out: Node = {};
  for (const [key, value] of Object.entries(schema as Node)) {
    if (ANNOTATIONS.has(key) || key.startsWith("x-")) continue;
    if (SCHEMA_MAPS.includes(key) && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value as Node).map(([name, sub]) => [name, withoutAnnotations(sub)]),
      );
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(withoutAnnotations);
    } else if (SCHEMA_ONE.includes(key)) {
      out[key] = withoutAnnotations(value);
    } else {
      out[key] = value; // `enum`, `const`, `default`…: values, not schemas
    }
  }
  return out;
}

/**
 * The operations' response facts, and the document Ajv compiles: the component schemas and every
 * success body schema at its own pointer, annotations removed.
 */
export function responseSpecs(doc: Node): { operations: OperationSpec[]; schemaDoc: Node } {
  const schemaDoc: Node = {};
  const place = (pointer: string, schema: unknown) => {
    const keys = pointer.slice(2).split("/").map(unescapePointer);
    let node = schemaDoc;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Node;
    node[keys.at(-1)!] = withoutAnnotations(schema);
  };
  const components = ((doc.components as Node | undefined)?.schemas ?? {}) as Node;
  for (const [name, schema] of Object.entries(components))
    place(`#/components/schemas/${escapePointer(name)}`, schema);

  const operations: OperationSpec[] = [];
  for (const { path, method, operation } of operationsOf(doc)) {
    const responses = (operation.responses ?? {}) as Node;
    const spec: OperationSpec = {
      key: `${method.toUpperCase()} ${path}`,
      operationId: String(operation.operationId),
      statuses: Object.keys(responses),
      headers: {},
      bodies: [],
    };
    for (const [status, raw] of Object.entries(responses)) {
      const target = refTarget(doc, raw);
      const response = target.node;
      const base =
        target.pointer !== undefined
          ? `#${target.pointer}`
          : `#/paths/${escapePointer(path)}/${method}/responses/${escapePointer(status)}`;
      const headers = Object.keys((response.headers ?? {}) as Node).map((h) => h.toLowerCase());
      if (headers.length > 0) spec.headers[status] = headers;
      if (!status.startsWith("2")) continue;
      const content = (response.content ?? {}) as Record<string, { schema?: unknown }>;
      const media = Object.keys(content).find((type) => JSON_MEDIA.test(type));
      const schema = media === undefined ? undefined : content[media]!.schema;
      if (schema === undefined) continue;
      const pointer = `${base}/content/${escapePointer(media!)}/schema`;
      place(pointer, schema);
      spec.bodies.push({ status, pointer, fields: fieldsOf(doc, schema) });
    }
    operations.push(spec);
  }
  return { operations, schemaDoc };
}

/**
 * The property names of a body whose schema is an object (or a list of objects) with a closed set
 * of known properties: `allOf`, `anyOf` and `oneOf` branches add theirs. Undefined when a schema
 * on the way admits any name (additionalProperties or patternProperties with a schema, a free-form
 * object), or is not an object at all: nothing there is "undocumented".
 */
export function fieldsOf(doc: Node, schema: unknown): BodySpec["fields"] {
  let node = refTarget(doc, schema).node;
  let list = false;
  if (node.type === "array" || node.items !== undefined) {
    list = true;
    node = refTarget(doc, node.items).node;
  }
  const names = new Set<string>();
  const visit = (n: Node, depth: number): boolean => {
    if (depth > 10) return false;
    for (const key of ["additionalProperties", "patternProperties", "unevaluatedProperties"]) {
      if (n[key] !== undefined && n[key] !== false) return false;
    }
    for (const name of Object.keys((n.properties ?? {}) as Node)) names.add(name);
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      for (const branch of (n[key] ?? []) as unknown[]) {
        const b = refTarget(doc, branch).node;
        if (b.type === "null") continue;
        if (!visit(b, depth + 1)) return false;
      }
    }
    return true;
  };
  if (!visit(node, 0) || names.size === 0) return undefined;
  return { list, names: [...names].sort() };
}
