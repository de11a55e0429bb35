// HubRise index endpoints: `cursor` + `count` in the query, the next cursor in `X-Cursor-Next`
// (absent on the last page), a bare JSON array as the body.
import { type ErrorContext, PaginationError } from "../core/errors.js";
import { NO_SECRETS } from "../core/redact.js";

export const CURSOR_HEADER = "X-Cursor-Next";

/**
 * The next cursor, or undefined on the last page. A header that is present but cannot be a cursor
 * (empty, several values folded together, white space or control characters) is an error: guessing
 * would risk skipping or repeating pages.
 */
export function readCursorNext(response: Response, ctx: ErrorContext): string | undefined {
  const value = response.headers.get(CURSOR_HEADER);
  if (value === null) return undefined;
  if (!/^[\x21-\x2b\x2d-\x7e]{1,1024}$/.test(value)) {
    // Quoted only when the client's credentials can be redacted from it (a server may echo them).
    const shown =
      ctx.secrets === NO_SECRETS
        ? `(${value.length} characters)`
        : JSON.stringify(ctx.secrets.cut(value, 40));
    throw new PaginationError(
      ctx,
      "malformed-header",
      `${CURSOR_HEADER} ${shown} is not a cursor (1 to 1,024 visible characters, no comma)`,
    );
  }
  return value;
}
