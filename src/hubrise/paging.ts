// HubRise index endpoints: `cursor` + `count` in the query, the next cursor in `X-Cursor-Next`
// (absent on the last page), a bare JSON array as the body.
import { type ErrorContext, PaginationError } from "../core/errors.js";

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
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw new PaginationError(
      ctx,
      "malformed-header",
      `${CURSOR_HEADER} ${JSON.stringify(shown)} is not a cursor`,
    );
  }
  return value;
}
