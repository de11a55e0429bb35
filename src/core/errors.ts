// The typed errors every vendor client throws. None of them holds a request, its headers or a
// credential: messages and bodies are redacted with the client's secrets before they are stored.
import { redact, redactValue } from "./redact.js";

/** How much of a non-JSON body (an HTML error page, say) an error keeps. */
const BODY_TEXT_LIMIT = 500;

export interface ErrorContext {
  vendor: string;
  /** `METHOD /path/template` when known, else `METHOD /concrete/path`. */
  operation: string;
  /** Credentials to keep out of every message and body. */
  secrets: readonly string[];
}

/** Every error a vendor client raises: `catch (e) { if (e instanceof VendorClientError) … }`. */
export class VendorClientError extends Error {
  override name = "VendorClientError";
  readonly vendor: string;
  /** Set to the path template by the client once it knows it. */
  operation: string;
  constructor(ctx: ErrorContext, message: string) {
    super(redact(message, ctx.secrets));
    this.vendor = ctx.vendor;
    this.operation = ctx.operation;
  }
}

/** A non-2xx answer that survived the retry policy (or was not retryable). */
export class ApiError<Body = unknown> extends VendorClientError {
  override name = "ApiError";
  readonly status: number;
  /** The parsed JSON error body, typed by the vendor's error schema; undefined when not JSON. */
  readonly body: Body | undefined;
  /** The start of the raw body when it was not JSON (e.g. an HTML error page). */
  readonly bodyText: string | undefined;
  /** How many times the request was sent. */
  readonly attempts: number;

  constructor(
    ctx: ErrorContext,
    init: {
      status: number;
      statusText?: string;
      body?: Body;
      bodyText?: string;
      attempts?: number;
    },
    detail?: string,
  ) {
    const bodyText =
      init.bodyText === undefined
        ? undefined
        : redact(init.bodyText.slice(0, BODY_TEXT_LIMIT), ctx.secrets);
    const summary = detail ?? summarizeBody(init.body, bodyText);
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation} failed with ${init.status}${init.statusText ? ` ${init.statusText}` : ""}` +
        (init.attempts && init.attempts > 1 ? ` after ${init.attempts} attempts` : "") +
        (summary ? `: ${summary}` : ""),
    );
    this.status = init.status;
    this.body = redactValue(init.body, ctx.secrets);
    this.bodyText = bodyText;
    this.attempts = init.attempts ?? 1;
  }
}

function summarizeBody(body: unknown, bodyText: string | undefined): string {
  if (body !== undefined) return JSON.stringify(body).slice(0, 300);
  if (bodyText !== undefined) {
    const oneLine = bodyText.replace(/\s+/g, " ").trim();
    return `non-JSON body "${oneLine.slice(0, 120)}${oneLine.length > 120 ? "…" : ""}"`;
  }
  return "";
}

/**
 * 429 kept coming until the retry cap. For HubRise this is also how a suspended or blocked
 * connection answers, so the message says both.
 */
export class RateLimitExhaustedError<Body = unknown> extends ApiError<Body> {
  override name = "RateLimitExhaustedError";
}

export type PaginationFailure =
  | "repeated-cursor"
  | "malformed-header"
  | "too-many-empty-pages"
  | "page-limit"
  | "not-a-list"
  /** A numbered page holds other rows than its number says (the server ignored the page number). */
  | "page-not-advancing"
  /** An empty page came before the end the previous pages announced: rows would be missing. */
  | "empty-page-before-end"
  /** The body's paging data (a total, a next link) is missing or not what it must be. */
  | "malformed-paging-data";

/**
 * A call refused because a quota for a whole period (Hiboutik: the shop's calls for the month) is
 * spent. Retrying cannot help before the period ends, so it is never retried.
 */
export class QuotaExhaustedError<Body = unknown> extends ApiError<Body> {
  override name = "QuotaExhaustedError";
}

/** The OAuth token could not be refreshed (no refresh token, or the token endpoint refused it). */
export class TokenRefreshError extends VendorClientError {
  override name = "TokenRefreshError";
  /** The token endpoint's status, when it answered. */
  readonly status: number | undefined;
  constructor(ctx: ErrorContext, detail: string, status?: number) {
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: the access token was refused and could not be refreshed: ${detail}`,
    );
    this.status = status;
  }
}

/** A request body larger than the vendor accepts, refused before sending. */
export class RequestTooLargeError extends VendorClientError {
  override name = "RequestTooLargeError";
  readonly bytes: number;
  readonly limitBytes: number;
  constructor(ctx: ErrorContext, bytes: number, limitBytes: number) {
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: the body is ${bytes} bytes, over the ${limitBytes}-byte limit; split it into smaller requests`,
    );
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }
}

/** A single-record read found no record (a 404, or an empty list where one record was expected). */
export class RecordNotFoundError extends VendorClientError {
  override name = "RecordNotFoundError";
  /** 404, or 200 when the vendor answered with an empty list. */
  readonly status: number;
  constructor(ctx: ErrorContext, status: number) {
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: no such record (${status === 404 ? "404" : "empty list"})`,
    );
    this.status = status;
  }
}

/** Paging could not continue safely; the items yielded before it are complete and unique. */
export class PaginationError extends VendorClientError {
  override name = "PaginationError";
  readonly reason: PaginationFailure;
  constructor(ctx: ErrorContext, reason: PaginationFailure, detail: string) {
    super(ctx, `${ctx.vendor} ${ctx.operation}: paging stopped (${reason}): ${detail}`);
    this.reason = reason;
  }
}

/** A 2xx whose body is not what the description promises (truncated JSON, an HTML page, …). */
export class InvalidResponseError extends VendorClientError {
  override name = "InvalidResponseError";
  /** The HTTP status, when known. */
  readonly status: number | undefined;
  constructor(ctx: ErrorContext, status: number | undefined, detail: string) {
    super(ctx, `${ctx.vendor} ${ctx.operation}: invalid ${status ?? "2xx"} response: ${detail}`);
    this.status = status;
  }
}

/** The request never got an HTTP answer (connection refused or reset, DNS, TLS), after retries. */
export class TransportError extends VendorClientError {
  override name = "TransportError";
  readonly attempts: number;
  /** The underlying error's code (ECONNRESET, …) when it has one. */
  readonly code: string | undefined;
  constructor(ctx: ErrorContext, cause: unknown, attempts: number) {
    const code = errorCode(cause);
    const what = cause instanceof Error ? cause.message : String(cause);
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: no response after ${attempts} attempt(s): ${what}${code ? ` (${code})` : ""}`,
    );
    this.attempts = attempts;
    this.code = code;
  }
}

function errorCode(err: unknown): string | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
