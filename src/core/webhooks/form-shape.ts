// What a decoded form must look like for its type to be true: which declared fields are text,
// lists or objects, and which are required. A vendor writes its payloads' shapes from its
// description (a test checks them against it); fields a shape does not declare may hold anything.
import type { FormValue } from "./bracket-form.js";

export type FormShape =
  /** Text (every scalar of a form: numbers, flags and dates arrive as text). */
  | "text"
  /** A list whose every item has the item's shape. */
  | { readonly list: FormShape }
  /** An object: its declared fields have their shapes, the required ones are present. */
  | { readonly fields: Readonly<Record<string, FormShape>>; readonly required?: readonly string[] }
  /** Any one of these (text or a list, say). */
  | { readonly oneOf: readonly FormShape[] };

/** Fields of text, from their names separated by spaces. */
export function textFields(names: string): Record<string, FormShape> {
  return Object.fromEntries(names.split(" ").map((name) => [name, "text"] as const));
}

/**
 * The path of the first value that does not have its shape (`line_items[0][quantity]`), or
 * undefined when the value conforms. Visits each value once per alternative of a `oneOf`.
 */
export function shapeMismatch(value: FormValue, shape: FormShape, path = ""): string | undefined {
  if (shape === "text") return typeof value === "string" ? undefined : path || "(the form)";
  if ("oneOf" in shape) {
    return shape.oneOf.some((alternative) => shapeMismatch(value, alternative, path) === undefined)
      ? undefined
      : path || "(the form)";
  }
  if ("list" in shape) {
    if (!Array.isArray(value)) return path || "(the form)";
    for (let i = 0; i < value.length; i++) {
      const wrong = shapeMismatch(value[i]!, shape.list, `${path}[${i}]`);
      if (wrong !== undefined) return wrong;
    }
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value)) return path || "(the form)";
  for (const name of shape.required ?? []) {
    if (!Object.hasOwn(value, name)) return child(path, name);
  }
  for (const [name, fieldShape] of Object.entries(shape.fields)) {
    if (!Object.hasOwn(value, name)) continue;
    const wrong = shapeMismatch(value[name]!, fieldShape, child(path, name));
    if (wrong !== undefined) return wrong;
  }
  return undefined;
}

const child = (path: string, name: string) => (path === "" ? name : `${path}[${name}]`);
