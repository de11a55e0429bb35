// The schema of an undocumented field, inferred from what was seen: the JSON types of its values
// (several values: their union), and for objects and arrays the same of their members, a few
// levels deep. Only types and names come out, never a value. An object whose keys do not look
// like names (ids, numbers) or that has too many of them is a map: `additionalProperties`.
import { VERIFY_LIMITS } from "./limits.js";

type Json = any;

export interface Inferred {
  types: Set<string>;
  properties?: Map<string, Inferred>;
  /** Members of an object that is a map, or too many names to list. */
  values?: Inferred;
  items?: Inferred;
}

const MAX_DEPTH = 4;

/** A key that reads as a field name (not an id, a number, an e-mail address, a sentence). */
export const looksLikeName = (key: string) =>
  /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key) && (key.match(/\d/g)?.length ?? 0) <= 2;

export const jsonType = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "integer"
          : "number"
        : typeof value;

export function infer(value: Json, into?: Inferred, depth = 0): Inferred {
  const inferred = into ?? { types: new Set() };
  const type = jsonType(value);
  inferred.types.add(type);
  if (depth >= MAX_DEPTH) return inferred;
  if (type === "array") {
    // The first few items are enough to know their types.
    for (const item of (value as Json[]).slice(0, 8))
      inferred.items = infer(item, inferred.items, depth + 1);
  } else if (type === "object") {
    const keys = Object.keys(value);
    const map =
      inferred.values !== undefined ||
      keys.some((k) => !looksLikeName(k)) ||
      keys.length + (inferred.properties?.size ?? 0) > VERIFY_LIMITS.maxExtraNames * 4;
    if (map) {
      // Whatever was listed by name so far joins the map's values.
      for (const p of inferred.properties?.values() ?? [])
        inferred.values = merge(inferred.values, p);
      delete inferred.properties;
      for (const k of keys) inferred.values = infer(value[k], inferred.values, depth + 1);
    } else {
      inferred.properties ??= new Map();
      for (const k of keys)
        inferred.properties.set(k, infer(value[k], inferred.properties.get(k), depth + 1));
    }
  }
  return inferred;
}

function merge(a: Inferred | undefined, b: Inferred): Inferred {
  if (!a) return b;
  for (const t of b.types) a.types.add(t);
  if (b.items) a.items = merge(a.items, b.items);
  if (b.values) a.values = merge(a.values, b.values);
  if (b.properties) {
    a.properties ??= new Map();
    for (const [k, v] of b.properties) a.properties.set(k, merge(a.properties.get(k), v));
  }
  return a;
}

export { merge as mergeInferred };

/** The inferred schema as JSON Schema (2020-12). */
export function toSchema(inferred: Inferred): Json {
  const types = [...inferred.types];
  // integer is a number: both seen, number.
  const list = types.includes("number") ? types.filter((t) => t !== "integer") : types;
  list.sort((a, b) => (a === "null" ? 1 : b === "null" ? -1 : a.localeCompare(b)));
  const schema: Json = { type: list.length === 1 ? list[0] : list };
  if (inferred.properties && inferred.properties.size > 0)
    schema.properties = Object.fromEntries(
      [...inferred.properties].map(([k, v]) => [k, toSchema(v)]),
    );
  if (inferred.values) schema.additionalProperties = toSchema(inferred.values);
  if (inferred.items) schema.items = toSchema(inferred.items);
  return schema;
}
