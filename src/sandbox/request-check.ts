// A request checked against its operation, as the vendor's server would read it: path, query and
// header parameters converted to their schemas' types (form style, exploded or comma-separated
// arrays, deepObject `name[key]=…`), the body read by its media type (JSON, a form in PHP bracket
// notation, multipart, or bytes as they are) and checked. Every violation names where it is
// (`query.count`, `body/items/0/price`) and what is wrong; none is fixed up silently.
import { parseBracketForm } from "../core/webhooks/bracket-form.js";
import { WebhookError } from "../core/errors.js";
import { NO_SECRETS } from "../core/redact.js";
import type { Json, OperationSpec, ParameterSpec } from "./description.js";
import type { SchemaChecker } from "./schemas.js";

export interface Violation {
  /** `path.order_id`, `query.count`, `header.X-Access-Token`, `body` or `body/items/0/price`. */
  where: string;
  message: string;
}

export interface CheckedRequest {
  /** Parameters by location and name, converted to their schemas' types. */
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  /** The decoded body (JSON value, form fields, multipart FormData, or the bytes). */
  body: unknown;
  /** The body's media type as sent (no parameters), or undefined without a body. */
  mediaType: string | undefined;
  violations: Violation[];
}

export interface RawRequest {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  contentType: string | undefined;
}

const FORM_LIMITS = { maxBytes: 8 * 1024 * 1024, maxDepth: 16, maxFields: 100_000 };
const FORM_CONTEXT = { vendor: "sandbox", operation: "form body", secrets: NO_SECRETS };
const decoder = new TextDecoder("utf-8", { fatal: true });

const isArraySchema = (schema: Json) =>
  schema?.type === "array" || (Array.isArray(schema?.type) && schema.type.includes("array"));
const isObjectSchema = (schema: Json) =>
  schema?.type === "object" || (schema?.properties !== undefined && schema?.type === undefined);

/** A parameter's value as text (or texts), the way its style puts it in the request. */
function rawParameter(p: ParameterSpec, raw: RawRequest): unknown {
  switch (p.in) {
    case "path":
      return raw.pathParams[p.name];
    case "header": {
      const value = raw.headers[p.name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    }
    case "query": {
      if (p.style === "deepObject") {
        const prefix = `${p.name}[`;
        const object: Record<string, string> = {};
        let found = false;
        for (const [key, value] of raw.query) {
          if (key.startsWith(prefix) && key.endsWith("]")) {
            object[key.slice(prefix.length, -1)] = value;
            found = true;
          }
        }
        return found ? object : undefined;
      }
      const values = raw.query.getAll(p.name);
      if (values.length === 0) return undefined;
      if (isArraySchema(p.schema)) {
        return p.explode ? values : values.flatMap((v) => (v === "" ? [] : v.split(",")));
      }
      if (isObjectSchema(p.schema) && !p.explode) {
        const parts = values[0]!.split(",");
        return Object.fromEntries(
          Array.from({ length: Math.floor(parts.length / 2) }, (_, i) => [
            parts[2 * i],
            parts[2 * i + 1],
          ]),
        );
      }
      return values[values.length - 1];
    }
    default:
      return undefined;
  }
}

function checkParameters(
  operation: OperationSpec,
  raw: RawRequest,
  schemas: SchemaChecker,
  out: CheckedRequest,
) {
  for (const p of operation.parameters) {
    if (p.in === "cookie") continue;
    const where = `${p.in}.${p.name}`;
    const value = rawParameter(p, raw);
    if (value === undefined || (value === "" && p.in === "path")) {
      if (p.required) out.violations.push({ where, message: "is required" });
      continue;
    }
    const { value: converted, violations } = schemas.coerce(p.schemaPointer, value);
    for (const v of violations) out.violations.push({ where: where + v.at, message: v.message });
    out[p.in][p.name] = converted;
  }
}

async function readBody(raw: RawRequest, mediaType: string): Promise<unknown> {
  if (mediaType === "application/json" || mediaType.endsWith("+json")) {
    return JSON.parse(decoder.decode(raw.body));
  }
  if (mediaType === "application/x-www-form-urlencoded") {
    return parseBracketForm(raw.body, FORM_LIMITS, FORM_CONTEXT);
  }
  if (mediaType === "multipart/form-data") {
    return new Response(raw.body as Uint8Array<ArrayBuffer>, {
      headers: { "Content-Type": raw.contentType! },
    }).formData();
  }
  return raw.body;
}

/** The schema a multipart body is checked against sees its text fields (files as their names). */
function multipartFields(form: FormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  form.forEach((value, name) => {
    const text = typeof value === "string" ? value : value.name;
    // The name as sent: a description names PHP-style array fields with their brackets (`image[]`).
    const before = fields[name];
    fields[name] =
      before === undefined ? text : [...(Array.isArray(before) ? before : [before]), text];
  });
  return fields;
}

async function checkBody(
  operation: OperationSpec,
  raw: RawRequest,
  schemas: SchemaChecker,
  out: CheckedRequest,
) {
  const spec = operation.body;
  if (raw.body.byteLength === 0) {
    if (spec?.required) out.violations.push({ where: "body", message: "is required" });
    return;
  }
  if (!spec) return; // A body the operation does not take is ignored, as servers do.
  const mediaType = raw.contentType?.split(";")[0]!.trim().toLowerCase();
  out.mediaType = mediaType;
  const media =
    mediaType === undefined
      ? undefined
      : (spec.content[mediaType] ??
        Object.entries(spec.content).find(([type]) => {
          const [major, minor] = type.split("/");
          return minor === "*" && mediaType.startsWith(`${major}/`);
        })?.[1] ??
        spec.content["*/*"]);
  if (media === undefined) {
    const accepted = Object.keys(spec.content).join(", ");
    out.violations.push({
      where: "header.Content-Type",
      message: `${mediaType ?? "missing"}: the operation takes ${accepted}`,
    });
    return;
  }
  try {
    out.body = await readBody(raw, mediaType!);
  } catch (err) {
    const why =
      err instanceof WebhookError ? err.message.replace(/^.*refused \([^)]*\): /, "") : "";
    out.violations.push({
      where: "body",
      message: `is not ${mediaType}${why ? `: ${why}` : err instanceof SyntaxError ? " (invalid JSON)" : ""}`,
    });
    return;
  }
  if (media.schemaPointer === undefined || out.body instanceof Uint8Array) return;
  const structured =
    mediaType === "application/json" || mediaType!.endsWith("+json") ? out.body : undefined;
  if (structured !== undefined) {
    for (const v of schemas.check(media.schemaPointer, structured)) {
      out.violations.push({ where: `body${v.at}`, message: v.message });
    }
    return;
  }
  // Forms carry text: converted to the schema's types, as the vendor's server reads them.
  const fields = out.body instanceof FormData ? multipartFields(out.body) : out.body;
  const { value, violations } = schemas.coerce(media.schemaPointer, fields);
  for (const v of violations) out.violations.push({ where: `body${v.at}`, message: v.message });
  if (!(out.body instanceof FormData)) out.body = value;
}

/** Reads and checks a request against `operation`. */
export async function checkRequest(
  operation: OperationSpec,
  raw: RawRequest,
  schemas: SchemaChecker,
): Promise<CheckedRequest> {
  const out: CheckedRequest = {
    path: {},
    query: {},
    header: {},
    body: undefined,
    mediaType: undefined,
    violations: [],
  };
  checkParameters(operation, raw, schemas, out);
  await checkBody(operation, raw, schemas, out);
  return out;
}
