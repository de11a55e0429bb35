// Subscriptions Only client: every reply is an envelope `{status, message, body}`; this client
// unwraps it, so a call resolves to `body.data` (an object or a page array) or `body.text`, typed
// per operation, and a failure throws SubscriptionsOnlyApiError with the typed error body. The
// openapi-fetch client with the envelopes as sent stays available as `raw`.
import createClient, {
  type Client,
  type FetchResponse,
  type MaybeOptionalInit,
} from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, Readable, Writable } from "openapi-typescript-helpers";
import type { components, paths } from "../../generated/subscriptions-only/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import { basicAuthorization, requireSecretText } from "../core/credentials.js";
import { Secrets } from "../core/redact.js";
import { type ErrorContext, InvalidResponseError, PaginationError } from "../core/errors.js";
import { type Page, type PagingGuards, itemsOf, pageSequence } from "../core/paging/pagination.js";
import { ClientRequest } from "../core/http/client-request.js";
import { observeResponses } from "../core/http/observed-client.js";
import type { DriftOptions } from "../core/drift/options.js";
import {
  attemptsOf,
  createResilientFetch,
  type RetryOptions,
  type TransportOptions,
  transportOptions,
} from "../core/http/resilient-fetch.js";
import { type GetPathsWithQuery, withTypedErrors } from "../core/typed-client.js";
import { SubscriptionsOnlyApiError } from "./errors.js";

export * from "../core/public-errors.js";
export type * from "../core/drift/public.js";
export { RateLimitExhaustedError } from "../core/errors.js";
export { SubscriptionsOnlyApiError, type SubscriptionsOnlyErrorBody } from "./errors.js";
export { collect, type Page, type PagingGuards } from "../core/paging/pagination.js";
export type { Clock } from "../core/clock.js";
export type { RetryOptions, TransportOptions } from "../core/http/resilient-fetch.js";
export type { TimeoutOptions } from "../core/http/send.js";
export type { RedirectOptions } from "../core/http/redirects.js";
export type { components, paths, webhooks } from "../../generated/subscriptions-only/schema.js";

export const SUBSCRIPTIONS_ONLY_BASE_URL = "https://api.subscriptionsonly.com/1.0.0";
/**
 * Page size paginate() asks for when none is given. The vendor's own default is not documented, so
 * the client always sends `paginate`.
 */
export const DEFAULT_PAGE_SIZE = 50;

type Paths = paths;
type Schemas = components["schemas"];
/** A schema as the API sends it, e.g. `SubscriptionsOnlySchema<"AddOn">`. */
export type SubscriptionsOnlySchema<Name extends keyof Schemas> = Readable<Schemas[Name]>;
/** A schema as a request body takes it, e.g. `SubscriptionsOnlyRequestSchema<"AddOnCreate">`. */
export type SubscriptionsOnlyRequestSchema<Name extends keyof Schemas> = Writable<Schemas[Name]>;

type Operation<P extends keyof Paths, M extends HttpMethod> = Paths[P] extends {
  [K in M]: infer Op extends Record<string | number, any>;
}
  ? Op
  : never;
type Init<P extends keyof Paths, M extends HttpMethod> = MaybeOptionalInit<Paths[P], M>;
type InitArgs<P extends keyof Paths, M extends HttpMethod> =
  undefined extends Init<P, M> ? [init?: Init<P, M>] : [init: Init<P, M>];
/** The success envelope of an operation, as sent. */
export type SuccessEnvelope<P extends keyof Paths, M extends HttpMethod> = NonNullable<
  FetchResponse<Operation<P, M>, {}, `${string}/${string}`>["data"]
>;
/** What a call resolves to: `body.data`, else `body.text`, else nothing (POST 201 has no body). */
export type Unwrapped<Envelope> = Envelope extends { body: { data: infer D } }
  ? D
  : Envelope extends { body: { text: infer T } }
    ? T
    : undefined;
export type Result<P extends keyof Paths, M extends HttpMethod> = Unwrapped<SuccessEnvelope<P, M>>;

/** Lists: the GETs that take `paginate`. */
export type SubscriptionsOnlyListPath = GetPathsWithQuery<Paths, "paginate">;
export type SubscriptionsOnlyListItem<P extends SubscriptionsOnlyListPath> =
  Result<P, "get"> extends readonly (infer I)[] ? I : never;

export interface SubscriptionsOnlyCredentials {
  /** The store's Store ID (`STO-#####`), the Basic user name. */
  storeId: string;
  /** The store's API key (Seller Dashboard), the Basic password. */
  apiKey: string;
}

export interface SubscriptionsOnlyClientOptions extends TransportOptions, DriftOptions {
  baseUrl?: string;
  /** Sent as `SO-Ver` so that this version handles every request. Default "1.0.0"; `false` omits it. */
  apiVersion?: string | false;
  /** Retry policy for idempotent requests (429, 5xx, lost connections); `false` disables it. POST is never retried. */
  retry?: RetryOptions | false;
  /** Safety caps of paginate()/pages(). */
  paging?: PagingGuards;
  clock?: Clock;
}

export interface SubscriptionsOnlyPagingOptions {
  /** Rows per page (`paginate`). Default DEFAULT_PAGE_SIZE (50). */
  pageSize?: number;
}

type ListArgs<P extends SubscriptionsOnlyListPath> =
  InitArgs<P, "get"> extends [init?: infer I]
    ? [init?: I, options?: SubscriptionsOnlyPagingOptions]
    : never;

export interface SubscriptionsOnlyClient {
  GET<P extends PathsWithMethod<Paths, "get">>(
    path: P,
    ...init: InitArgs<P, "get">
  ): Promise<Result<P, "get">>;
  POST<P extends PathsWithMethod<Paths, "post">>(
    path: P,
    ...init: InitArgs<P, "post">
  ): Promise<Result<P, "post">>;
  PUT<P extends PathsWithMethod<Paths, "put">>(
    path: P,
    ...init: InitArgs<P, "put">
  ): Promise<Result<P, "put">>;
  DELETE<P extends PathsWithMethod<Paths, "delete">>(
    path: P,
    ...init: InitArgs<P, "delete">
  ): Promise<Result<P, "delete">>;
  /** Every row of a list, page after page (`page` + `paginate`), until a short or empty page. */
  paginate<P extends SubscriptionsOnlyListPath>(
    path: P,
    ...args: ListArgs<P>
  ): AsyncGenerator<SubscriptionsOnlyListItem<P>, void, undefined>;
  pages<P extends SubscriptionsOnlyListPath>(
    path: P,
    ...args: ListArgs<P>
  ): AsyncGenerator<Page<SubscriptionsOnlyListItem<P>>, void, undefined>;
  /** The openapi-fetch client itself: envelopes as sent, `{ data, error, response }` results. */
  raw: Client<Paths>;
}

type RawCall = (
  path: string,
  init?: unknown,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function createSubscriptionsOnlyClient(
  credentials: SubscriptionsOnlyCredentials,
  options: SubscriptionsOnlyClientOptions = {},
): SubscriptionsOnlyClient {
  const storeId = requireSecretText(credentials?.storeId, "createSubscriptionsOnlyClient: storeId");
  const apiKey = requireSecretText(credentials.apiKey, "createSubscriptionsOnlyClient: apiKey");
  const authorization = basicAuthorization(
    storeId,
    apiKey,
    "createSubscriptionsOnlyClient: storeId",
  );
  const secrets = new Secrets([apiKey, authorization.slice("Basic ".length)]);
  const vendor = "Subscriptions Only";
  const apiVersion = options.apiVersion ?? "1.0.0";
  const clock = options.clock ?? systemClock;
  const raw = createClient<Paths>({
    Request: ClientRequest,
    baseUrl: (options.baseUrl ?? SUBSCRIPTIONS_ONLY_BASE_URL).replace(/\/+$/, ""),
    headers: {
      Authorization: authorization,
      Accept: "application/json",
      ...(apiVersion === false ? {} : { "SO-Ver": apiVersion }),
    },
    fetch: createResilientFetch({
      ...transportOptions(options),
      vendor,
      clock,
      retry: options.retry,
      secrets,
    }),
  });
  observeResponses(raw, { name: "subscriptions-only", ctx: { vendor, secrets }, clock }, options);
  withTypedErrors(raw, {
    ctx: { vendor, secrets },
    throwOnError: false,
    rateLimitExhausted:
      "Subscriptions Only kept answering 429 until the retries ran out: the rate-limit window's " +
      "tokens are spent (its limits are not published); slow down and try again later",
  });

  /** Sends one request and unwraps its envelope. */
  async function call(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    init?: unknown,
  ): Promise<{ value: unknown; response: Response }> {
    const operation = `${method} ${path}`;
    const ctx: ErrorContext = { vendor, operation, secrets };
    const result = await (raw[method] as unknown as RawCall)(path, init);
    const { response } = result;
    if (!response.ok) {
      const envelope = isObject(result.error) ? result.error : {};
      throw new SubscriptionsOnlyApiError(ctx, {
        status: response.status,
        statusText: response.statusText,
        envelope,
        attempts: attemptsOf(response),
      });
    }
    const envelope = result.data;
    if (!isObject(envelope) || typeof envelope.status !== "string") {
      throw new InvalidResponseError(ctx, response.status, "the reply is not an SO envelope");
    }
    const body = envelope.body;
    if (body === undefined) {
      // Only a 201 Created comes without a body; a GET without data would be a silent loss.
      if (method === "GET") {
        throw new InvalidResponseError(ctx, response.status, "the envelope has no body.data");
      }
      return { value: undefined, response };
    }
    if (!isObject(body))
      throw new InvalidResponseError(ctx, response.status, "body is not an object");
    if ("data" in body) return { value: body.data, response };
    if (method !== "GET" && "text" in body) return { value: body.text, response };
    throw new InvalidResponseError(
      ctx,
      response.status,
      method === "GET" ? "the envelope has no body.data" : "the envelope has no body.text",
    );
  }

  function pages<P extends SubscriptionsOnlyListPath>(path: P, ...args: ListArgs<P>) {
    const [initArg, pagingArg] = args as unknown as [unknown, SubscriptionsOnlyPagingOptions?];
    const init = (initArg ?? {}) as {
      params?: { query?: Record<string, unknown> };
      signal?: AbortSignal;
    } & Record<string, unknown>;
    const pageSize = pagingArg?.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!(Number.isInteger(pageSize) && pageSize >= 1)) {
      throw new RangeError("Subscriptions Only pageSize must be a whole number ≥ 1");
    }
    const operation = `GET ${String(path)}`;
    const ctx: ErrorContext = { vendor, operation, secrets };
    const firstPage = Number(init.params?.query?.page ?? 1);
    type Item = SubscriptionsOnlyListItem<P>;
    return pageSequence<number, Item>(
      {
        first: Number.isInteger(firstPage) && firstPage >= 1 ? firstPage : 1,
        key: (page) => String(page),
        async fetchPage(page, signal) {
          const query = { ...init.params?.query, page, paginate: pageSize };
          const { value: data, response } = await call("GET", String(path), {
            ...init,
            params: { ...init.params, query },
            signal,
          });
          if (!Array.isArray(data)) {
            throw new PaginationError(ctx, "not-a-list", "body.data is not an array");
          }
          // No paging metadata exists; a server that ignores `page` serves the same full page
          // forever: the loop refuses a page identical to the one before.
          return { items: data as Item[], response };
        },
        next: (page, number) => (page.items.length < pageSize ? undefined : number + 1),
      },
      ctx,
      { ...options.paging, signal: init.signal },
    );
  }

  return {
    GET: async (path, ...init) => (await call("GET", path, init[0])).value as never,
    POST: async (path, ...init) => (await call("POST", path, init[0])).value as never,
    PUT: async (path, ...init) => (await call("PUT", path, init[0])).value as never,
    DELETE: async (path, ...init) => (await call("DELETE", path, init[0])).value as never,
    pages,
    paginate: (path, ...args) => itemsOf(pages(path, ...args)),
    raw,
  };
}
