// Hike's OAuth session: the current access token on every request, and on a 401 whose
// WWW-Authenticate says `invalid_token` one refresh with the refresh token, shared by every request
// that was refused with the same stale token, then one replay of each.
import { type ErrorContext, TokenRefreshError, TransportError } from "../core/errors.js";

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
  fetch: (request: Request) => Promise<Response>;
  /** Filled with every token the session holds, so that errors can redact them. */
  secrets: string[];
  vendor: string;
}

export function isInvalidToken(response: Response): boolean {
  return (
    response.status === 401 && /invalid_token/i.test(response.headers.get("WWW-Authenticate") ?? "")
  );
}

export function createOAuthSession(options: OAuthSessionOptions) {
  let accessToken = options.accessToken;
  let refreshToken = options.refreshToken;
  let refreshing: { stale: string; promise: Promise<string> } | undefined;
  const remember = (secret: string | undefined) => {
    if (secret && !options.secrets.includes(secret)) options.secrets.push(secret);
  };
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
      response = await options.fetch(
        new Request(options.tokenUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "application/json",
          },
          body,
        }),
      );
    } catch (err) {
      throw new TransportError(ctx, err, 1);
    }
    const text = await response.text();
    if (!response.ok) {
      throw new TokenRefreshError(
        ctx,
        `the token endpoint answered ${response.status}: ${text.slice(0, 200)}`,
        response.status,
      );
    }
    let json: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw new TokenRefreshError(ctx, "the token endpoint's answer is not JSON", response.status);
    }
    if (typeof json.access_token !== "string" || json.access_token === "") {
      throw new TokenRefreshError(
        ctx,
        "the token endpoint's answer has no access_token",
        response.status,
      );
    }
    accessToken = json.access_token;
    if (typeof json.refresh_token === "string" && json.refresh_token)
      refreshToken = json.refresh_token;
    remember(accessToken);
    remember(refreshToken);
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

  const withToken = (request: Request, token: string) => {
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${token}`);
    return new Request(request, { headers });
  };

  /** Wraps a fetch (the rate-limited, retrying one) with the session's token and its refresh. */
  return function authorizedFetch(inner: (request: Request) => Promise<Response>) {
    return async (request: Request): Promise<Response> => {
      const token = accessToken;
      // A body can be read once: keep a copy for the replay (only requests with a body pay for it).
      const replay = request.body !== null ? request.clone() : request;
      const response = await inner(withToken(request, token));
      if (!isInvalidToken(response)) return response;
      await response.body?.cancel().catch(() => undefined);
      const fresh = await refreshAfter(token);
      return inner(withToken(replay, fresh));
    };
  };
}
