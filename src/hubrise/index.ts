// HubRise client: an openapi-fetch client typed by generated/hubrise/schema.d.ts, with the access
// token (a string, or a function giving it per request), HubRise's rate-limit windows, retries,
// typed errors and cursor paging.
import createClient from "openapi-fetch";
import type { Readable, Writable } from "openapi-typescript-helpers";
import type { components, paths } from "../../generated/hubrise/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import { requireToken } from "../core/credentials.js";
import { ApiError, PaginationError } from "../core/errors.js";
import { tokenSession } from "../core/oauth/session.js";
import type { AccessTokenProvider } from "../core/oauth/tokens.js";
import { NO_SECRETS, Secrets } from "../core/redact.js";
import {
  limitsConnection,
  memoryLimitsStore,
  type SharedLimitsOptions,
} from "../core/limits/store.js";
import { type Page, type PagingGuards, itemsOf, pageSequence } from "../core/paging/pagination.js";
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
  type GetInitArgs,
  type GetPathsWithQuery,
  type ListItem,
  withTypedErrors,
} from "../core/typed-client.js";
import { readCursorNext } from "./paging.js";
import {
  HUBRISE_LIMITS,
  type HubriseBucket,
  type HubriseLimits,
  hubriseBucketsFor,
} from "./rate-limits.js";

export { verifyHubriseSignature } from "./signature.js";
export {
  HUBRISE_OAUTH_URL,
  hubriseOAuth,
  type HubriseAuthorizeParams,
  type HubriseOAuth,
  type HubriseOAuthOptions,
  type HubriseOAuthToken,
  type HubriseTokens,
} from "./oauth.js";
export { verifyState } from "../core/oauth/state.js";
export type { AuthorizationRequest, CallbackInput } from "../core/oauth/authorize.js";
export type { AccessTokenProvider, TokenSet } from "../core/oauth/tokens.js";
export * from "./webhooks.js";
export { HEAVY_QUERY_PATHS, HUBRISE_LIMITS, type HubriseLimits } from "./rate-limits.js";
export * from "../core/public-errors.js";
export * from "../core/limits/public.js";
export type * from "../core/drift/public.js";
export {
  RateLimitExhaustedError,
  OAuthError,
  WebhookError,
  type WebhookFailure,
} from "../core/errors.js";
export { collect, type Page, type PagingGuards } from "../core/paging/pagination.js";
export { acceleratedClock, type Clock } from "../core/clock.js";
export type { RetryOptions, TransportOptions } from "../core/http/resilient-fetch.js";
export type { TimeoutOptions } from "../core/http/send.js";
export type { RedirectOptions } from "../core/http/redirects.js";
export type { components, paths, webhooks } from "../../generated/hubrise/schema.js";

export const HUBRISE_BASE_URL = "https://api.hubrise.com/v1";

/** The API's paths; the OAuth endpoints are served by another host and not reachable through it. */
export type HubrisePaths = Omit<paths, "/token" | "/revoke">;
type Schemas = components["schemas"];
/** A schema as HubRise sends it (read-only fields included), e.g. `HubriseSchema<"Order">`. */
export type HubriseSchema<Name extends keyof Schemas> = Readable<Schemas[Name]>;
/** A schema as a request body takes it (read-only fields removed), e.g. `HubriseRequestSchema<"OrderCreate">`. */
export type HubriseRequestSchema<Name extends keyof Schemas> = Writable<Schemas[Name]>;
export type HubriseErrorBody = HubriseSchema<"ErrorBody">;
export type HubriseApiError = ApiError<HubriseErrorBody>;
/** Index endpoints: the GETs that take `cursor`. */
export type HubriseListPath = GetPathsWithQuery<HubrisePaths, "cursor">;
export type HubriseListItem<P extends HubriseListPath> = ListItem<HubrisePaths, P>;

export interface HubriseCredentials {
  /**
   * The connection's access token, sent as X-Access-Token; or a function giving it for each
   * request (read from your store). HubRise's tokens never expire: there is nothing to refresh.
   */
  accessToken: string | AccessTokenProvider;
}

export interface HubriseClientOptions extends TransportOptions, DriftOptions, SharedLimitsOptions {
  baseUrl?: string;
  /**
   * Client-side scheduling within HubRise's windows (default: the published limits), counted in
   * this client's memory unless `limitsStore` shares them. `false` turns scheduling off.
   */
  limits?: Partial<HubriseLimits> | false;
  /** Retry policy for idempotent requests; `false` disables retries. */
  retry?: RetryOptions | false;
  /** Throw ApiError for every non-2xx instead of returning `{ error }`. Default false. */
  throwOnError?: boolean;
  /**
   * Safety caps of paginate()/pages(): the page cap (default 10,000, a connection's daily
   * allowance) and empty pages in a row.
   */
  paging?: PagingGuards;
  /** Guard band around window boundaries for clock skew and latency. Default 1,000 ms. */
  windowGuardMs?: number;
  clock?: Clock;
}

/**
 * The HubRise client: openapi-fetch's methods typed by the description, plus paging. Made with
 * `throwOnError: true` (`HubriseClient<true>`), a call that does not throw has its `data`.
 */
export type HubriseClient<ThrowOnError extends boolean = false> = ClientFor<
  HubrisePaths,
  ThrowOnError
> &
  HubriseClientHelpers;

export interface HubriseClientHelpers {
  /** Every item of an index endpoint, page after page; `break` stops fetching. */
  paginate<P extends HubriseListPath>(
    path: P,
    ...init: GetInitArgs<HubrisePaths, P>
  ): AsyncGenerator<HubriseListItem<P>, void, undefined>;
  /** The pages of an index endpoint, each with its items and its Response. */
  pages<P extends HubriseListPath>(
    path: P,
    ...init: GetInitArgs<HubrisePaths, P>
  ): AsyncGenerator<Page<HubriseListItem<P>>, void, undefined>;
}

/** Typed view of the response headers HubRise declares for index endpoints. */
export interface HubrisePageInfo {
  /** X-Cursor-Next: pass it as `cursor` for the next page; undefined on the last page. */
  nextCursor:
    paths["/location/orders"]["get"]["responses"][200]["headers"]["X-Cursor-Next"] | undefined;
}

const RATE_LIMIT_EXHAUSTED =
  "HubRise kept answering 429 across rate-limit windows. Either this connection's hourly or daily " +
  "allowance is used up, or HubRise has suspended or blocked the connection (it answers 429, not " +
  "401, for a suspended connection): record the failure and stop using this token until it is checked";

/** The most pages paginate() fetches unless told otherwise: a connection's requests in a day. */
const MAX_PAGES = HUBRISE_LIMITS.connection.at(-1)!.limit;

export function createHubriseClient(
  credentials: HubriseCredentials,
  options: HubriseClientOptions & { throwOnError: true },
): HubriseClient<true>;
export function createHubriseClient(
  credentials: HubriseCredentials,
  options?: HubriseClientOptions,
): HubriseClient;
/**
 * @deprecated Pass the credentials and the options apart, as every client takes them:
 * `createHubriseClient({ accessToken }, { baseUrl, … })`.
 */
export function createHubriseClient(
  credentialsAndOptions: HubriseCredentials & HubriseClientOptions,
): HubriseClient;
export function createHubriseClient(
  credentials: HubriseCredentials & HubriseClientOptions,
  clientOptions?: HubriseClientOptions,
): HubriseClient<boolean> {
  // The one-argument form of earlier versions holds the options beside the token.
  const options: HubriseClientOptions = clientOptions ?? credentials ?? {};
  const accessToken =
    typeof credentials?.accessToken === "function"
      ? credentials.accessToken
      : requireToken(credentials?.accessToken, "createHubriseClient: accessToken");
  const baseUrl = (options.baseUrl ?? HUBRISE_BASE_URL).replace(/\/+$/, "");
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const clock = options.clock ?? systemClock;
  const secrets = new Secrets(typeof accessToken === "string" ? [accessToken] : []);
  const policy: ErrorPolicy = {
    ctx: { vendor: "HubRise", secrets },
    throwOnError: options.throwOnError ?? false,
    rateLimitExhausted: RATE_LIMIT_EXHAUSTED,
  };

  const rateLimiting =
    options.limits === false
      ? undefined
      : {
          scheduler: (options.limitsStore ?? memoryLimitsStore).windows<HubriseBucket>({
            vendor: "HubRise",
            connection: limitsConnection(
              options,
              typeof accessToken === "string" ? accessToken : undefined,
              "createHubriseClient",
            ),
            buckets: { ...HUBRISE_LIMITS, ...options.limits },
            clock,
            guardMs: options.windowGuardMs,
          }),
          bucketsFor: (request: { method: string; url: string }) =>
            hubriseBucketsFor(request, basePath),
        };

  const resilientFetch = createResilientFetch({
    ...transportOptions(options),
    vendor: "HubRise",
    clock,
    retry: options.retry,
    rateLimiting,
    secrets,
  });
  const client = createClient<HubrisePaths>({
    Request: ClientRequest,
    baseUrl,
    // A fixed token is a header of every request; a function's is set per request.
    headers:
      typeof accessToken === "string"
        ? { "X-Access-Token": accessToken, Accept: "application/json" }
        : { Accept: "application/json" },
    fetch:
      typeof accessToken === "string"
        ? resilientFetch
        : tokenSession({
            vendor: "HubRise",
            source: { accessToken },
            secrets,
            clock,
            authorize: (request, token) => request.headers.set("X-Access-Token", token),
          })(resilientFetch),
  });
  observeResponses(client, { name: "hubrise", ctx: policy.ctx, clock }, options);
  withTypedErrors(client, policy);

  function pages<P extends HubriseListPath>(path: P, ...args: GetInitArgs<HubrisePaths, P>) {
    const init = (args[0] ?? {}) as {
      params?: { query?: Record<string, unknown> };
      signal?: AbortSignal;
    } & Record<string, unknown>;
    const ctx = { ...policy.ctx, operation: `GET ${String(path)}` };
    const get = client.GET as unknown as (
      path: string,
      init: unknown,
    ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    // State: the cursor to send, null for the first page.
    return pageSequence<string | null, HubriseListItem<P>>(
      {
        first: null,
        key: (cursor) => cursor ?? "",
        async fetchPage(cursor, signal) {
          const query = { ...init.params?.query, ...(cursor === null ? {} : { cursor }) };
          const result = await get(String(path), {
            ...init,
            params: { ...init.params, query },
            signal,
          });
          if (!result.response.ok) throw apiErrorFor(policy, ctx.operation, result);
          if (!Array.isArray(result.data)) {
            throw new PaginationError(ctx, "not-a-list", "the body is not a JSON array");
          }
          return { items: result.data as HubriseListItem<P>[], response: result.response };
        },
        next: (page) => readCursorNext(page.response, ctx),
      },
      ctx,
      { maxPages: MAX_PAGES, ...options.paging, signal: init.signal },
    );
  }

  return Object.assign(client, {
    pages,
    paginate: <P extends HubriseListPath>(path: P, ...args: GetInitArgs<HubrisePaths, P>) =>
      itemsOf(pages(path, ...args)),
  }) as HubriseClient<boolean>;
}

/**
 * Reads the declared paging header of an index response (throws PaginationError if malformed; the
 * error describes the header without quoting it, since this helper knows no credential to redact).
 */
export function hubrisePageInfo(response: Response): HubrisePageInfo {
  const operation = response.url ? `GET ${new URL(response.url).pathname}` : "GET (index response)";
  return {
    nextCursor: readCursorNext(response, { vendor: "HubRise", operation, secrets: NO_SECRETS }),
  };
}
