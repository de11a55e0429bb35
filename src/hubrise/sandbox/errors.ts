// HubRise's error answers (General Concepts §6–7): a JSON body `{ error_type, message?, errors? }`
// with the documented `error_type`s. A request the description does not allow is answered 422
// `"Validation failed"` with `errors: [{ field, message }]` (the documented example's shape), its
// message naming every violation; a body that cannot be read at all is a 400; a media type the
// operation does not take is a 415. Nothing a client sent is echoed back (no token, no body).
import type { OperationSpec } from "../../sandbox/description.js";
import type { CheckedRequest, Violation } from "../../sandbox/request-check.js";
import type { SandboxResponse } from "../../sandbox/server.js";
import type { HubriseSchema } from "../index.js";

export type ErrorType = HubriseSchema<"ErrorType">;
export type FieldError = HubriseSchema<"ErrorFieldDetail">;

export const errorBody = (status: number, error_type: ErrorType, message?: string) => ({
  status,
  body: message === undefined ? { error_type } : { message, error_type },
});

/** The error_type HubRise pairs with a status (its status table). */
export function errorTypeOf(status: number): ErrorType {
  switch (status) {
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 415:
      return "unsupported_media_type";
    case 400:
    case 413:
    case 422:
      return "unprocessable_entity";
    case 429:
      return "too_many_requests";
    default:
      return "internal_error";
  }
}

/** The error answer for a bare status (injected faults, bodies over the cap, crashes). */
export const statusError = (status: number): SandboxResponse =>
  errorBody(status, errorTypeOf(status));

/** A record that does not exist, or is not visible to this connection: HubRise's 404. */
export const notFound = (): SandboxResponse => errorBody(404, "not_found");

/** HubRise's 422, naming every field at fault in `errors` and in the message. */
export function unprocessable(errors: FieldError[]): SandboxResponse {
  const named = errors.map((e) => `${e.field} ${e.message}`).join("; ");
  return {
    status: 422,
    body: { message: `Validation failed: ${named}`, errors, error_type: "unprocessable_entity" },
  };
}

/** `body/items/0/price` → `items[0].price`; `query.count` → `count`. */
function fieldOf(where: string): string {
  const [location, ...rest] = where.split(/[./]/);
  if (location === "body") {
    const path = where.slice("body".length).split("/").filter(Boolean);
    return path.reduce(
      (out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part),
      "",
    );
  }
  return rest.join(".") || where;
}

/** One violation as HubRise names a field error (a required property becomes its own field). */
function fieldError(v: Violation): FieldError {
  const required = /^must have required property '(.+)'$/.exec(v.message);
  const base = fieldOf(v.where);
  if (required)
    return { field: base ? `${base}.${required[1]}` : required[1]!, message: "is required" };
  const extra = /^must NOT have additional properties \((.+)\)$/.exec(v.message);
  if (extra)
    return { field: base ? `${base}.${extra[1]}` : extra[1]!, message: "is not a known field" };
  return { field: base || "body", message: v.message };
}

/** The engine's `errors.invalid`: the vendor's answer to a request the description does not allow. */
export function invalidRequest(
  violations: Violation[],
  _operation: OperationSpec,
  _request: CheckedRequest,
): SandboxResponse {
  const mediaType = violations.find((v) => v.where === "header.Content-Type");
  if (mediaType) {
    return errorBody(415, "unsupported_media_type", `Content-Type ${mediaType.message}`);
  }
  const unreadable = violations.find((v) => v.where === "body" && v.message.startsWith("is not "));
  if (unreadable) {
    return errorBody(400, "unprocessable_entity", `The request body ${unreadable.message}`);
  }
  return unprocessable(violations.map(fieldError));
}

/** A path the API does not have, or a method it does not take there: HubRise's routing error. */
export const noRoute = (what: string): SandboxResponse =>
  errorBody(404, "routing_error", `No route matches ${what}`);
