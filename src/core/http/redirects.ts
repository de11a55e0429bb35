// Redirects are the client's decision, not fetch's: every send uses `redirect: "manual"`, and this
// decides what a 3xx leads to. fetch itself strips Authorization and Cookie on a cross-origin hop,
// and nothing else, so a vendor's own credential header (HubRise's X-Access-Token) would follow the
// redirect anywhere; here no credential ever leaves the origin the request was made for.
import { type ErrorContext, RedirectError } from "../errors.js";
import type { Outgoing } from "./send.js";

export interface RedirectOptions {
  /** Hops followed per request (each one scheduled and counted like any request). Default 5. */
  max?: number;
  /**
   * A redirect to another origin: `"error"` (default) ends the call with RedirectError;
   * `"follow-without-credentials"` follows it with only the content headers (Accept,
   * Content-Type, …). A redirect from https to http is never followed.
   */
  crossOrigin?: "error" | "follow-without-credentials";
}

export const DEFAULT_REDIRECTS: Required<RedirectOptions> = { max: 5, crossOrigin: "error" };

/** A request on its way through redirects. */
export interface Hop extends Outgoing {
  /** Whether it still carries the caller's headers (only while on the original origin). */
  credentials: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The only headers a hop to another origin keeps. */
const CONTENT_HEADERS = ["accept", "accept-language", "content-language", "content-type"];
/** Longer than any URL a browser or server accepts: not a Location worth parsing. */
const MAX_LOCATION_LENGTH = 8_192;

/** Whether `response` is a redirect this policy has to decide on. */
export function isRedirect(response: Response): boolean {
  return REDIRECTS.has(response.status) || response.type === "opaqueredirect";
}

/**
 * The hop that `response` redirects `hop` to, or undefined when the response is the answer (not a
 * redirect, or a 3xx without a Location). Throws RedirectError when the redirect must not be
 * followed. `origin` is the origin of the caller's request; `hops` how many were followed so far.
 */
export function nextHop(
  response: Response,
  hop: Hop,
  origin: string,
  hops: number,
  policy: Required<RedirectOptions>,
  ctx: ErrorContext,
): Hop | undefined {
  const status = response.status;
  const refuse = (reason: RedirectError["reason"], detail: string, targetOrigin?: string) =>
    new RedirectError(ctx, { reason, status, targetOrigin, detail });
  if (response.type === "opaqueredirect") {
    throw refuse("opaque", "this runtime hides the target of a manual redirect");
  }
  if (!REDIRECTS.has(status)) return undefined;
  const location = response.headers.get("Location");
  if (location === null) return undefined;

  let target: URL;
  try {
    if (location.length > MAX_LOCATION_LENGTH) throw new RangeError("too long");
    target = new URL(location, hop.url);
  } catch {
    throw refuse(
      "bad-location",
      `the Location header (${location.length} characters) is not a URL`,
    );
  }
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    throw refuse("bad-location", `the Location's scheme is not http(s)`);
  }
  if (hops >= policy.max) {
    throw refuse("too-many-redirects", `${hops} redirects followed already`, target.origin);
  }
  if (new URL(hop.url).protocol === "https:" && target.protocol === "http:") {
    throw refuse("insecure", `it leads from https to http (${target.origin})`, target.origin);
  }
  const credentials = hop.credentials && target.origin === origin;
  if (!credentials && hop.credentials && policy.crossOrigin !== "follow-without-credentials") {
    throw refuse(
      "cross-origin",
      `it leads to ${target.origin}, where the credentials must not go (option redirects.crossOrigin)`,
      target.origin,
    );
  }

  // As fetch does: 303 turns anything but HEAD into a GET, and so do 301/302 for a POST.
  const toGet =
    (status === 303 && hop.method !== "HEAD") ||
    ((status === 301 || status === 302) && hop.method === "POST");
  const headers = credentials ? new Headers(hop.headers) : contentHeaders(hop.headers);
  if (toGet) {
    headers.delete("content-type");
    headers.delete("content-length");
  }
  target.hash = "";
  return {
    url: target.href,
    method: toGet ? "GET" : hop.method,
    headers,
    body: toGet ? null : hop.body,
    credentials,
  };
}

function contentHeaders(headers: Headers): Headers {
  const kept = new Headers();
  for (const name of CONTENT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  return kept;
}
