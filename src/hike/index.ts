// Hike client: an openapi-fetch client typed by generated/hike/schema.d.ts, with the OAuth token
// from a string, a function or a token store (refreshed before it expires and once on
// `invalid_token`), every call scheduled inside Hike's rolling windows (60 per minute, 5,000 per
// day, refused calls counted too), the 4 MB body limit checked before sending, typed errors, and
// offset paging that fetches pages concurrently once the total is known.
import createClient from "openapi-fetch";
import type { Readable, Writable } from "openapi-typescript-helpers";
import type { components, paths } from "../../generated/hike/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import { requireSecretText, requireToken } from "../core/credentials.js";
import { oauthClient } from "../core/oauth/client.js";
import { memoryTokenStore, type TokenSource, tokenSession } from "../core/oauth/session.js";
import type { AccessTokenProvider, TokenStore } from "../core/oauth/tokens.js";
import { Secrets } from "../core/redact.js";
import { type ErrorContext, PaginationError, RequestTooLargeError } from "../core/errors.js";
import { numberedPages } from "../core/paging/numbered-pages.js";
import { type Page, type PagingGuards, itemsOf } from "../core/paging/pagination.js";
import { ClientRequest } from "../core/http/client-request.js";
import { observeResponses } from "../core/http/observed-client.js";
import type { DriftOptions } from "../core/drift/options.js";
import {
  createResilientFetch,
  type RetryOptions,
  type TransportOptions,
  transportOptions,
} from "../core/http/resilient-fetch.js";
import {
  apiErrorFor,
  type ClientFor,
  type ErrorPolicy,
  type GetPathsWithQuery,
  type GetData,
  withTypedErrors,
} from "../core/typed-client.js";
import {
  limitsConnection,
  memoryLimitsStore,
  type SharedLimitsOptions,
} from "../core/limits/store.js";
import { isInvalidToken } from "./oauth-session.js";
import { type HikeOAuth, type HikeTokens, hikeTokenRequests } from "./oauth.js";
import {
  HIKE_BUCKETS,
  HIKE_LIMITS,
  type HikeBucket,
  type HikeLimits,
  hikeWindows,
  refusedHikeBucket,
} from "./rate-limits.js";

export * from "../core/public-errors.js";
export * from "../core/limits/public.js";
export type * from "../core/drift/public.js";
export {
  OAuthError,
  RateLimitExhaustedError,
  RequestTooLargeError,
  TokenRefreshError,
} from "../core/errors.js";
export { collect, type Page, type PagingGuards } from "../core/paging/pagination.js";
export { acceleratedClock, type Clock } from "../core/clock.js";
export type { RetryOptions, TransportOptions } from "../core/http/resilient-fetch.js";
export type { TimeoutOptions } from "../core/http/send.js";
export type { RedirectOptions } from "../core/http/redirects.js";
export type { components, paths, webhooks } from "../../generated/hike/schema.js";
export { HIKE_LIMITS, type HikeLimits } from "./rate-limits.js";
export {
  HIKE_OAUTH_URL,
  hikeOAuth,
  type HikeOAuth,
  type HikeOAuthOptions,
  type HikeOAuthToken,
  type HikeTokens,
} from "./oauth.js";
export { verifyState } from "../core/oauth/state.js";
export type { AuthorizationRequest, CallbackInput } from "../core/oauth/authorize.js";
export type { AccessTokenProvider, TokenSet, TokenStore } from "../core/oauth/tokens.js";

export const HIKE_BASE_URL = "https://api.hikeup.com/api/v1";
export const HIKE_TOKEN_URL = "https://api.hikeup.com/oauth/token";
/** Hike refuses a POST body over 4 MB. */
export const HIKE_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** The largest page Hike serves; the default of paginate(), since every call counts. */
export const HIKE_MAX_PAGE_SIZE = 500;

/** The API's paths; the OAuth token endpoint is outside /api/v1 (see `hikeOAuth`). */
export type HikePaths = Omit<paths, "/oauth/token">;
type Schemas = components["schemas"];
export type HikeSchema<Name extends keyof Schemas> = Readable<Schemas[Name]>;
export type HikeRequestSchema<Name extends keyof Schemas> = Writable<Schemas[Name]>;
/** Lists: the GETs that take `skip_count`. */
export type HikeListPath = GetPathsWithQuery<HikePaths, "skip_count">;
/** The record type of a list's `items`. */
export type HikeListItem<P extends HikeListPath> = NonNullable<
  GetData<HikePaths, P>["items"]
>[number];

/**
 * What createHikeClient takes: a token store (refreshed by the client), a fixed token (refreshed
 * on `invalid_token` when given the refresh token and the app's credentials), or a function giving
 * one per request (never refreshed by the client).
 */
export type HikeClientCredentials =
  HikeTokenStoreCredentials | HikeCredentials | { accessToken: AccessTokenProvider };

/** A token store and Hike's OAuth helper: tokens refreshed before they expire and on `invalid_token`. */
export interface HikeTokenStoreCredentials {
  /** Where the client reads the tokens (each request) and saves refreshed ones (once per refresh). */
  tokens: TokenStore<HikeTokens>;
  /** `hikeOAuth({ clientId, clientSecret })`, or anything that refreshes Hike tokens. */
  oauth: Pick<HikeOAuth, "refreshTokens">;
  /** Refresh this long before `expiresAt`. Default 60,000 ms. */
  refreshMarginMs?: number;
}

/** A fixed access token, refreshed on `invalid_token` with the refresh token and the app's credentials. */
export interface HikeCredentials {
  accessToken: string;
  /** With clientId and clientSecret, lets the client refresh an expired access token. */
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** Receives the new tokens after each refresh (once per refresh): store them. */
  onTokens?: (tokens: HikeTokens) => void | Promise<void>;
}

export interface HikeClientOptions extends TransportOptions, DriftOptions, SharedLimitsOptions {
  baseUrl?: string;
  /**
   * The token endpoint the client refreshes with, given `refreshToken`, `clientId` and
   * `clientSecret` (a token store refreshes through its `oauth` helper instead); never follows a
   * redirect.
   */
  tokenUrl?: string;
  /**
   * Client-side scheduling within Hike's rolling windows (default: 60 a minute, 5,000 a day, per app
   * and store), counted in this client's memory unless `limitsStore` shares them (with `limitsKey`
   * naming the store: Hike's tokens change). `false` turns scheduling off.
   */
  limits?: Partial<HikeLimits> | false;
  /** Retry policy for idempotent requests (429, 5xx, lost connections); `false` disables it. */
  retry?: RetryOptions | false;
  throwOnError?: boolean;
  /**
   * Defaults of paginate()/pages(), with the safety caps (page cap: default 5,000, the daily
   * allowance; a totalCount announcing more pages is refused up front).
   */
  paging?: PagingGuards & HikePagingOptions;
  /** Guard band of the rolling windows, for latency and clock skew. Default 1,000 ms. */
  windowGuardMs?: number;
  clock?: Clock;
}

export interface HikePagingOptions {
  /** `page_size`, 1–500. Default 500: fewer, larger pages spend fewer of the 60 calls a minute. */
  pageSize?: number;
  /** Pages fetched at once once `totalCount` is known. Default 4 (all still within the limits). */
  concurrency?: number;
  signal?: AbortSignal;
}

/** A list's query parameters, without `page_size` and `skip_count`, which paginate() sets. */
type ListQuery<P extends HikeListPath> = HikePaths[P] extends {
  get: { parameters: { query: infer Q } };
}
  ? Omit<Q, "page_size" | "skip_count">
  : never;
type PagingArgs<P extends HikeListPath> = [
  init?: { params?: { query?: ListQuery<P> }; headers?: Record<string, string> },
  options?: HikePagingOptions,
];

/**
 * The Hike client: openapi-fetch's methods typed by the description, plus paging. Made with
 * `throwOnError: true` (`HikeClient<true>`), a call that does not throw has its `data`.
 */
export type HikeClient<ThrowOnError extends boolean = false> = ClientFor<HikePaths, ThrowOnError> &
  HikeClientHelpers;

export interface HikeClientHelpers {
  /** Every item of a list, in order, ending exactly at `totalCount`. */
  paginate<P extends HikeListPath>(
    path: P,
    ...args: PagingArgs<P>
  ): AsyncGenerator<HikeListItem<P>, void, undefined>;
  pages<P extends HikeListPath>(
    path: P,
    ...args: PagingArgs<P>
  ): AsyncGenerator<Page<HikeListItem<P>>, void, undefined>;
}

const RATE_LIMIT_EXHAUSTED =
  "Hike kept refusing with 429 until the retries ran out: this app's calls on this store are over " +
  "60 in the last minute or 5,000 in the last 24 hours (X-Rate-Limit-Problem says which), and " +
  "refused calls count too. Wait for the window to pass before calling again";

export function createHikeClient(
  credentials: HikeClientCredentials,
  options: HikeClientOptions & { throwOnError: true },
): HikeClient<true>;
export function createHikeClient(
  credentials: HikeClientCredentials,
  options?: HikeClientOptions,
): HikeClient;
export function createHikeClient(
  credentials: HikeClientCredentials,
  options: HikeClientOptions = {},
): HikeClient<boolean> {
  const vendor = "Hike";
  const secrets = new Secrets();
  const clock = options.clock ?? systemClock;
  const tokenUrl = options.tokenUrl ?? HIKE_TOKEN_URL;
  const policy: ErrorPolicy = {
    ctx: { vendor, secrets },
    throwOnError: options.throwOnError ?? false,
    rateLimitExhausted: RATE_LIMIT_EXHAUSTED,
  };
  const rateLimiting =
    options.limits === false
      ? undefined
      : {
          scheduler: (options.limitsStore ?? memoryLimitsStore).windows<HikeBucket>({
            vendor,
            connection: limitsConnection(options, undefined, "createHikeClient"),
            buckets: hikeWindows({ ...HIKE_LIMITS, ...options.limits }),
            clock,
            guardMs: options.windowGuardMs,
          }),
          bucketsFor: () => HIKE_BUCKETS,
          refusedBucket: refusedHikeBucket,
        };
  const limitedFetch = createResilientFetch({
    ...transportOptions(options),
    vendor,
    clock,
    retry: options.retry,
    rateLimiting,
    secrets,
  });
  const session = tokenSession<HikeTokens>({
    vendor,
    source: tokenSource(credentials, options, tokenUrl, secrets),
    secrets,
    clock,
    authorize: (request, token) => request.headers.set("Authorization", `Bearer ${token}`),
    isRefused: isInvalidToken,
    refreshOperation: `POST ${new URL(tokenUrl).pathname}`,
  });

  const client = createClient<HikePaths>({
    Request: ClientRequest,
    baseUrl: (options.baseUrl ?? HIKE_BASE_URL).replace(/\/+$/, ""),
    headers: { Accept: "application/json" },
    // The token is set per request by the session (it changes on refresh), outside the limiter so
    // that a replay after a refresh is scheduled and counted like any call.
    fetch: session(limitedFetch),
    bodySerializer(body: unknown) {
      const json = JSON.stringify(body);
      const bytes = new TextEncoder().encode(json).byteLength;
      if (bytes > HIKE_MAX_BODY_BYTES) {
        throw new RequestTooLargeError(
          { vendor, operation: "request", secrets },
          bytes,
          HIKE_MAX_BODY_BYTES,
        );
      }
      return json;
    },
  });
  observeResponses(client, { name: "hike", ctx: policy.ctx, clock }, options);
  withTypedErrors(client, policy);
  const get = client.GET as unknown as (
    path: string,
    init: unknown,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

  function pages<P extends HikeListPath>(path: P, ...args: PagingArgs<P>) {
    const [initArg, pagingArg] = args;
    const init = (initArg ?? {}) as { params?: { query?: Record<string, unknown> } } & Record<
      string,
      unknown
    >;
    const pageSize = pagingArg?.pageSize ?? options.paging?.pageSize ?? HIKE_MAX_PAGE_SIZE;
    const concurrency = pagingArg?.concurrency ?? options.paging?.concurrency ?? 4;
    if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= HIKE_MAX_PAGE_SIZE)) {
      throw new RangeError(`Hike page_size must be a whole number from 1 to ${HIKE_MAX_PAGE_SIZE}`);
    }
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new RangeError("Hike paging concurrency must be a whole number ≥ 1");
    }
    const operation = `GET ${String(path)}`;
    const ctx: ErrorContext = { ...policy.ctx, operation };
    const signals = [pagingArg?.signal, options.paging?.signal].filter(
      (s): s is AbortSignal => !!s,
    );
    // The paging data (totalCount, next) of each page's body, read by describe().
    const pagingData = new WeakMap<Response, { totalCount?: unknown; next?: unknown }>();
    return numberedPages<HikeListItem<P>>(
      {
        first: 1,
        async fetchPage(n, signal) {
          const query = {
            ...init.params?.query,
            page_size: pageSize,
            skip_count: (n - 1) * pageSize,
          };
          const result = await get(String(path), {
            ...init,
            params: { ...init.params, query },
            signal,
          });
          if (!result.response.ok) throw apiErrorFor(policy, operation, result);
          const data = result.data as { items?: unknown; totalCount?: unknown } | undefined;
          if (!Array.isArray(data?.items)) {
            throw new PaginationError(ctx, "not-a-list", "the body has no `items` array");
          }
          pagingData.set(result.response, data);
          return { items: data.items as HikeListItem<P>[], response: result.response };
        },
        describe(page, n) {
          const body = pagingData.get(page.response) ?? {};
          const total = body.totalCount;
          if (!(Number.isInteger(total) && (total as number) >= 0)) {
            throw new PaginationError(
              ctx,
              "malformed-paging-data",
              `totalCount ${JSON.stringify(total)} is not a count`,
            );
          }
          // A server that ignores skip_count answers the same rows for every page: the loop
          // refuses a page identical to the one before.
          const last = Math.max(1, Math.ceil((total as number) / pageSize));
          // `next` while the total says this was the last page: the total moved; follow `next`.
          const hasNext = typeof body.next === "string" && body.next !== "" && n >= last;
          return { last, hasNext };
        },
      },
      ctx,
      {
        maxPages: HIKE_LIMITS.perDay,
        ...options.paging,
        concurrency,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      },
    );
  }

  return Object.assign(client, {
    pages,
    paginate: <P extends HikeListPath>(path: P, ...args: PagingArgs<P>) =>
      itemsOf(pages(path, ...args)),
  }) as HikeClient<boolean>;
}

/** Where the session's tokens come from, for each form of the credentials. */
function tokenSource(
  credentials: HikeClientCredentials,
  options: HikeClientOptions,
  tokenUrl: string,
  secrets: Secrets,
): TokenSource<HikeTokens> {
  if (credentials === null || typeof credentials !== "object") {
    throw new TypeError("createHikeClient: credentials must be an object");
  }
  if ("tokens" in credentials) {
    const { tokens, oauth, refreshMarginMs } = credentials;
    if (typeof tokens?.get !== "function" || typeof tokens.set !== "function") {
      throw new TypeError("createHikeClient: tokens must be a store with get() and set()");
    }
    if (typeof oauth?.refreshTokens !== "function") {
      throw new TypeError("createHikeClient: oauth must be hikeOAuth(…) (it refreshes the tokens)");
    }
    return {
      tokens,
      refresh: (refreshToken) => oauth.refreshTokens(refreshToken),
      refreshMarginMs,
    };
  }
  if (typeof credentials.accessToken === "function")
    return { accessToken: credentials.accessToken };
  // A fixed token, refreshed with the refresh token and the app's credentials when given.
  const { accessToken, refreshToken, clientId, clientSecret, onTokens } =
    credentials as HikeCredentials;
  requireToken(accessToken, "createHikeClient: accessToken");
  for (const [name, value] of Object.entries({ refreshToken, clientId, clientSecret })) {
    if (value !== undefined) requireSecretText(value, `createHikeClient: ${name}`);
  }
  // Redacted from every error of the client, whatever echoes them.
  [refreshToken, clientSecret].forEach((secret) => secrets.add(secret));
  const app =
    clientId !== undefined && clientSecret !== undefined
      ? oauthClient(
          "Hike",
          "createHikeClient",
          { ...transportOptions(options), clientId, clientSecret, clock: options.clock },
          "form",
        )
      : undefined;
  const { refreshTokens } = app ? hikeTokenRequests(app, tokenUrl) : {};
  return {
    tokens: memoryTokenStore<HikeTokens>({ accessToken, refreshToken }, onTokens),
    refresh: refreshToken ? refreshTokens : undefined,
    cannotRefresh:
      "refreshing needs refreshToken, clientId and clientSecret (give them to createHikeClient)",
  };
}
