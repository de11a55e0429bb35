// The undocumented fields of a body, from the strict pass (strict-schemas.ts). Its
// `unevaluatedProperties` errors name them, with one trap: an undocumented field deep inside one
// branch of an `anyOf`/`oneOf` makes that branch fail in the strict pass where it passed in the
// plain one, and a failed branch evaluates nothing, so the schema around it then reports every
// property of the object as unevaluated. So errors at a place where an anyOf/oneOf failed are
// not believed; when the strict pass failed a composition the plain pass did not, the fields
// found elsewhere are removed from a copy of the body and the strict pass runs again (a few
// rounds at most): the composition then passes, and what it reports is true.
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { VERIFY_LIMITS } from "./limits.js";
import { escapeSegment, segmentsOf } from "./pointers.js";

type Json = any;

export interface ExtraField {
  /** The object's pointer in the body, and the undocumented property in it. */
  parent: string;
  property: string;
  /** The schema that did not evaluate it (the strict twin's node). */
  schema: object | undefined;
}

const isComposition = (e: ErrorObject) => e.keyword === "anyOf" || e.keyword === "oneOf";

/**
 * Undocumented fields of `body`; `strictErrors` are those of a first strict pass that failed,
 * `plainFailures` the places where the plain pass failed an anyOf/oneOf (they fail anyway).
 */
export function extraFields(
  validate: ValidateFunction,
  body: Json,
  strictErrors: readonly ErrorObject[],
  plainFailures: ReadonlySet<string>,
): ExtraField[] {
  const found = new Map<string, ExtraField>();
  let errors = strictErrors;
  let data = body;
  for (let round = 0; ; round++) {
    const failedHere = new Set(errors.filter(isComposition).map((e) => e.instancePath));
    let fresh = 0;
    for (const e of errors) {
      if (e.keyword !== "unevaluatedProperties" || failedHere.has(e.instancePath)) continue;
      const property = String((e.params as { unevaluatedProperty?: unknown }).unevaluatedProperty);
      const key = `${e.instancePath}/${escapeSegment(property)}`;
      if (found.has(key)) continue;
      found.set(key, { parent: e.instancePath, property, schema: e.parentSchema as object });
      fresh++;
    }
    const strictOnly = [...failedHere].some((at) => !plainFailures.has(at));
    if (!strictOnly || fresh === 0 || round + 1 >= VERIFY_LIMITS.maxStrictRounds) break;
    if (data === body) data = structuredClone(body);
    for (const { parent, property } of found.values()) removeAt(data, parent, property);
    if (validate(data)) break;
    errors = validate.errors ?? [];
  }
  return [...found.values()];
}

function removeAt(data: Json, parent: string, property: string): void {
  let node = data;
  for (const segment of segmentsOf(parent)) {
    if (node === null || typeof node !== "object") return;
    node = node[segment];
  }
  if (node !== null && typeof node === "object" && !Array.isArray(node)) delete node[property];
}
