// Which response headers a description is expected to declare. HTTP itself, caches, CORS, browsers'
// security policies and the proxies and CDNs in front of an API add headers to every answer; no
// description lists them, and a finding for each would bury the ones that matter (a vendor's
// X-Cursor-Next appearing where it is not documented). So a header is "undocumented" only when it
// is neither declared for the status nor one of these. Used by the clients and by `verify`.

const STANDARD = new Set([
  // RFC 9110 / 9111 / 9112 and friends
  "accept-ranges",
  "age",
  "allow",
  "alt-svc",
  "cache-control",
  "connection",
  "content-disposition",
  "content-encoding",
  "content-language",
  "content-length",
  "content-location",
  "content-range",
  "content-type",
  "date",
  "etag",
  "expires",
  "keep-alive",
  "last-modified",
  "location",
  "pragma",
  "proxy-authenticate",
  "retry-after",
  "server",
  "set-cookie",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "vary",
  "via",
  "warning",
  "www-authenticate",
  // security policies browsers read
  "content-security-policy",
  "content-security-policy-report-only",
  "permissions-policy",
  "referrer-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "x-xss-protection",
  "x-permitted-cross-domain-policies",
  "x-download-options",
  // reporting, timing, infrastructure
  "nel",
  "report-to",
  "reporting-endpoints",
  "server-timing",
  "timing-allow-origin",
  "x-powered-by",
  "x-request-id",
  "x-correlation-id",
  "x-runtime",
  "x-cache",
  "x-cache-hits",
  "x-served-by",
  "x-timer",
]);

/** Families of infrastructure headers (CORS, cross-origin isolation, CDNs, load balancers). */
const STANDARD_PREFIXES = [
  "access-control-",
  "cross-origin-",
  "cf-",
  "x-amz-",
  "x-amzn-",
  "x-azure-",
  "x-envoy-",
  "x-goog-",
  "x-vercel-",
  "fly-",
];

/** Whether `name` (lower case) is a header no description is expected to declare. */
export function isStandardHeader(name: string): boolean {
  return STANDARD.has(name) || STANDARD_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The names (lower case) of `names` that are neither declared nor standard, in order. */
export function undocumentedHeaders(
  names: Iterable<string>,
  declared: readonly string[] | undefined,
): string[] {
  const found: string[] = [];
  for (const name of names) {
    if (!isStandardHeader(name) && !declared?.includes(name)) found.push(name);
  }
  return found;
}
