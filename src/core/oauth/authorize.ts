// The two ends of the user's trip through the vendor's authorize page: the URL the app sends the
// user to (with a fresh state), and the callback the vendor redirects the user back to (an error,
// or a code and the state, which must be the one sent).
import { type ErrorContext, OAuthError } from "../errors.js";
import { newState, verifyState } from "./state.js";

/** Where to send the user, and the state to keep (in the user's session) until the callback. */
export interface AuthorizationRequest {
  url: string;
  /** Keep it with the user's session; give it back to handleCallback() as `expectedState`. */
  state: string;
}

/**
 * `endpoint` with `params` (undefined ones left out) and a fresh `state` in its query. The app
 * never chooses the state: one it could choose could be guessed.
 */
export function authorizeUrl(
  endpoint: string,
  params: Readonly<Record<string, string | undefined>>,
): AuthorizationRequest {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  const state = newState();
  url.searchParams.set("state", state);
  return { url: url.href, state };
}

/** A parameter the authorize URL needs: a non-empty string (TypeError naming it otherwise). */
export function requireParam(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${name} must be a non-empty string`);
  }
  return value;
}

/** The URL the vendor sent the user back to (or a request's path and query, or its query). */
export type CallbackInput = string | URL | URLSearchParams;

/** Longer than any callback URL worth reading. */
const MAX_CALLBACK_LENGTH = 16_384;

/**
 * The authorization code of a callback, after checking it: an `error` parameter (the user denied
 * access) is an OAuthError carrying it; a state other than `expectedState` is an OAuthError (the
 * callback was not made for this user's request), and so is a missing code. The code is added to
 * `ctx.secrets` before anything else can quote it.
 */
export function codeFromCallback(
  callback: CallbackInput,
  expectedState: string,
  ctx: ErrorContext,
): string {
  const params = callbackParams(callback, ctx);
  const code = params.get("code");
  if (code) ctx.secrets.add(code);
  const error = params.get("error");
  if (error !== null) {
    throw new OAuthError(ctx, {
      error,
      errorDescription: params.get("error_description") ?? undefined,
      detail: "the authorization was not granted",
    });
  }
  if (!verifyState(params.get("state"), expectedState)) {
    throw new OAuthError(ctx, {
      detail:
        "the callback's state is not the one sent with this user's authorization request " +
        "(a forged or stale callback): nothing was exchanged",
    });
  }
  if (!code) throw new OAuthError(ctx, { detail: "the callback carries no code" });
  return code;
}

function callbackParams(callback: CallbackInput, ctx: ErrorContext): URLSearchParams {
  if (callback instanceof URLSearchParams) return callback;
  const text = String(callback);
  if (text.length > MAX_CALLBACK_LENGTH) {
    throw new OAuthError(ctx, {
      detail: `the callback URL is over ${MAX_CALLBACK_LENGTH} characters`,
    });
  }
  try {
    // A path and query (`/callback?code=…`, Node's req.url) is read against a dummy origin.
    return new URL(text, "http://callback.invalid").searchParams;
  } catch {
    throw new OAuthError(ctx, { detail: "the callback is not a URL" });
  }
}
