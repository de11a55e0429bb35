/**
 * Drift findings: each way a real response differs from its vendor's description, in one shape
 * shared by the clients' `validateResponses` and by `commerce-openapi verify`.
 *
 * Stable API (the verify command imports it; change it only with a major changeset):
 * - {@link DriftFinding}, {@link DriftKind};
 * - {@link classifyAjvErrors}`(errors, context)`: Ajv's error objects (draft 2020-12, any options
 *   but `messages` and `verbose` are ignored) → findings, anyOf/oneOf branch noise folded.
 *
 * Portable (web standards only, no Ajv import: errors are typed by their shape). Messages never
 * quote a value but an unlisted enum value, and go through the context's `redact` first.
 *
 * @module
 */

export type DriftKind =
  /** A status the operation does not document (nor a `2XX`-style range, nor `default`). */
  | "undocumented-status"
  /** A response header neither declared for the status nor a standard HTTP header (headers.ts). */
  | "undocumented-header"
  /** A property the schema does not name (the schemas are open: never an error). */
  | "undocumented-field"
  /** Any other rule of the schema: type, required, minimum, oneOf… */
  | "schema"
  /** A value the `enum` does not list. */
  | "enum"
  /** A string that does not match the `pattern`, or its `format` (date-time, uri…). */
  | "pattern";

export interface DriftFinding {
  kind: DriftKind;
  operationId: string;
  /** Upper case, as sent. */
  method: string;
  /** The path template, as the description writes it (`/locations/{location_id}/orders`). */
  path: string;
  status: number;
  /**
   * RFC 6901 pointer of the value in the body (`/3/status`; `` for the body itself, a status or a
   * header). For a missing required property or an undocumented field: the property's own pointer.
   */
  pointer: string;
  /**
   * The schema keyword that failed (`type`, `required`, `enum`, `pattern`, `format`, `anyOf`…);
   * `status` and `header` for those kinds, `additionalProperties` for an undocumented field.
   */
  rule: string;
  /**
   * JSON pointer (as a `#` fragment) of the failing keyword in the description:
   * `#/components/schemas/OrderStatus/enum`; a status: the operation's `…/responses`; a header: the
   * status's `…/headers`.
   */
  schemaPath: string;
  /** A sentence for people; redacted. */
  message: string;
  /** undocumented-header: the header's name, lower case. */
  header?: string;
  /** undocumented-field: the property's name. */
  field?: string;
}

/** The fields of an Ajv error object that a finding is made of. */
export interface AjvErrorLike {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface FindingContext {
  operationId: string;
  method: string;
  path: string;
  status: number;
  /**
   * The body schema's pointer in the description (`#/paths/~1location~1orders/get/responses/200/
   * content/application~1json/schema`). Ajv writes the paths of the schema it compiled relative to
   * it (`#/items/required`); those are made absolute with it. Paths already from the document's
   * root (`#/components/…`, `#/paths/…`, `#/webhooks/…`) are kept.
   */
  schemaPointer?: string;
  /** The body: an unlisted enum value is quoted from it. */
  body?: unknown;
  /** Applied to every message (the client's credentials); default: none. */
  redact?: (text: string) => string;
}

/** Kinds a keyword's failure is, when not "schema". */
const KIND_BY_KEYWORD: Record<string, DriftKind> = {
  enum: "enum",
  pattern: "pattern",
  format: "pattern",
  additionalProperties: "undocumented-field",
  unevaluatedProperties: "undocumented-field",
};
/** Errors that only say "a branch failed", whose cause is reported beside them. */
const WRAPPERS = new Set(["if", "then", "else", "$ref", "$dynamicRef"]);
const COMPOSITES = new Set(["anyOf", "oneOf"]);
const ABSOLUTE = /^#\/(?:components|paths|webhooks)\//;
const QUOTE_LIMIT = 80;

/**
 * Findings for a failed validation, in Ajv's order, one per distinct (pointer, rule, schemaPath).
 *
 * anyOf/oneOf: Ajv reports each branch's failures, then the composite's. The branch failures that
 * only say "this branch is another type" (a `type` error at the value itself, e.g. the `null`
 * branch of a nullable field) are dropped; if others remain (the enum of the branch that fits),
 * they are the findings, else the composite is (rule `anyOf`/`oneOf`, the types tried in its
 * message).
 */
export function classifyAjvErrors(
  errors: readonly AjvErrorLike[] | null | undefined,
  context: FindingContext,
): DriftFinding[] {
  const kept: (AjvErrorLike | undefined)[] = [];
  for (const error of errors ?? []) {
    if (WRAPPERS.has(error.keyword)) continue;
    // A oneOf that more than one branch matched has no branch failures to fold.
    if (!COMPOSITES.has(error.keyword) || error.params.passingSchemas != null) {
      kept.push(error);
      continue;
    }
    // The branch failures are the errors just before, at the value or under it.
    const at = error.instancePath;
    const types: string[] = [];
    let remaining = 0;
    for (let i = kept.length - 1; i >= 0; i--) {
      const branch = kept[i];
      if (branch === undefined) continue;
      if (branch.instancePath !== at && !branch.instancePath.startsWith(`${at}/`)) break;
      if (branch.keyword === "type" && branch.instancePath === at) {
        types.unshift(...[branch.params.type].flat().map(String));
        kept[i] = undefined;
      } else remaining++;
    }
    if (remaining === 0) kept.push({ ...error, params: { ...error.params, types } });
  }

  const seen = new Set<string>();
  const findings: DriftFinding[] = [];
  for (const error of kept) {
    if (error === undefined) continue;
    const f = findingOf(error, context);
    const key = `${f.pointer}\u0000${f.rule}\u0000${f.schemaPath}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(f);
  }
  return findings;
}

function findingOf(error: AjvErrorLike, context: FindingContext): DriftFinding {
  const { keyword, params } = error;
  const kind = KIND_BY_KEYWORD[keyword] ?? "schema";
  const property =
    keyword === "required" || keyword === "dependentRequired"
      ? params.missingProperty
      : keyword === "additionalProperties"
        ? params.additionalProperty
        : keyword === "unevaluatedProperties"
          ? params.unevaluatedProperty
          : undefined;
  const pointer =
    typeof property === "string"
      ? `${error.instancePath}/${escapePointer(property)}`
      : error.instancePath;
  const schemaPath =
    ABSOLUTE.test(error.schemaPath) || context.schemaPointer === undefined
      ? error.schemaPath
      : context.schemaPointer + error.schemaPath.slice(1);
  const text = `${pointer === "" ? "the body" : pointer} ${describe(error, context)}`;
  return {
    kind,
    operationId: context.operationId,
    method: context.method,
    path: context.path,
    status: context.status,
    pointer,
    rule: keyword,
    schemaPath,
    message: context.redact ? context.redact(text) : text,
    ...(kind === "undocumented-field" && typeof property === "string" ? { field: property } : {}),
  };
}

/** What is wrong, for the message: from the keyword and its params, never the value (but enum). */
function describe(error: AjvErrorLike, context: FindingContext): string {
  const p = error.params;
  switch (error.keyword) {
    case "type":
      return `must be ${[p.type].flat().join(" or ")}`;
    case "required":
    case "dependentRequired":
      return "is missing (required)";
    case "enum": {
      const allowed = Array.isArray(p.allowedValues) ? p.allowedValues.length : 0;
      return `${quoted(valueAt(context.body, error.instancePath))}is not one of the ${allowed} values listed (enum)`;
    }
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)} (const)`;
    case "pattern":
      return `does not match the pattern ${String(p.pattern)}`;
    case "format":
      return `is not a valid ${String(p.format)} (format)`;
    case "additionalProperties":
    case "unevaluatedProperties":
      return "is not in the description";
    case "anyOf":
    case "oneOf": {
      const types = Array.isArray(p.types) && p.types.length > 0 ? p.types : undefined;
      const tried = types ? ` (tried: ${[...new Set(types)].join(", ")})` : "";
      return error.keyword === "oneOf" && p.passingSchemas != null
        ? "matches more than one schema of its oneOf"
        : `matches none of the schemas of its ${error.keyword}${tried}`;
    }
    default: {
      const limit =
        p.limit === undefined
          ? ""
          : ` (${p.comparison ? `${String(p.comparison)} ` : ""}${String(p.limit)})`;
      return `fails ${error.keyword}${limit}`;
    }
  }
}

/** `"value" ` when `value` is a short scalar; else nothing. */
function quoted(value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
    return "";
  const text = JSON.stringify(value);
  return `${text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text} `;
}

function valueAt(body: unknown, pointer: string): unknown {
  if (pointer === "") return body;
  let node = body;
  for (const raw of pointer.slice(1).split("/")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

export const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
