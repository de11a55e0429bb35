// The typed errors every vendor client throws. None of them holds a request, its headers or a
// credential: messages and bodies are redacted with the client's secrets before they are cut and
// stored, and no error keeps a `cause` whose text could quote what a server sent.
import type { DriftFinding } from "./drift/findings.js";
import type { Secrets } from "./redact.js";

/** How much of a non-JSON body (an HTML error page, say) an error keeps. */
const BODY_TEXT_LIMIT = 500;
/** How much of a JSON error body the message quotes. */
const SUMMARY_LIMIT = 300;
/** The longest message an error carries (a server's text can be quoted in it). */
const MESSAGE_LIMIT = 2_000;

export interface ErrorContext {
  vendor: string;
  /** `METHOD /path/template` when known, else `METHOD /concrete/path`. */
  operation: string;
  /** Credentials to keep out of every message and body. */
  secrets: Secrets;
}

/** Every error a vendor client raises: `catch (e) { if (e instanceof VendorClientError) … }`. */
export class VendorClientError extends Error {
  override name = "VendorClientError";
  readonly vendor: string;
  /** Set to the path template by the client once it knows it. */
  operation: string;
  constructor(ctx: ErrorContext, message: string) {
    super(ctx.secrets.cut(message, MESSAGE_LIMIT));
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
    const body = ctx.secrets.redactValue(init.body);
    const bodyText =
      init.bodyText === undefined ? undefined : ctx.secrets.cut(init.bodyText, BODY_TEXT_LIMIT);
    const summary = detail ?? summarizeBody(body, bodyText, ctx.secrets);
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation} failed with ${init.status}${init.statusText ? ` ${init.statusText}` : ""}` +
        (init.attempts && init.attempts > 1 ? ` after ${init.attempts} attempts` : "") +
        (summary ? `: ${summary}` : ""),
    );
    this.status = init.status;
    this.body = body;
    this.bodyText = bodyText;
    this.attempts = init.attempts ?? 1;
  }
}

/** A short, redacted account of an error body for the message (the body itself is kept apart). */
function summarizeBody(body: unknown, bodyText: string | undefined, secrets: Secrets): string {
  if (body !== undefined) return secrets.cut(JSON.stringify(body) ?? "", SUMMARY_LIMIT);
  if (bodyText !== undefined) {
    return `non-JSON body "${secrets.cut(bodyText.replace(/\s+/g, " ").trim(), 120)}"`;
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
  | "malformed-paging-data"
  /** The announced total needs more pages than the cap allows (refused before they are sent). */
  | "total-over-cap";

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

/** The code (ECONNRESET, UND_ERR_…) of a transport error or of one of its causes, if any. */
export function errorCode(err: unknown): string | undefined {
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

/** Why a redirect was not followed. */
export type RedirectFailure =
  /** To another origin (scheme, host or port), where the credentials must not go. */
  | "cross-origin"
  /** From https to http: never followed, with or without credentials. */
  | "insecure"
  /** More hops than the cap (a loop, most likely). */
  | "too-many-redirects"
  /** A Location that is not an http(s) URL, or too long to be one. */
  | "bad-location"
  /** A browser's `redirect: "manual"` hides the target (an opaque redirect). */
  | "opaque";

/** A redirect the client did not follow; nothing was sent to its target. */
export class RedirectError extends VendorClientError {
  override name = "RedirectError";
  readonly reason: RedirectFailure;
  readonly status: number;
  /** The target's origin (`https://host:port`), never its path or query; undefined when unknown. */
  readonly targetOrigin: string | undefined;
  constructor(
    ctx: ErrorContext,
    init: { reason: RedirectFailure; status: number; targetOrigin?: string; detail: string },
  ) {
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: redirect ${init.status} not followed (${init.reason}): ${init.detail}`,
    );
    this.reason = init.reason;
    this.status = init.status;
    this.targetOrigin = init.targetOrigin;
  }
}

/** What a timeout waited for. */
export type TimeoutPhase =
  /** The response's status and headers. */
  | "headers"
  /** The next chunk of the body. */
  | "idle"
  /** The whole answer of one attempt, headers and body. */
  | "total";

/** The server did not answer (or stopped sending) in time, after the retries allowed. */
export class TimeoutError extends VendorClientError {
  override name = "TimeoutError";
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;
  /** How many times the request was sent. */
  readonly attempts: number;
  constructor(ctx: ErrorContext, phase: TimeoutPhase, timeoutMs: number, attempts: number) {
    const what = {
      headers: "no response headers came",
      idle: "the body stopped arriving",
      total: "the answer was not complete",
    }[phase];
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: ${what} within ${timeoutMs} ms` +
        (attempts > 1 ? ` (${attempts} attempts; option timeouts)` : " (option timeouts)"),
    );
    this.phase = phase;
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
  }
}

/** A response body larger than the client accepts; the connection was released unread. */
export class ResponseTooLargeError extends VendorClientError {
  override name = "ResponseTooLargeError";
  readonly status: number;
  readonly limitBytes: number;
  constructor(ctx: ErrorContext, status: number, limitBytes: number, announced?: number) {
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: the ${status} response body ${
        announced === undefined ? "grew past" : `announces ${announced} bytes, over`
      } the ${limitBytes}-byte limit (option maxResponseBytes)`,
    );
    this.status = status;
    this.limitBytes = limitBytes;
  }
}

/** A request the client refused to send: a path parameter that would change the path. */
export class InvalidParameterError extends VendorClientError {
  override name = "InvalidParameterError";
  readonly parameter: string;
  constructor(ctx: ErrorContext, parameter: string, problem: string) {
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: path parameter ${parameter} ${problem}; nothing was sent`,
    );
    this.parameter = parameter;
  }
}

/**
 * An OAuth request (code exchange, refresh, revocation) the vendor's OAuth server refused, or that
 * got no usable answer. `error` and `errorDescription` are the server's, redacted like every text.
 */
export class OAuthError extends VendorClientError {
  override name = "OAuthError";
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The OAuth `error` code (`invalid_grant`, …) when the server sent one. */
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  constructor(
    ctx: ErrorContext,
    init: { status?: number; error?: string; errorDescription?: string; detail: string },
  ) {
    const error = init.error === undefined ? undefined : ctx.secrets.cut(init.error, 100);
    const errorDescription =
      init.errorDescription === undefined ? undefined : ctx.secrets.cut(init.errorDescription, 300);
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: ${init.detail}` +
        (error ? ` (${error}${errorDescription ? `: ${errorDescription}` : ""})` : ""),
    );
    this.status = init.status;
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/** Why a webhook delivery was refused. */
export type WebhookFailure =
  /** No signature where the vendor always signs. */
  | "missing-signature"
  /** A signature that does not match the raw body and the client secret. */
  | "bad-signature"
  /** A body larger than the receiver accepts. */
  | "too-large"
  /** A body that is not what the vendor sends (not JSON, not form data, not an event). */
  | "malformed-body";

/** The status a webhook handler answers a refused delivery with. */
const WEBHOOK_STATUS: Record<WebhookFailure, number> = {
  "missing-signature": 401,
  "bad-signature": 401,
  "too-large": 413,
  "malformed-body": 400,
};

/** A webhook delivery refused; through a handler, answered with `status` (a 4xx). */
export class WebhookError extends VendorClientError {
  override name = "WebhookError";
  readonly reason: WebhookFailure;
  /** The status a handler answers this delivery with. */
  readonly status: number;
  constructor(ctx: ErrorContext, reason: WebhookFailure, detail: string) {
    super(ctx, `${ctx.vendor} ${ctx.operation}: webhook refused (${reason}): ${detail}`);
    this.reason = reason;
    this.status = WEBHOOK_STATUS[reason];
  }
}

/**
 * A 2xx answer that does not fit the vendor's description (option `validateResponses: "throw"`).
 * `findings` say where and which rule (their messages are redacted); the body itself is not kept.
 */
export class ResponseDriftError extends VendorClientError {
  override name = "ResponseDriftError";
  readonly status: number;
  readonly operationId: string;
  readonly findings: readonly DriftFinding[];
  constructor(ctx: ErrorContext, status: number, findings: readonly DriftFinding[]) {
    const shown = findings.slice(0, 3).map((f) => `${f.message} [${f.rule}]`);
    if (findings.length > shown.length) shown.push(`${findings.length - shown.length} more`);
    super(
      ctx,
      `${ctx.vendor} ${ctx.operation}: the ${status} response does not fit the description: ` +
        `${shown.join("; ")} (option validateResponses)`,
    );
    this.status = status;
    this.operationId = findings[0]?.operationId ?? "";
    this.findings = findings;
  }
}

export type LimitsStoreFailure =
  /** The store did not answer: not connected, or the connection was lost. */
  | "unavailable"
  /** The store took longer than its `timeoutMs` to answer. */
  | "timeout"
  /** The store answered with an error (a script refused, out of memory, …). */
  | "failed";

/**
 * The shared limits store (Redis) could not be asked for room, so the request was not sent: with no
 * count of what the other processes spend, sending could overrun the vendor (fail closed). Set the
 * store's `onStoreError: "local"` to fall back to this process's own limits instead.
 */
export class LimitsStoreError extends VendorClientError {
  override name = "LimitsStoreError";
  readonly reason: LimitsStoreFailure;
  constructor(ctx: ErrorContext, reason: LimitsStoreFailure, detail: string) {
    super(ctx, `${ctx.vendor}: the shared limits store is ${reason}: ${detail}; nothing was sent`);
    this.reason = reason;
  }
}
