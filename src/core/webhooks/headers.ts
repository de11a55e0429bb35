// A webhook's headers come either as a web `Headers` (fetch, Workers, Deno, Bun) or as a plain
// object: Node's `IncomingMessage.headers` (lower-case names, an array for a repeated header) or
// one a framework built (any case). One lookup for both.

/** Request headers as a web `Headers` or as a Node-style object (`req.headers`). */
export type HeaderSource =
  Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The value of header `name` (case-insensitive), or undefined when absent. Several values (a
 * repeated header) are joined with ", ", as `Headers.get` joins them.
 */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (isHeaders(headers)) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  let found: string[] | undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || key.toLowerCase() !== wanted) continue;
    found ??= [];
    if (typeof value === "string") found.push(value);
    else found.push(...value);
  }
  return found === undefined || found.length === 0 ? undefined : found.join(", ");
}

/** `instanceof Headers` fails for a Headers of another realm or polyfill; its shape does not. */
function isHeaders(headers: HeaderSource): headers is Headers {
  return (
    typeof (headers as Headers).get === "function" &&
    typeof (headers as Headers).forEach === "function"
  );
}
