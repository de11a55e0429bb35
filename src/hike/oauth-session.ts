// Hike's OAuth session: the current access token on every request, and on a 401 whose
// WWW-Authenticate says `invalid_token` one refresh with the refresh token, shared by every request
// that was refused with the same stale token, then one replay of each.
import { type ErrorContext, TokenRefreshError } from "../core/errors.js";
import { isToken } from "../core/credentials.js";
import { ClientRequest } from "../core/http/client-request.js";
import type { Secrets } from "../core/redact.js";
import { SendFailure, type SendSettings, sendable, sendOnce } from "../core/http/send.js";

export interface HikeTokens {
  accessToken: string;
  /** Hike may omit a new refresh token; the previous one is kept then. */
  refreshToken?: string;
  /** Seconds, as the token endpoint said. */
  expiresIn?: number;
}

export interface OAuthSessionOptions {
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** Called once per refresh with the new tokens: persist them. */
  onTokens?: (tokens: HikeTokens) => void | Promise<void>;
  tokenUrl: string;
  /** How the token request is sent (fetch, timeouts, size cap); it never follows a redirect. */
  send: SendSettings;
  /** Given every token the session holds, so that errors can redact them. */
  secrets: Secrets;
  vendor: string;
}

/** Longer than any WWW-Authenticate challenge worth reading. */
const MAX_CHALLENGE_LENGTH = 4_096;

/** A 401 whose WWW-Authenticate names `invalid_token` (RFC 6750 §3.1): the token expired. */
export function isInvalidToken(response: Response): boolean {
  if (response.status !== 401) return false;
  const challenge = response.headers.get("WWW-Authenticate") ?? "";
  return challenge.length <= MAX_CHALLENGE_LENGTH && /invalid_token/i.test(challenge);
}

export function createOAuthSession(options: OAuthSessionOptions) {
  let accessToken = options.accessToken;
  let refreshToken = options.refreshToken;
  let refreshing: { stale: string; promise: Promise<string> } | undefined;
  const remember = (secret: string | undefined) => options.secrets.add(secret);
  [options.accessToken, options.refreshToken, options.clientSecret].forEach(remember);
  const ctx: ErrorContext = {
    vendor: options.vendor,
    operation: `POST ${new URL(options.tokenUrl).pathname}`,
    secrets: options.secrets,
  };

  async function requestTokens(): Promise<string> {
    if (!refreshToken || !options.clientId || !options.clientSecret) {
      throw new TokenRefreshError(
        ctx,
        "refreshing needs refreshToken, clientId and clientSecret (give them to createHikeClient)",
      );
    }
    const body = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: options.clientId,
      client_secret: options.clientSecret,
    });
    let response: Response;
    try {
      response = await sendOnce(
        sendable({
          url: options.tokenUrl,
          method: "POST",
          headers: new Headers({
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "application/json",
          }),
          body: new TextEncoder().encode(body.toString()).buffer as ArrayBuffer,
        }),
        null,
        options.send,
        ctx,
      );
    } catch (err) {
      throw err instanceof SendFailure ? err.toError(ctx, 1) : err;
    }
    const text = await response.text();
    if (response.status >= 300 && response.status < 400) {
      // The refresh token and the client secret are in the body: never re-posted anywhere.
      throw new TokenRefreshError(
        ctx,
        `the token endpoint answered ${response.status}; token requests never follow redirects`,
        response.status,
      );
    }
    if (!response.ok) {
      throw new TokenRefreshError(
        ctx,
        `the token endpoint answered ${response.status}: ${options.secrets.cut(text, 200)}`,
        response.status,
      );
    }
    let json: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw new TokenRefreshError(ctx, "the token endpoint's answer is not JSON", response.status);
    }
    // Whatever came back is a credential: redacted from now on, before it can reach any message.
    for (const token of [json.access_token, json.refresh_token])
      if (typeof token === "string") remember(token);
    // It goes into a header next: a value a header cannot carry would make Headers throw, quoting it.
    if (!isToken(json.access_token)) {
      throw new TokenRefreshError(
        ctx,
        "the token endpoint's answer has no usable access_token",
        response.status,
      );
    }
    accessToken = json.access_token;
    if (typeof json.refresh_token === "string" && json.refresh_token)
      refreshToken = json.refresh_token;
    await options.onTokens?.({
      accessToken,
      refreshToken,
      ...(typeof json.expires_in === "number" ? { expiresIn: json.expires_in } : {}),
    });
    return accessToken;
  }

  /** The token to use after `stale` was refused: refreshed once, however many callers ask. */
  function refreshAfter(stale: string): Promise<string> {
    if (stale !== accessToken) return Promise.resolve(accessToken); // someone already refreshed
    if (refreshing?.stale !== stale) {
      const promise = requestTokens().finally(() => {
        if (refreshing?.promise === promise) refreshing = undefined;
      });
      refreshing = { stale, promise };
    }
    return refreshing.promise;
  }

  /** Wraps a fetch (the rate-limited, retrying one) with the session's token and its refresh. */
  return function authorizedFetch(inner: (request: Request) => Promise<Response>) {
    return async (request: Request): Promise<Response> => {
      const token = accessToken;
      // A body can be read once: keep a copy for the replay (only requests with a body pay for it).
      const replay = request.body !== null ? ClientRequest.copy(request) : request;
      request.headers.set("Authorization", `Bearer ${token}`);
      const response = await inner(request);
      if (!isInvalidToken(response)) return response;
      const fresh = await refreshAfter(token);
      replay.headers.set("Authorization", `Bearer ${fresh}`);
      return inner(replay);
    };
  };
}
