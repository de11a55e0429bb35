// The two passes over a body, each schema compiled once (on first use) and kept:
// - strict: the strict twin (strict-schemas.ts), which also refuses undocumented fields. A body
//   that passes it is done: nothing is wrong and nothing is undocumented. This is the only pass
//   most bodies take;
// - plain: the description as it is (the sandboxes' Ajv setup: draft 2020-12, formats asserted),
//   run only when the strict pass failed, or when the schema reaches a `oneOf` or `not` (where
//   refusing more can turn a failure into a pass), to tell real violations from undocumented
//   fields.
// Ajv runs verbose: its errors carry the schema node they come from, mapped back to the node's
// pointer in the description, which is where an overlay proposes to change it.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { AjvErrorLike } from "../core/drift/findings.js";
import type { Json } from "../sandbox/description.js";
import { extraFields } from "./extra-fields.js";
import { VERIFY_LIMITS } from "./limits.js";
import { escapeSegment } from "./pointers.js";
import { strictDocument } from "./strict-schemas.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * What is wrong with a body, as Ajv errors whose `schemaPath` is the failing keyword's pointer
 * in the description (`#/components/schemas/OrderStatus/enum`), whichever schema was compiled.
 */
export interface BodyCheck {
  /** Violations of the description, as Ajv reported them (classifyAjvErrors folds them). */
  violations: AjvErrorLike[];
  /** Properties no schema lists (keyword `unevaluatedProperties`). */
  extras: AjvErrorLike[];
}

export interface BodyValidators {
  /** `undefined` when the body is valid and documented; the findings otherwise. */
  check(schemaPointer: string, body: unknown): BodyCheck | undefined;
}

function newAjv(doc: Json): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    validateFormats: true,
    verbose: true,
    logger: false,
  });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi.json");
  return ajv;
}

/** Every object node of the document, by identity, to its JSON pointer. */
function pointersOf(doc: Json): WeakMap<object, string> {
  const map = new WeakMap<object, string>();
  const walk = (node: Json, pointer: string) => {
    if (node === null || typeof node !== "object" || map.has(node)) return;
    map.set(node, pointer);
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${pointer}/${i}`));
    else
      for (const key of Object.keys(node))
        walk(node[key], `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  };
  walk(doc, "#");
  return map;
}

/** Whether the schema at `pointer` reaches a `oneOf` or a `not` (following $refs). */
function reachesExclusive(resolve: (ref: string) => Json) {
  const memo = new Map<object, boolean>();
  const visit = (node: Json): boolean => {
    if (node === null || typeof node !== "object") return false;
    const known = memo.get(node);
    if (known !== undefined) return known;
    memo.set(node, false);
    let result = false;
    if (!Array.isArray(node) && (node.oneOf !== undefined || node.not !== undefined)) result = true;
    else {
      for (const key of Object.keys(node)) {
        if (key === "example" || key === "examples" || key === "const" || key === "enum") continue;
        if (key === "$ref" && typeof node.$ref === "string") {
          if (visit(resolve(node.$ref))) result = true;
        } else if (visit(node[key])) result = true;
        if (result) break;
      }
    }
    memo.set(node, result);
    return result;
  };
  return (pointer: string) => visit(resolve(pointer));
}

export function bodyValidators(doc: Json): BodyValidators {
  const strict = strictDocument(doc);
  const plainAjv = newAjv(doc);
  const strictAjv = newAjv(strict.doc);
  let plainOrigin: WeakMap<object, string> | undefined;
  const at = (pointer: string): Json => {
    let node = doc;
    for (const raw of pointer.replace(/^#\/?/, "").split("/"))
      if (raw !== "") node = node?.[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
    return node;
  };
  const exclusive = reachesExclusive(at);
  const compiled = new Map<
    string,
    { strict: ValidateFunction; plain: ValidateFunction | undefined; needsPlain: boolean }
  >();

  const schemaPath = (node: unknown): string | undefined => {
    if (node === null || typeof node !== "object") return undefined;
    const fromStrict = strict.origin.get(node);
    if (fromStrict !== undefined) return fromStrict;
    plainOrigin ??= pointersOf(doc);
    return plainOrigin.get(node);
  };

  return {
    check(schemaPointer, body) {
      let entry = compiled.get(schemaPointer);
      if (!entry) {
        entry = {
          strict: strictAjv.compile({ $ref: `openapi.json${schemaPointer}` }),
          plain: undefined,
          needsPlain: exclusive(schemaPointer),
        };
        compiled.set(schemaPointer, entry);
      }
      const strictOk = entry.strict(body);
      if (strictOk && !entry.needsPlain) return undefined;
      const strictErrors = strictOk ? [] : [...(entry.strict.errors ?? [])];
      entry.plain ??= plainAjv.compile({ $ref: `openapi.json${schemaPointer}` });
      const plainOk = entry.plain(body);
      if (strictOk && plainOk) return undefined;
      const plainErrors = plainOk ? [] : (entry.plain.errors ?? []);
      const plainFailures = new Set(
        plainErrors
          .filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
          .map((e) => e.instancePath),
      );
      const located = (e: ErrorObject): AjvErrorLike => {
        const node = schemaPath(e.parentSchema);
        return {
          instancePath: e.instancePath,
          keyword: e.keyword,
          params: e.params,
          schemaPath: node === undefined ? e.schemaPath : `${node}/${escapeSegment(e.keyword)}`,
        };
      };
      const extras = strictOk ? [] : extraFields(entry.strict, body, strictErrors, plainFailures);
      return {
        violations: plainErrors.slice(0, VERIFY_LIMITS.maxViolationsPerBody).map(located),
        extras: extras.map((x) => {
          const node = schemaPath(x.schema);
          return {
            instancePath: x.parent,
            keyword: "unevaluatedProperties",
            params: { unevaluatedProperty: x.property },
            schemaPath: `${node ?? "#"}/unevaluatedProperties`,
          };
        }),
      };
    },
  };
}
