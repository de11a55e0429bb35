// A path parameter is one path segment. openapi-fetch percent-encodes each value, but `.` and `..`
// need no encoding, and every URL parser resolves them (`%2e%2e` too): `DELETE /add-ons/{id}` with
// id ".." would be sent as `DELETE /add-ons/`, the whole collection. An empty value likewise changes
// which endpoint is called, and a missing one would be sent as the literal `{id}`. All are refused
// before anything is sent.
import { type ErrorContext, InvalidParameterError } from "../errors.js";

const TEMPLATE_PARAMETER = /\{([^{}]+)\}/g;

export function checkPathParameters(template: string, values: unknown, ctx: ErrorContext): void {
  const params = (typeof values === "object" && values !== null ? values : {}) as Record<
    string,
    unknown
  >;
  for (const [, name] of template.matchAll(TEMPLATE_PARAMETER)) {
    const value = params[name!];
    if (value === undefined || value === null) {
      throw new InvalidParameterError(ctx, name!, "is missing");
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") {
      throw new InvalidParameterError(
        ctx,
        name!,
        `must be a string or a number, not ${typeof value}`,
      );
    }
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new InvalidParameterError(
        ctx,
        name!,
        `is ${JSON.stringify(text)}, which would change the request's path`,
      );
    }
  }
}
