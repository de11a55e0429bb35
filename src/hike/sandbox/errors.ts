// Hike's error answers. Documented: the statuses (Hike's status-code page), a 401 whose
// WWW-Authenticate names `invalid_token` when a token was sent, the 429's text body with
// X-Rate-Limit-Problem (and Retry-After on newer pages), 500 for a missing or out-of-range
// `page_size`, and a 422 that details the problem "in the `errors` parameter". Not published, so
// the sandbox's choice (GAP): the JSON error body is `{ message }`, and a 422's `errors` is a list
// of `{ field, location, message }`, one per violation, naming the field as the request has it.
import type { OperationSpec } from "../../sandbox/description.js";
import type { CheckedRequest, Violation } from "../../sandbox/request-check.js";
import type { SandboxResponse, VendorErrors } from "../../sandbox/server.js";

export const RATE_LIMIT_TEXT =
  "oauth_problem=rate limit exceeded&oauth_problem_advice=please wait before retrying the Hike api";

/** Hike's header naming the window a 429 refused in. */
export type RateLimitProblem = "Minute" | "Daily";

/** One detail of a refused request: which field, where it was, and what is wrong with it. */
export interface HikeFieldError {
  field: string;
  location: "query" | "path" | "header" | "body";
  message: string;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Request Entity Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Hike's JSON error body (`ErrorBody`): a message, and a 422's `errors`. */
export function errorBody(
  status: number,
  message: string,
  errors?: HikeFieldError[],
  headers?: Record<string, string>,
): SandboxResponse {
  return { status, body: errors ? { message, errors } : { message }, headers };
}

export function rateLimited(problem: RateLimitProblem, retryAfter?: number): SandboxResponse {
  const headers: Record<string, string> = { "X-Rate-Limit-Problem": problem };
  if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
  return { status: 429, text: RATE_LIMIT_TEXT, contentType: "text/plain", headers };
}

/**
 * The 401: without a token, `WWW-Authenticate: Bearer`; with one Hike does not accept (unknown,
 * expired, or no longer valid), `error="invalid_token"` and why, which is what clients refresh
 * on. The token itself is never repeated.
 */
export function unauthorized(tokenSent: boolean): SandboxResponse {
  return tokenSent
    ? errorBody(401, "The access token is invalid or has expired.", undefined, {
        "WWW-Authenticate":
          'Bearer, error="invalid_token", error_description="The access token is invalid or has expired"',
      })
    : errorBody(
        401,
        "No access token was sent: use Authorization: Bearer <access token>.",
        undefined,
        {
          "WWW-Authenticate": "Bearer",
        },
      );
}

export const notFound = (what: string) => errorBody(404, `${what} was not found.`);

/** A violation as the request has it: the field's own name (`name`, `product_type[0].type_name`). */
export function fieldError(v: Violation): HikeFieldError {
  // The engine's `where`: `query.page_size`, `path.id`, `header.Content-Type`, `body`, `body/a/0/b`.
  if (!(v.where === "body" || v.where.startsWith("body/"))) {
    const dot = v.where.indexOf(".");
    return {
      field: v.where.slice(dot + 1),
      location: v.where.slice(0, dot) as HikeFieldError["location"],
      message: v.message,
    };
  }
  const path = v.where
    .split("/")
    .slice(1)
    .reduce(
      (out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part),
      "",
    );
  const under = (name: string) => (path ? `${path}.${name}` : name);
  const required = /^must have required property '(.*)'$/.exec(v.message);
  if (required) return { field: under(required[1]!), location: "body", message: "is required" };
  const extra = /^must NOT have additional properties \((.*)\)$/.exec(v.message);
  if (extra) {
    return { field: under(extra[1]!), location: "body", message: "is not a field of this request" };
  }
  return { field: path || "body", location: "body", message: v.message };
}

const describe = (errors: HikeFieldError[]) =>
  errors.map((e) => `${e.field} ${e.message}`).join("; ");

/** A refusal of semantic errors in a well-formed body (422), naming each field. */
export function unprocessable(errors: HikeFieldError[]): SandboxResponse {
  return errorBody(422, `The request is not valid: ${describe(errors)}.`, errors);
}

/**
 * A request the description does not allow, as Hike answers it:
 * - a body that is not JSON, is missing, or has another Content-Type: 400 (status-code page);
 * - a missing or out-of-range `page_size`: 500 with a message (Hike's outlets reference);
 * - a well-formed body with wrong fields: 422 with `errors` (status-code page);
 * - any other parameter of the wrong type or format: 400.
 * Every violation is named in the message and in `errors`.
 */
export function invalid(
  violations: Violation[],
  operation: OperationSpec,
  _request: CheckedRequest,
): SandboxResponse {
  const errors = violations.map(fieldError);
  const unreadableBody = violations.some(
    (v) =>
      v.where === "header.Content-Type" ||
      (v.where === "body" && (v.message === "is required" || v.message.startsWith("is not "))),
  );
  const message = `The request is not valid: ${describe(errors)}.`;
  if (unreadableBody) return errorBody(400, message, errors);
  if (violations.some((v) => v.where === "query.page_size")) return errorBody(500, message, errors);
  const onlyBody = violations.every((v) => v.where === "body" || v.where.startsWith("body/"));
  if (onlyBody && operation.responses["422"]) return unprocessable(errors);
  return errorBody(400, message, errors);
}

export const hikeErrors: VendorErrors = {
  invalid,
  // ASP.NET Web API's answer to a path it has no route for.
  notFound: (path) =>
    errorBody(404, `No HTTP resource was found that matches the request URI '${path}'.`),
  methodNotAllowed: (allowed) => ({
    ...errorBody(
      405,
      `The requested resource does not support this HTTP method (${allowed.join(", ")}).`,
    ),
    headers: { Allow: allowed.join(", ") },
  }),
  status(status) {
    if (status === 429) return rateLimited("Minute");
    if (status === 401) return unauthorized(true);
    return errorBody(status, REASONS[status] ?? "Error");
  },
};
