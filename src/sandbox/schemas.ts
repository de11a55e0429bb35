// JSON Schema validation against a description, with Ajv (draft 2020-12, the dialect of OpenAPI
// 3.1). Schemas are compiled where they are in the document (`{ $ref: "openapi.json#/…" }`), so
// their own $refs resolve; each is compiled once, on first use. Two flavours:
// - `check`: the value as it is (JSON bodies, responses);
// - `coerce`: text converted in place to the number, integer or boolean the schema asks for, as a
//   server reads query strings and form bodies (Ajv's coerceTypes, arrays from single values).
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Json } from "./description.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** One way a value breaks its schema: where (a JSON pointer into the value) and what. */
export interface SchemaViolation {
  /** `/items/0/price`; `` for the value itself. */
  at: string;
  message: string;
}

export interface SchemaChecker {
  /** The violations of `value` against the schema at `pointer` (none: it is valid). */
  check(pointer: string, value: unknown): SchemaViolation[];
  /** The same after converting text to the types the schema asks for: the converted value too. */
  coerce(pointer: string, value: unknown): { value: unknown; violations: SchemaViolation[] };
}

/** At most this many violations are reported for one value (the first are the useful ones). */
const MAX_VIOLATIONS = 20;

function newAjv(coerce: boolean): Ajv2020 {
  // OpenAPI's own keywords (discriminator, xml, example, x-…) are annotations here; formats are
  // asserted, as the descriptions' patterns and formats are what the vendors send.
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    validateFormats: true,
    coerceTypes: coerce ? "array" : false,
  });
  addFormats(ajv);
  return ajv;
}

function violations(errors: ErrorObject[] | null | undefined): SchemaViolation[] {
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const e of errors ?? []) {
    // anyOf/oneOf report every branch's failure, then their own: keep the distinct ones.
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${String(e.params.additionalProperty)})`
        : e.keyword === "enum"
          ? ` (${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")})`
          : "";
    const v = { at: e.instancePath, message: `${e.message ?? e.keyword}${extra}` };
    const key = `${v.at} ${v.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
    if (out.length === MAX_VIOLATIONS) break;
  }
  return out;
}

const checkers = new WeakMap<object, SchemaChecker>();

/** The checker of a document, made once per document (its compiled schemas are kept). */
export function schemaChecker(doc: Json): SchemaChecker {
  let checker = checkers.get(doc);
  if (!checker) {
    checker = newChecker(doc);
    checkers.set(doc, checker);
  }
  return checker;
}

function newChecker(doc: Json): SchemaChecker {
  // Ajv converts in place, so a value to convert travels in a wrapper (`{ v: value }`): the root
  // of what it validates is never the value itself.
  const [check, coerce] = [false, true].map((coercing) => {
    const ajv = newAjv(coercing);
    ajv.addSchema(doc, "openapi.json");
    const compiled = new Map<string, ValidateFunction>();
    return (pointer: string, value: unknown) => {
      let validate = compiled.get(pointer);
      if (validate === undefined) {
        const schema = { $ref: `openapi.json${pointer}` };
        validate = ajv.compile(
          coercing ? { type: "object", properties: { v: schema }, required: ["v"] } : schema,
        );
        compiled.set(pointer, validate);
      }
      const data = coercing ? { v: value } : value;
      const found = validate(data) ? [] : violations(validate.errors);
      if (coercing) for (const v of found) v.at = v.at.replace(/^\/v/, "");
      return { value: coercing ? (data as { v: unknown }).v : value, violations: found };
    };
  });
  return {
    check: (pointer, value) => check!(pointer, value).violations,
    coerce: (pointer, value) => coerce!(pointer, value),
  };
}
