// Hiboutik client: an openapi-fetch client typed by generated/hiboutik/schema.d.ts, with Basic or
// OAuth credentials (a token, a function giving it, or a token store the client refreshes), the
// shop's 30-concurrent-call cap, a 429 that is never retried (it means the monthly quota is
// spent), typed errors, concurrent page-number paging and single-record reads.
import createClient from "openapi-fetch";
import type { Readable, Writable } from "openapi-typescript-helpers";
import type { components, paths } from "../../generated/hiboutik/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import { basicAuthorization, requireSecretText, requireToken } from "../core/credentials.js";
import { memoryLimitsStore, type LimitsStore } from "../core/limits/store.js";
import { Secrets } from "../core/redact.js";
import { type Fetch, type TokenSource, tokenSession } from "../core/oauth/session.js";
import type { AccessTokenProvider, TokenStore } from "../core/oauth/tokens.js";
import {
  ApiError,
  InvalidResponseError,
  PaginationError,
  RecordNotFoundError,
} from "../core/errors.js";
import { numberedPages } from "../core/paging/numbered-pages.js";
import { type Page, type PagingGuards, itemsOf } from "../core/paging/pagination.js";
import { ClientRequest } from "../core/http/client-request.js";
import { observeResponses } from "../core/http/observed-client.js";
import type { DriftOptions } from "../core/drift/options.js";
import {
  createResilientFetch,
  DEFAULT_RETRY,
  type RetryOptions,
  type TransportOptions,
  transportOptions,
} from "../core/http/resilient-fetch.js";
import {
  apiErrorFor,
  type ClientFor,
  type ErrorPolicy,
  type GetInitArgs,
  type GetPathsWithQuery,
  type ListItem,
  withTypedErrors,
} from "../core/typed-client.js";
import { hiboutikPageReader } from "./paging.js";
import type { HiboutikRecordPath } from "./single-record-paths.js";
import { requireAccount } from "./account.js";
import { type HiboutikOAuth, type HiboutikTokens, isInvalidHiboutikToken } from "./oauth.js";

export * from "../core/public-errors.js";
export * from "../core/limits/public.js";
export type * from "../core/drift/public.js";
export {
  QuotaExhaustedError,
  RecordNotFoundError,
  OAuthError,
  TokenRefreshError,
  WebhookError,
  type WebhookFailure,
} from "../core/errors.js";
export { collect, type Page, type PagingGuards } from "../core/paging/pagination.js";
export type { Clock } from "../core/clock.js";
export type { RetryOptions, TransportOptions } from "../core/http/resilient-fetch.js";
export type { TimeoutOptions } from "../core/http/send.js";
export type { RedirectOptions } from "../core/http/redirects.js";
export type { components, paths, webhooks } from "../../generated/hiboutik/schema.js";
export { parseContentRange, parseLinkHeader, type ContentRange } from "./paging.js";
export { SINGLE_RECORD_PATHS, type HiboutikRecordPath } from "./single-record-paths.js";
export {
  HIBOUTIK_DEFAULT_SCOPE,
  hiboutikOAuth,
  type HiboutikOAuth,
  type HiboutikOAuthOptions,
  type HiboutikOAuthToken,
  type HiboutikTokens,
} from "./oauth.js";
export { verifyState } from "../core/oauth/state.js";
export type { AuthorizationRequest, CallbackInput } from "../core/oauth/authorize.js";
export type { AccessTokenProvider, TokenSet, TokenStore } from "../core/oauth/tokens.js";
export * from "./webhooks.js";

/** Hiboutik's published limits per shop, shared by every app of the shop. */
export const HIBOUTIK_LIMITS = { callsPerMonth: 10_000, concurrentCalls: 30 } as const;

/** The API's paths; the OAuth token endpoint lives under /oauth_api, not /api. */
export type HiboutikPaths = Omit<paths, "/token.php">;
type Schemas = components["schemas"];
/** A schema as Hiboutik sends it, e.g. `HiboutikSchema<"Sale">`. */
export type HiboutikSchema<Name extends keyof Schemas> = Readable<Schemas[Name]>;
/** A schema as a request body takes it, e.g. `HiboutikRequestSchema<"SaleCreate">`. */
export type HiboutikRequestSchema<Name extends keyof Schemas> = Writable<Schemas[Name]>;
export type HiboutikErrorBody = HiboutikSchema<"ErrorBody">;
export type HiboutikApiError = ApiError<HiboutikErrorBody>;
/** Paginated lists: the GETs that take `p`. */
export type HiboutikListPath = GetPathsWithQuery<HiboutikPaths, "p">;
export type HiboutikListItem<P extends keyof HiboutikPaths> = ListItem<HiboutikPaths, P>;

export type HiboutikCredentials =
  /** HTTP Basic: the user's login email and API key. */
  | { account: string; login: string; apiKey: string }
  /** OAuth 2.0: an app's access token, or a function giving it per request (never refreshed). */
  | { account: string; accessToken: string | AccessTokenProvider }
  /** OAuth 2.0: a token store, refreshed by the client. */
  | HiboutikTokenStoreCredentials;

/**
 * An app's tokens in a store, and Hiboutik's OAuth helper: refreshed before they expire and when
 * Hiboutik answers `code: 1` (the token is not valid), one refresh for every call that needs it.
 */
export interface HiboutikTokenStoreCredentials {
  account: string;
  /** Where the client reads the tokens (each request) and saves refreshed ones (once per refresh). */
  tokens: TokenStore<HiboutikTokens>;
  /** `hiboutikOAuth({ account, clientId, clientSecret })`, or anything that refreshes Hiboutik tokens. */
  oauth: Pick<HiboutikOAuth, "refreshTokens">;
  /** Refresh this long before `expiresAt`. Default 60,000 ms. */
  refreshMarginMs?: number;
}

export interface HiboutikClientOptions extends TransportOptions, DriftOptions {
  /** Default `https://{account}.hiboutik.com/api`. */
  baseUrl?: string;
  /**
   * Requests in flight at once, across every call of this client. Default and documented maximum:
   * 30 per shop (multi-store accounts may have more; the cap is shared by all apps of the shop).
   */
  maxConcurrentRequests?: number;
  /**
   * Where the shop's cap on calls in flight is counted. Default: in this client's memory. A shared
   * store (`redisLimitsStore` from `commerce-openapi/limits-redis`) holds it for every process of the
   * shop, with expiring leases, and counts the shop's 10,000 calls a month.
   */
  limitsStore?: LimitsStore;
  /**
   * The shop's calls a calendar month (UTC), counted by a shared `limitsStore`: past it, a call
   * ends with QuotaExhaustedError without being sent. Default 10,000 (a shop can buy more).
   */
  callsPerMonth?: number;
  /** Retry policy for idempotent requests (500, 502, 503, 504 and lost connections); `false` disables it. A 429 is never retried. */
  retry?: Omit<RetryOptions, "statuses"> | false;
  /** Throw ApiError for every non-2xx instead of returning `{ error }`. Default false. */
  throwOnError?: boolean;
  /**
   * Defaults for paginate()/pages(): pages fetched at once (default 4) and the safety caps (page
   * cap: default 10,000, the shop's monthly quota; a total announcing more is refused up front).
   */
  paging?: PagingGuards & { concurrency?: number };
  clock?: Clock;
}

export interface HiboutikPagingOptions {
  /** Pages fetched at once once the total is known. Default 4; at most maxConcurrentRequests. */
  concurrency?: number;
  signal?: AbortSignal;
}

type PagingArgs<P extends HiboutikListPath> =
  GetInitArgs<HiboutikPaths, P> extends [init?: infer I]
    ? [init?: I, options?: HiboutikPagingOptions]
    : GetInitArgs<HiboutikPaths, P> extends [init: infer I]
      ? [init: I, options?: HiboutikPagingOptions]
      : never;

/**
 * The Hiboutik client: openapi-fetch's methods typed by the description, plus paging. Made with
 * `throwOnError: true` (`HiboutikClient<true>`), a call that does not throw has its `data`.
 */
export type HiboutikClient<ThrowOnError extends boolean = false> = ClientFor<
  HiboutikPaths,
  ThrowOnError
> &
  HiboutikClientHelpers;

export interface HiboutikClientHelpers {
  /** Every row of a paginated list, in order; pages after the first are fetched concurrently. */
  paginate<P extends HiboutikListPath>(
    path: P,
    ...args: PagingArgs<P>
  ): AsyncGenerator<HiboutikListItem<P>, void, undefined>;
  /** The pages of a paginated list, in order, each with its rows and its Response. */
  pages<P extends HiboutikListPath>(
    path: P,
    ...args: PagingArgs<P>
  ): AsyncGenerator<Page<HiboutikListItem<P>>, void, undefined>;
  /**
   * The record of a single-record read (which Hiboutik answers with a one-element array). Throws
   * RecordNotFoundError on a 404 or an empty array.
   */
  one<P extends HiboutikRecordPath>(
    path: P,
    ...init: GetInitArgs<HiboutikPaths, P>
  ): Promise<HiboutikListItem<P>>;
}

const QUOTA_EXHAUSTED =
  "Hiboutik refused the call with 429: the shop's monthly call quota (10,000 calls a month, shared " +
  "by every app of the shop) is spent, and every call will be refused until the end of the month " +
  "unless more calls are bought in Hiboutik. Not retried";

type RawGet = (
  path: string,
  init: unknown,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export function createHiboutikClient(
  credentials: HiboutikCredentials,
  options: HiboutikClientOptions & { throwOnError: true },
): HiboutikClient<true>;
export function createHiboutikClient(
  credentials: HiboutikCredentials,
  options?: HiboutikClientOptions,
): HiboutikClient;
export function createHiboutikClient(
  credentials: HiboutikCredentials,
  options: HiboutikClientOptions = {},
): HiboutikClient<boolean> {
  const account = requireAccount(credentials?.account, "createHiboutikClient");
  let authorization: string | undefined;
  /** Where an OAuth token comes from when it is not fixed: set per request by a session. */
  let source: TokenSource<HiboutikTokens> | undefined;
  const secrets = new Secrets();
  if ("tokens" in credentials) {
    const { tokens, oauth, refreshMarginMs } = credentials;
    if (typeof tokens?.get !== "function" || typeof tokens.set !== "function") {
      throw new TypeError("createHiboutikClient: tokens must be a store with get() and set()");
    }
    if (typeof oauth?.refreshTokens !== "function") {
      throw new TypeError(
        "createHiboutikClient: oauth must be hiboutikOAuth(…) (it refreshes the tokens)",
      );
    }
    source = { tokens, refresh: (token) => oauth.refreshTokens(token), refreshMarginMs };
  } else if ("accessToken" in credentials && typeof credentials.accessToken === "function") {
    source = { accessToken: credentials.accessToken };
  } else if ("accessToken" in credentials) {
    const token = requireToken(credentials.accessToken, "createHiboutikClient: accessToken");
    authorization = `Bearer ${token}`;
    secrets.add(token);
  } else {
    const login = requireSecretText(credentials.login, "createHiboutikClient: login");
    const apiKey = requireSecretText(credentials.apiKey, "createHiboutikClient: apiKey");
    authorization = basicAuthorization(login, apiKey, "createHiboutikClient: login");
    secrets.add(apiKey);
    secrets.add(authorization.slice("Basic ".length));
  }

  const maxInFlight = options.maxConcurrentRequests ?? HIBOUTIK_LIMITS.concurrentCalls;
  const limiter = (options.limitsStore ?? memoryLimitsStore).inFlight({
    vendor: "Hiboutik",
    connection: account.toLowerCase(),
    max: maxInFlight,
    perMonth: wholeNumber(options.callsPerMonth ?? HIBOUTIK_LIMITS.callsPerMonth, "callsPerMonth"),
    clock: options.clock ?? systemClock,
  });
  const policy: ErrorPolicy = {
    ctx: { vendor: "Hiboutik", secrets },
    throwOnError: options.throwOnError ?? false,
    rateLimitExhausted: QUOTA_EXHAUSTED,
    quotaExhausted: QUOTA_EXHAUSTED,
  };
  const session =
    source &&
    tokenSession<HiboutikTokens>({
      vendor: "Hiboutik",
      source,
      secrets,
      clock: options.clock ?? systemClock,
      authorize: (request, token) => request.headers.set("Authorization", `Bearer ${token}`),
      isRefused: isInvalidHiboutikToken,
      refreshOperation: "POST /oauth_api/token.php",
    });
  const client = createClient<HiboutikPaths>({
    Request: ClientRequest,
    baseUrl: (options.baseUrl ?? `https://${account}.hiboutik.com/api`).replace(/\/+$/, ""),
    // A fixed credential is a header of every request; a session's token is set per request.
    headers: authorization
      ? { Authorization: authorization, Accept: "application/json" }
      : { Accept: "application/json" },
    fetch: (session ?? ((inner: Fetch) => inner))(
      createResilientFetch({
        ...transportOptions(options),
        vendor: "Hiboutik",
        clock: options.clock ?? systemClock,
        // 429 is the monthly quota: retrying spends nothing but time and can never succeed.
        retry:
          options.retry === false
            ? false
            : { ...options.retry, statuses: DEFAULT_RETRY.statuses.filter((s) => s !== 429) },
        concurrency: limiter,
        secrets,
      }),
    ),
  });
  observeResponses(
    client,
    { name: "hiboutik", ctx: policy.ctx, clock: options.clock ?? systemClock },
    options,
  );
  withTypedErrors(client, policy);
  const get = client.GET as unknown as RawGet;

  function pages<P extends HiboutikListPath>(path: P, ...args: PagingArgs<P>) {
    const [initArg, pagingArg] = args as [unknown, HiboutikPagingOptions | undefined];
    const init = (initArg ?? {}) as {
      params?: { query?: Record<string, unknown> };
      signal?: AbortSignal;
    } & Record<string, unknown>;
    const concurrency = pagingArg?.concurrency ?? options.paging?.concurrency ?? 4;
    if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= maxInFlight)) {
      throw new RangeError(
        `Hiboutik paging concurrency must be a whole number from 1 to ${maxInFlight} (the shop's concurrent-call cap)`,
      );
    }
    const operation = `GET ${String(path)}`;
    const ctx = { ...policy.ctx, operation };
    const firstPage = Number(init.params?.query?.p ?? 1);
    const signals = [init.signal, pagingArg?.signal].filter((s): s is AbortSignal => !!s);
    return numberedPages<HiboutikListItem<P>>(
      {
        first: Number.isInteger(firstPage) && firstPage >= 1 ? firstPage : 1,
        async fetchPage(p, signal) {
          const query = { ...init.params?.query, p };
          const result = await get(String(path), {
            ...init,
            params: { ...init.params, query },
            signal,
          });
          if (!result.response.ok) throw apiErrorFor(policy, operation, result);
          if (!Array.isArray(result.data)) {
            throw new PaginationError(ctx, "not-a-list", "the body is not a JSON array");
          }
          return { items: result.data as HiboutikListItem<P>[], response: result.response };
        },
        describe: hiboutikPageReader(ctx),
      },
      ctx,
      {
        maxPages: HIBOUTIK_LIMITS.callsPerMonth,
        ...options.paging,
        concurrency,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      },
    );
  }

  async function one<P extends HiboutikRecordPath>(
    path: P,
    ...args: GetInitArgs<HiboutikPaths, P>
  ): Promise<HiboutikListItem<P>> {
    const operation = `GET ${String(path)}`;
    const ctx = { ...policy.ctx, operation };
    let result: Awaited<ReturnType<RawGet>>;
    try {
      result = await get(String(path), args[0] ?? {});
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw new RecordNotFoundError(ctx, 404);
      throw err;
    }
    if (result.response.status === 404) throw new RecordNotFoundError(ctx, 404);
    if (!result.response.ok) throw apiErrorFor(policy, operation, result);
    const { data } = result;
    if (!Array.isArray(data)) {
      throw new InvalidResponseError(ctx, result.response.status, "expected a one-element array");
    }
    if (data.length === 0) throw new RecordNotFoundError(ctx, result.response.status);
    if (data.length > 1) {
      throw new InvalidResponseError(
        ctx,
        result.response.status,
        `expected a one-element array, got ${data.length} elements`,
      );
    }
    return data[0] as HiboutikListItem<P>;
  }

  return Object.assign(client, {
    pages,
    paginate: <P extends HiboutikListPath>(path: P, ...args: PagingArgs<P>) =>
      itemsOf(pages(path, ...args)),
    one,
  }) as HiboutikClient<boolean>;
}

function wholeNumber(value: number, name: string): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`createHiboutikClient: ${name} must be a whole number ≥ 1`);
  }
  return value;
}
