// The vendor clients are openapi-fetch clients, unchanged in their types, with their methods wrapped
// so that whatever goes wrong comes out as one of our typed errors with the operation's path
// template, and never as a bare SyntaxError or a string pretending to be the typed error body.
import type { Client, FetchResponse, MaybeOptionalInit } from "openapi-fetch";
import type {
  HttpMethod,
  MediaType,
  PathsWithMethod,
  RequiredKeysOf,
} from "openapi-typescript-helpers";
import {
  ApiError,
  type ErrorContext,
  InvalidResponseError,
  QuotaExhaustedError,
  RateLimitExhaustedError,
  VendorClientError,
} from "./errors.js";
import { attemptsOf } from "./http/resilient-fetch.js";
import { checkPathParameters } from "./http/path-parameters.js";
import type { Secrets } from "./redact.js";

/** The HTTP methods of an openapi-fetch client (observed-client.ts wraps the same ones). */
export const METHODS = [
  "GET",
  "PUT",
  "POST",
  "DELETE",
  "OPTIONS",
  "HEAD",
  "PATCH",
  "TRACE",
] as const;

/** Paths that have a GET whose query takes `Name` (e.g. the cursor-paginated index endpoints). */
export type GetPathsWithQuery<Paths, Name extends string> = {
  [P in keyof Paths]: Paths[P] extends { get: infer Op }
    ? Op extends { parameters: { query?: infer Q } }
      ? [NonNullable<Q>] extends [never]
        ? never
        : Name extends keyof NonNullable<Q>
          ? P
          : never
      : never
    : never;
}[keyof Paths];

type GetOperation<Paths, P extends keyof Paths> = Paths[P] extends {
  get: infer Op extends Record<string | number, any>;
}
  ? Op
  : never;

/** The parsed 2xx body of a GET. */
export type GetData<Paths, P extends keyof Paths> = NonNullable<
  FetchResponse<GetOperation<Paths, P>, {}, `${string}/${string}`>["data"]
>;

/** The element type of a list GET's body. */
export type ListItem<Paths, P extends keyof Paths> =
  GetData<Paths, P> extends readonly (infer I)[] ? I : never;

type GetInit<Paths, P extends keyof Paths> = MaybeOptionalInit<
  { get: GetOperation<Paths, P> },
  "get"
>;

/** Request options of a GET: required when the path has required parameters, optional otherwise. */
export type GetInitArgs<Paths, P extends keyof Paths> =
  undefined extends GetInit<Paths, P> ? [init?: GetInit<Paths, P>] : [init: GetInit<Paths, P>];

/** A call's second argument: required when the operation has required parameters or a body. */
type InitArgs<Init> =
  RequiredKeysOf<Init> extends never
    ? [(Init & { [key: string]: unknown })?]
    : [Init & { [key: string]: unknown }];

/** openapi-fetch's result without its error member: what a call gives when a non-2xx throws. */
export type Succeeded<Result> = Exclude<Result, { error: unknown }>;

/** A method of a client made with `throwOnError: true`: a non-2xx throws, so `data` is there. */
type ThrowingMethod<Paths extends Record<string, any>, Method extends HttpMethod> = <
  Path extends PathsWithMethod<Paths, Method>,
  Init extends MaybeOptionalInit<Paths[Path], Method>,
>(
  url: Path,
  ...init: InitArgs<Init>
) => Promise<Succeeded<FetchResponse<Paths[Path][Method], Init, MediaType>>>;

/** An openapi-fetch client whose calls throw ApiError on a non-2xx, typed so. */
export type ThrowingClient<Paths extends Record<string, any>> = Omit<
  Client<Paths>,
  (typeof METHODS)[number]
> & {
  GET: ThrowingMethod<Paths, "get">;
  PUT: ThrowingMethod<Paths, "put">;
  POST: ThrowingMethod<Paths, "post">;
  DELETE: ThrowingMethod<Paths, "delete">;
  OPTIONS: ThrowingMethod<Paths, "options">;
  HEAD: ThrowingMethod<Paths, "head">;
  PATCH: ThrowingMethod<Paths, "patch">;
  TRACE: ThrowingMethod<Paths, "trace">;
};

/** The client's type for its `throwOnError` setting. */
export type ClientFor<
  Paths extends Record<string, any>,
  Throws extends boolean,
> = Throws extends true ? ThrowingClient<Paths> : Client<Paths>;

export interface ErrorPolicy {
  ctx: Omit<ErrorContext, "operation">;
  /** Throw ApiError for every non-2xx instead of returning `{ error }`. */
  throwOnError: boolean;
  /** Explains a 429 that outlived the retries (vendors differ on what it means). */
  rateLimitExhausted: string;
  /**
   * Set for vendors whose 429 means a quota for a whole period is spent (never retried): every 429
   * becomes a QuotaExhaustedError with this message.
   */
  quotaExhausted?: string;
}

/** Builds the ApiError for a non-2xx result of openapi-fetch. */
export function apiErrorFor(
  policy: ErrorPolicy,
  operation: string,
  result: { error?: unknown; response: Response },
): ApiError {
  const { response } = result;
  const ctx = { ...policy.ctx, operation };
  const attempts = attemptsOf(response);
  const json = typeof result.error === "object" && result.error !== null;
  const init = {
    status: response.status,
    statusText: response.statusText,
    body: json ? result.error : undefined,
    bodyText: typeof result.error === "string" && result.error !== "" ? result.error : undefined,
    attempts,
  };
  if (response.status === 429 && policy.quotaExhausted !== undefined)
    return new QuotaExhaustedError(ctx, init, policy.quotaExhausted);
  if (response.status === 429 && attempts > 1)
    return new RateLimitExhaustedError(ctx, init, policy.rateLimitExhausted);
  return new ApiError(ctx, init);
}

function normalizeThrown(err: unknown, policy: ErrorPolicy, operation: string): unknown {
  if (err instanceof VendorClientError) {
    err.operation = operation;
    return err;
  }
  if (err instanceof SyntaxError) {
    // openapi-fetch parses 2xx bodies with JSON.parse: truncated JSON or an HTML page lands here.
    // The parser's own message quotes the start of the body, so it is not kept.
    return new InvalidResponseError(
      { ...policy.ctx, operation },
      undefined,
      "the body is not valid JSON",
    );
  }
  return err; // AbortError and programming errors pass through unchanged
}

/**
 * A failed call's response as its caller sees it: a header that echoes a credential (as some error
 * pages do) is redacted. The body has been read already; the same response when nothing matched.
 */
function withoutEchoedSecrets(response: Response, secrets: Secrets): Response {
  let headers: Headers | undefined;
  response.headers.forEach((value, name) => {
    const clean = secrets.redact(value);
    if (clean !== value) (headers ??= new Headers(response.headers)).set(name, clean);
  });
  if (headers === undefined) return response;
  const copy = new Response(null, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/** Wraps the HTTP methods of an openapi-fetch client in place and returns it. */
export function withTypedErrors<Paths extends {}>(
  client: Client<Paths>,
  policy: ErrorPolicy,
): Client<Paths> {
  for (const method of METHODS) {
    const call = client[method].bind(client) as (
      path: string,
      init?: unknown,
    ) => Promise<{ error?: unknown; response: Response }>;
    const wrapped = async (path: string, init?: { params?: { path?: unknown } }) => {
      const operation = `${method} ${path}`;
      let result: { error?: unknown; response: Response };
      try {
        if (path.includes("{"))
          checkPathParameters(path, init?.params?.path, { ...policy.ctx, operation });
        result = await call(path, init);
      } catch (err) {
        throw normalizeThrown(err, policy, operation);
      }
      if (result.response.ok) return result;
      // An empty error body (a 304, say) is "no body", as openapi-fetch reports with Content-Length: 0.
      if (result.error === "") result = { error: undefined, response: result.response };
      const error = apiErrorFor(policy, operation, result);
      // A non-JSON error body (an HTML error page) cannot be the typed `error`, and a 429 that
      // outlived the retries or spent a quota needs its explanation: these throw whatever the policy.
      if (
        policy.throwOnError ||
        typeof result.error === "string" ||
        error instanceof RateLimitExhaustedError ||
        error instanceof QuotaExhaustedError
      )
        throw error;
      // The caller gets the error body as the ApiError holds it, and the headers, redacted.
      const response = withoutEchoedSecrets(result.response, policy.ctx.secrets);
      return { ...result, error: error.body, response };
    };
    (client as unknown as Record<string, unknown>)[method] = wrapped;
  }
  return client;
}
