// Hiboutik's error body, `{error, code, error_description, details}`: `code: 1` when the credentials
// or the token are not valid (what apps refresh on), `details` mapping each offending field to a
// message on 422. The `error` strings and the other `code` values are not published (GAP): the
// sandbox writes a short name of the status and the status itself.
import type { OperationSpec } from "../../sandbox/description.js";
import type { CheckedRequest, Violation } from "../../sandbox/request-check.js";
import type { SandboxResponse } from "../../sandbox/server.js";

const NAMES: Record<number, [error: string, description: string]> = {
  400: ["bad_request", "Bad Request"],
  401: ["unauthorized", "API access is not granted"],
  403: ["forbidden", "Forbidden"],
  404: ["not_found", "Not Found"],
  405: ["method_not_allowed", "Method Not Allowed"],
  406: ["not_acceptable", "Not Acceptable: the API only sends application/json"],
  413: ["payload_too_large", "Payload Too Large"],
  422: ["unprocessable_entity", "Unprocessable Entity"],
  429: ["too_many_requests", "Too Many Requests"],
  500: ["internal_error", "Internal Server Error"],
  502: ["bad_gateway", "Bad Gateway"],
  503: ["service_unavailable", "Service Unavailable"],
  504: ["gateway_timeout", "Gateway Timeout"],
};

export interface ErrorOptions {
  /** `error`; default: the status's name. */
  error?: string;
  /** `code`; default: the status (1 for a refused credential). */
  code?: number;
  details?: Record<string, string>;
  headers?: Record<string, string>;
}

export function errorResponse(
  status: number,
  description?: string,
  options: ErrorOptions = {},
): SandboxResponse {
  const [error, fallback] = NAMES[status] ?? ["error", `HTTP ${status}`];
  const body: Record<string, unknown> = {
    error: options.error ?? error,
    code: options.code ?? (status === 401 ? 1 : status),
    error_description: description ?? fallback,
  };
  if (options.details) body.details = options.details;
  return { status, body, headers: options.headers };
}

export const notFound = (description: string) => errorResponse(404, description);

/** A 422 naming the fields at fault (`details`) and saying why (`error_description`). */
export function unprocessable(details: Record<string, string>): SandboxResponse {
  const why = Object.entries(details)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  return errorResponse(422, `Unprocessable Entity: ${why}`, { details });
}

/**
 * The field a violation is about, as Hiboutik's `details` names fields: the parameter's name
 * (`p`, `sale_id`), the body field (`store_id`; nested ones in bracket notation,
 * `line_items[0][product_id]`), or the header.
 */
function fieldOf(v: Violation): { field: string; message: string } {
  const required = /^must have required property '(.*)'$/.exec(v.message);
  const extra = /^must NOT have additional properties \((.*)\)$/.exec(v.message);
  const [place, ...rest] = v.where.split(/[./]/);
  const path = rest.filter((s) => s !== "");
  if (required) path.push(required[1]!);
  if (extra) path.push(extra[1]!);
  const message = required ? "is required" : extra ? "is not a field this call takes" : v.message;
  if (path.length === 0) return { field: place ?? "body", message };
  const [first, ...nested] = path;
  return { field: `${first}${nested.map((s) => `[${s}]`).join("")}`, message };
}

/**
 * A request the description does not allow: 422 (Hiboutik's status for a wrong value), every
 * violation in `details` and named in `error_description` (`body.store_id is required`).
 */
export function invalid(
  violations: Violation[],
  _operation: OperationSpec,
  _request: CheckedRequest,
): SandboxResponse {
  const details: Record<string, string> = {};
  for (const v of violations) {
    const { field, message } = fieldOf(v);
    details[field] = details[field] ? `${details[field]}; ${message}` : message;
  }
  const named = violations.map((v) => `${v.where} ${v.message}`).join("; ");
  return errorResponse(422, `Invalid request: ${named}`, { details });
}
