// JSON pointers (RFC 6901) into bodies and into the description, and their printable forms.
type Json = any;

export const escapeSegment = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
export const unescapeSegment = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

export const segmentsOf = (pointer: string): string[] =>
  pointer === "" || pointer === "#"
    ? []
    : pointer.replace(/^#/, "").slice(1).split("/").map(unescapeSegment);

/** The value at `pointer` in `value` (undefined when there is none). */
export function valueAt(value: Json, pointer: string): Json {
  let node = value;
  for (const segment of segmentsOf(pointer)) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[segment];
  }
  return node;
}

// A body pointer with its data taken out: array indices and any segment that is not a name the
// description knows (a map's keys: ids, refs) become `*`, so "/3/items/0/price" reads
// "/*/items/*/price". `keep` names the segments that may stay (the description's property names,
// and the undocumented names being reported).
// With `indices`, array indices stay (an example pointer: "/3/items/0/price"): positions, not data.
export function generalisePointer(
  pointer: string,
  keep: (segment: string) => boolean,
  indices = false,
): string {
  if (pointer === "") return "";
  let out = "";
  for (const segment of segmentsOf(pointer)) {
    const index = /^\d+$/.test(segment);
    out += "/" + ((index && indices) || (!index && keep(segment)) ? escapeSegment(segment) : "*");
  }
  return out;
}

/**
 * A description pointer (`#/components/schemas/Order/properties`) as an Overlay JSONPath target:
 * names with dots, array positions (in `doc`) as `[0]`, any other key quoted (`['200']`).
 */
export function jsonPathOf(pointer: string, doc: Json): string {
  let out = "$";
  let node = doc;
  for (const segment of segmentsOf(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += `.${segment}`;
    else out += `['${segment.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
    node = node?.[segment];
  }
  return out;
}

/** The names of every property the description's schemas declare. */
export function declaredNames(doc: Json): Set<string> {
  const names = new Set<string>();
  const seen = new WeakSet<object>();
  const walk = (node: Json): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    for (const key of Object.keys(node)) {
      if (key === "example" || key === "examples") continue;
      const child = node[key];
      if (key === "properties" && child && typeof child === "object" && !Array.isArray(child))
        for (const name of Object.keys(child)) names.add(name);
      if (key === "required" && Array.isArray(child))
        for (const name of child) if (typeof name === "string") names.add(name);
      walk(child);
    }
  };
  walk(doc);
  return names;
}
