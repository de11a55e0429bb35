// A client's access token, request by request. The token comes from a fixed string, from a
// function of the app's, or from a token store; with a store and a way to refresh, the session
// renews the tokens before they expire (a margin before `expiresAt`) and after the vendor refuses
// one as no longer valid, then replays the request once. However many requests find the same token
// expiring or refused, one refresh serves them all, and the store is written once per refresh.
//
// This wraps the client's fetch from outside, so a replay is scheduled and counted like any call.
import { whenAborted } from "../abort.js";
import type { Clock } from "../clock.js";
import { isToken } from "../credentials.js";
import { type ErrorContext, OAuthError, TokenRefreshError } from "../errors.js";
import { ClientRequest } from "../http/client-request.js";
import type { Secrets } from "../redact.js";
import { withoutContext } from "./token-endpoint.js";
import {
  type AccessTokenProvider,
  DEFAULT_REFRESH_MARGIN_MS,
  type TokenSet,
  type TokenStore,
} from "./tokens.js";

export type Fetch = (request: Request) => Promise<Response>;

/** Where a session's tokens come from. */
export type TokenSource<Tokens extends TokenSet> =
  /** A fixed token, or a function giving one per request: never refreshed by the client. */
  | { accessToken: string | AccessTokenProvider }
  | {
      tokens: TokenStore<Tokens>;
      /** Renews the tokens with the refresh token; absent, they cannot be refreshed. */
      refresh?: ((refreshToken: string) => Promise<Tokens>) | undefined;
      /** Refresh this long before `expiresAt`. Default 60 s. */
      refreshMarginMs?: number | undefined;
      /** Why a refresh is impossible, when `refresh` or the refresh token is missing. */
      cannotRefresh?: string | undefined;
    };

export interface TokenSessionOptions<Tokens extends TokenSet> {
  vendor: string;
  source: TokenSource<Tokens>;
  /** The client's secrets: every token the session sees is added before it is sent. */
  secrets: Secrets;
  clock: Clock;
  /** Puts the token on a request (`Authorization: Bearer`, `X-Access-Token`, …). */
  authorize(request: Request, token: string): void;
  /** Whether an answer says the token it was sent with is no longer valid (the vendor's signal). */
  isRefused?: ((response: Response) => boolean | Promise<boolean>) | undefined;
  /** The operation refresh errors name (`POST /oauth/token`). */
  refreshOperation?: string;
}

/** Wraps a client's fetch with the session's token, its refresh and the replay. */
export function tokenSession<Tokens extends TokenSet>(
  options: TokenSessionOptions<Tokens>,
): (inner: Fetch) => Fetch {
  const { vendor, source, clock, authorize, isRefused } = options;
  const ctx: ErrorContext = {
    vendor,
    operation: options.refreshOperation ?? "token refresh",
    secrets: options.secrets,
  };
  const known = new Set<string>();
  const remember = (secret: unknown) => {
    if (typeof secret === "string" && !known.has(secret)) {
      known.add(secret);
      options.secrets.add(secret);
    }
  };
  /** `token`, once known sendable: a value a header cannot carry would be quoted by Headers. */
  const usable = (token: unknown, what: string): string => {
    remember(token);
    if (!isToken(token)) {
      throw new TypeError(
        `${vendor}: ${what} is not a usable access token ` +
          "(a non-empty string of visible ASCII characters)",
      );
    }
    return token;
  };

  if ("accessToken" in source) {
    const { accessToken } = source;
    if (typeof accessToken === "string") usable(accessToken, "accessToken");
    return (inner) => async (request) => {
      authorize(
        request,
        typeof accessToken === "string"
          ? accessToken
          : usable(await accessToken(), "the accessToken function's value"),
      );
      return inner(request);
    };
  }

  const { tokens: store, refresh, cannotRefresh } = source;
  const marginMs = source.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  if (!(Number.isFinite(marginMs) && marginMs >= 0)) {
    throw new RangeError("refreshMarginMs must be a number of ms ≥ 0");
  }

  async function read(): Promise<TokenSet> {
    const tokens = await store.get();
    if (tokens === null || typeof tokens !== "object") {
      throw new TypeError(`${vendor}: the token store's get() gave no token set`);
    }
    remember(tokens.refreshToken);
    usable(tokens.accessToken, "the token store's accessToken");
    return tokens;
  }

  /** The refresh of the tokens whose access token is `stale`: one, however many callers ask. */
  let last: { stale: string; promise: Promise<string> } | undefined;
  function refreshFrom(current: TokenSet): Promise<string> {
    if (last?.stale === current.accessToken) return last.promise;
    const promise = renew(current);
    last = { stale: current.accessToken, promise };
    // A failed refresh is not kept: the next call may try again.
    promise.catch(() => {
      if (last?.promise === promise) last = undefined;
    });
    return promise;
  }

  async function renew(current: TokenSet): Promise<string> {
    if (!refresh || !current.refreshToken) {
      throw new TokenRefreshError(
        ctx,
        cannotRefresh ?? "no refresh token (the token store's get() gave none)",
      );
    }
    let fresh: Tokens;
    try {
      fresh = await refresh(current.refreshToken);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      throw new TokenRefreshError(ctx, withoutContext(err.message, err), err.status);
    }
    if (fresh === null || typeof fresh !== "object") {
      throw new TokenRefreshError(ctx, "the refresh gave no token set");
    }
    remember(fresh.refreshToken);
    const token = usable(fresh.accessToken, "the refreshed accessToken");
    // A vendor may leave the refresh token out of a refresh's answer: the current one still holds.
    await store.set(fresh.refreshToken ? fresh : { ...fresh, refreshToken: current.refreshToken });
    return token;
  }

  return (inner) => async (request) => {
    const signal = ClientRequest.callerSignalOf(request);
    const tokens = await read();
    let token = tokens.accessToken;
    const { expiresAt } = tokens;
    if (
      refresh &&
      tokens.refreshToken &&
      typeof expiresAt === "number" &&
      clock.now() >= expiresAt - marginMs
    ) {
      try {
        token = await waitFor(refreshFrom(tokens), signal);
      } catch (err) {
        // Not expired yet: an outage of the token endpoint must not stop calls the token still
        // allows. A later call tries the refresh again.
        if (!(err instanceof TokenRefreshError) || clock.now() >= expiresAt) throw err;
      }
    }
    // A body can be read once: keep a copy for the replay (only requests with a body pay for it).
    const replay = isRefused && request.body !== null ? ClientRequest.copy(request) : request;
    authorize(request, token);
    const response = await inner(request);
    if (!isRefused || !(await isRefused(response))) return response;
    // Refused: unless the store holds newer tokens already (another call, or another process,
    // refreshed), refresh the ones it holds.
    const latest = await read();
    const fresh =
      latest.accessToken !== token
        ? latest.accessToken
        : await waitFor(refreshFrom(latest), signal);
    authorize(replay, fresh);
    return inner(replay);
  };
}

/** A memory-only store: `initial`, then each refresh's tokens, handed to `onTokens` too. */
export function memoryTokenStore<Tokens extends TokenSet>(
  initial: TokenSet,
  onTokens?: (tokens: Tokens) => void | Promise<void>,
): TokenStore<Tokens> {
  let current = initial;
  return {
    get: () => current,
    async set(tokens) {
      current = tokens;
      await onTokens?.(tokens);
    },
  };
}

/** `promise`, or the caller's abort: a caller stops waiting, the shared refresh goes on. */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | null): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const stop = whenAborted(signal, () => reject(signal.reason));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (err: unknown) => {
        stop();
        reject(err);
      },
    );
  });
}
