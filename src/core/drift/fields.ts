// The client's cheap check for undocumented fields: the property names of the body (or of the first
// items of a list body) against the names its schema lists, computed at build time. Nested objects
// and the rest of a list are not walked: on a page of 100 orders that costs 30 µs, a sixth of the
// validation itself, on every response, for what the first items show as well (a vendor's new
// field comes on every record); the verify command finds them all in its strict pass. Reported
// once per operation, so a client stops looking once it has found one.
import { escapePointer } from "./findings.js";
import type { ResponseValidator } from "./validators.js";

const known = new WeakMap<readonly string[], Set<string>>();
/** The items of a list body looked at. */
const SAMPLE = 10;

/** The first undocumented property of `body`: its pointer and name; undefined if none. */
export function undocumentedField(
  body: unknown,
  fields: NonNullable<ResponseValidator["fields"]>,
): { pointer: string; field: string } | undefined {
  let names = known.get(fields.names);
  if (names === undefined) known.set(fields.names, (names = new Set(fields.names)));
  const items = fields.list ? (Array.isArray(body) ? body.slice(0, SAMPLE) : []) : [body];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== "object" || item === null || Array.isArray(item)) continue;
    for (const field in item) {
      if (!names.has(field)) {
        const at = fields.list ? `/${i}` : "";
        return { pointer: `${at}/${escapePointer(field)}`, field };
      }
    }
  }
  return undefined;
}
