// The strict twin of a description, for the "undocumented field" pass. The schemas are open (a
// vendor adding a field must never break a client), so a field they do not list is found by
// validating against a copy in which every object schema says `unevaluatedProperties: false`.
//
// Where that keyword goes matters. `unevaluatedProperties` sees the properties evaluated by the
// schema's in-place applicators ($ref, allOf, anyOf, oneOf, if/then/else, dependentSchemas), so
// it belongs on the *outermost* schema of an instance location and never on a member of a
// composition: `allOf: [{$ref: Base}, {properties: {extra}}]` with Base closed would refuse
// `extra`. So each schema is transformed in one of two modes:
// - strict: the schema of an instance location (a response body, a property's value, an array's
//   items). It gets `unevaluatedProperties: false` (unless it already says what happens to other
//   properties, `additionalProperties` or `unevaluatedProperties`, or cannot be an object);
// - loose: a member of a composition, applied in place. It gets nothing at its top.
// Either way the schemas of *other* locations beneath (properties, items, additionalProperties…)
// are strict again. A `$ref` in loose mode points to the loose twin of its target, kept under
// `x-verify-loose` and keyed by the target's pointer; a `$ref` in strict mode to the strict one,
// at the target's own pointer. A node that is only a `$ref` (and annotations) stays a `$ref` to
// the strict twin: the same meaning, less code for Ajv to run.
//
// Every transformed node is mapped to the pointer of the original node it came from, so a
// finding names a place in the description (where the overlay proposes its change).
import type { Json } from "../sandbox/description.js";

/** Where the loose twins live in the strict document. */
export const LOOSE_KEY = "x-verify-loose";

/** Keywords whose subschemas describe the same instance (in place). */
const IN_PLACE_LIST = ["allOf", "anyOf", "oneOf"] as const;
const IN_PLACE_ONE = ["if", "then", "else", "not"] as const;
/** Keywords whose subschemas describe another location (a property, an item). */
const CHILD_ONE = [
  "items",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "propertyNames",
  "contentSchema",
] as const;
const CHILD_MAP = ["properties", "patternProperties"] as const;
/** Annotations: a node made of only these and a `$ref` is a plain reference. */
const ANNOTATIONS = new Set([
  "$ref",
  "title",
  "description",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
  "default",
  "$comment",
  "externalDocs",
]);

export interface StrictDocument {
  /** The strict twin: the description's shape, its schemas transformed (see above). */
  doc: Json;
  /** The pointer (`#/components/schemas/Order`) of the original node a transformed node came from. */
  origin: WeakMap<object, string>;
}

const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const unescape = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

function at(doc: Json, pointer: string): Json {
  let node = doc;
  for (const raw of pointer.replace(/^#\/?/, "").split("/")) {
    if (raw === "") continue;
    node = node?.[unescape(raw)];
  }
  return node;
}

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The strict twin of `doc` (an OpenAPI 3.1 document whose `$ref`s are internal). */
export function strictDocument(doc: Json): StrictDocument {
  const origin = new WeakMap<object, string>();
  const objectish = objectSchemas(doc);
  const loose: Record<string, Json> = {};
  const strictByPointer = new Map<string, Json>();

  const looseRef = (pointer: string): string => {
    const key = pointer.replace(/^#/, "");
    if (!(key in loose)) {
      loose[key] = {}; // placeholder: a cycle back to this pointer finds it
      loose[key] = transform(at(doc, pointer), "loose", pointer);
    }
    return `#/${LOOSE_KEY}/${escape(key)}`;
  };

  function transform(node: Json, mode: "strict" | "loose", pointer: string): Json {
    if (typeof node === "boolean" || !isObject(node)) return node;
    if (mode === "strict") {
      const done = strictByPointer.get(pointer);
      if (done !== undefined) return done;
    }
    const keys = Object.keys(node);
    const plainRef = typeof node.$ref === "string" && keys.every((k) => ANNOTATIONS.has(k));
    if (plainRef && node.$ref.startsWith("#/")) {
      const out = { ...node, $ref: mode === "strict" ? node.$ref : looseRef(node.$ref) };
      origin.set(out, pointer);
      return out;
    }
    const out: Record<string, Json> = { ...node };
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) out.$ref = looseRef(node.$ref);
    for (const k of IN_PLACE_LIST)
      if (Array.isArray(node[k]))
        out[k] = node[k].map((s: Json, i: number) => transform(s, "loose", `${pointer}/${k}/${i}`));
    for (const k of IN_PLACE_ONE)
      if (node[k] !== undefined) out[k] = transform(node[k], "loose", `${pointer}/${k}`);
    if (isObject(node.dependentSchemas))
      out.dependentSchemas = mapValues(node.dependentSchemas, (s, name) =>
        transform(s, "loose", `${pointer}/dependentSchemas/${escape(name)}`),
      );
    for (const k of CHILD_ONE)
      if (node[k] !== undefined) out[k] = transform(node[k], "strict", `${pointer}/${k}`);
    for (const k of CHILD_MAP)
      if (isObject(node[k]))
        out[k] = mapValues(node[k], (s, name) =>
          transform(s, "strict", `${pointer}/${k}/${escape(name)}`),
        );
    if (Array.isArray(node.prefixItems))
      out.prefixItems = node.prefixItems.map((s: Json, i: number) =>
        transform(s, "strict", `${pointer}/prefixItems/${i}`),
      );
    if (
      mode === "strict" &&
      node.additionalProperties === undefined &&
      node.unevaluatedProperties === undefined &&
      objectish(node)
    )
      out.unevaluatedProperties = false;
    origin.set(out, pointer);
    if (mode === "strict") strictByPointer.set(pointer, out);
    return out;
  }

  // The document's schema positions: component schemas, and every `schema` of a media type,
  // parameter or header (responses and their headers are where the checks look).
  const walk = (node: Json, pointer: string, inComponentsSchemas: boolean): Json => {
    if (Array.isArray(node)) return node.map((n, i) => walk(n, `${pointer}/${i}`, false));
    if (!isObject(node)) return node;
    return mapValues(node, (child, key) => {
      const childPointer = `${pointer}/${escape(key)}`;
      if (inComponentsSchemas || key === "schema") return transform(child, "strict", childPointer);
      if (key === "example" || key === "examples" || key.startsWith("x-")) return child;
      return walk(child, childPointer, pointer === "#/components" && key === "schemas");
    });
  };
  const strict = walk(doc, "#", false);
  strict[LOOSE_KEY] = loose;
  return { doc: strict, origin };
}

function mapValues(
  object: Record<string, Json>,
  fn: (value: Json, key: string) => Json,
): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const key of Object.keys(object)) out[key] = fn(object[key], key);
  return out;
}

/**
 * Whether a schema describes objects: its `type` says "object", or it has object keywords
 * (properties, required…), or what it applies in place does. A schema that says nothing (`{}`, a
 * description only) accepts anything: its content is not "undocumented", it is undescribed.
 */
function objectSchemas(doc: Json): (schema: Record<string, Json>) => boolean {
  const memo = new WeakMap<object, boolean>();
  const check = (node: Json): boolean => {
    if (!isObject(node)) return false;
    const known = memo.get(node);
    if (known !== undefined) return known;
    memo.set(node, false); // a cycle adds nothing
    let result: boolean;
    const type = node.type;
    if (type !== undefined)
      result = Array.isArray(type) ? type.includes("object") : type === "object";
    else if (
      node.properties !== undefined ||
      node.patternProperties !== undefined ||
      node.required !== undefined ||
      node.propertyNames !== undefined
    )
      result = true;
    else
      result =
        (typeof node.$ref === "string" && check(at(doc, node.$ref))) ||
        IN_PLACE_LIST.some((k) => Array.isArray(node[k]) && node[k].some(check));
    memo.set(node, result);
    return result;
  };
  return check;
}
