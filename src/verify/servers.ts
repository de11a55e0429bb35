// Which server of the description an absolute URL is addressed to: each `servers[].url` (and
// each `--server` the user adds: a sandbox, a staging host) becomes a pattern, its variables
// (`https://{account}.hiboutik.com/api`) matching any value, or one of their `enum`. The host is
// compared without case, the base path with it. What is left of the URL's path is the path the
// router matches against the templates.
type Json = any;

export interface ServerPattern {
  /** The server as written (`https://{account}.hiboutik.com/api`). */
  url: string;
  origin: RegExp;
  /** The base path (`/api`) as a pattern anchored at the start of the URL's path. */
  basePath: RegExp;
}

const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function pattern(template: string, variables: Record<string, Json>, segment: string): string {
  let out = "";
  let last = 0;
  for (const m of template.matchAll(/\{([^}]+)\}/g)) {
    out += regexEscape(template.slice(last, m.index));
    const values = variables[m[1]!]?.enum;
    out +=
      Array.isArray(values) && values.length > 0
        ? `(?:${values.map((v: unknown) => regexEscape(String(v))).join("|")})`
        : `${segment}+?`;
    last = m.index! + m[0].length;
  }
  return out + regexEscape(template.slice(last));
}

export function serverPattern(url: string, variables: Record<string, Json> = {}): ServerPattern {
  // scheme://host[:port] then the path; variables may be in either.
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(url.trim());
  const origin = m ? m[1]! : "";
  const path = (m ? m[2]! : url).replace(/\/+$/, "");
  return {
    url,
    origin: new RegExp(`^${pattern(origin, variables, "[^/?#]")}$`, "i"),
    basePath: new RegExp(`^${pattern(path, variables, "[^/?#]")}(?=/|$)`),
  };
}

/** The description's servers, then the user's. */
export function serverPatterns(doc: Json, extra: readonly string[]): ServerPattern[] {
  const documented = (Array.isArray(doc.servers) ? doc.servers : [])
    .filter((s: Json) => typeof s?.url === "string" && /^[a-z][a-z0-9+.-]*:\/\//i.test(s.url))
    .map((s: Json) => serverPattern(s.url, s.variables ?? {}));
  return [...documented, ...extra.map((url) => serverPattern(url))];
}

export type ServerMatch =
  | { kind: "matched"; server: ServerPattern; path: string }
  | { kind: "other-host" }
  | { kind: "bad-url" };

/**
 * The server `url` is addressed to and the path after its base path. An origin of no server: an
 * other host (a browser's HAR holds every site's traffic). The description's host with a path
 * outside its base path is matched with its whole path (then an unknown path).
 */
export function matchServer(patterns: readonly ServerPattern[], url: string): ServerMatch {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: "bad-url" };
  }
  const origin = `${parsed.protocol}//${parsed.host}`;
  let sameHost: ServerPattern | undefined;
  for (const server of patterns) {
    if (!server.origin.test(origin)) continue;
    const base = server.basePath.exec(parsed.pathname);
    if (base)
      return { kind: "matched", server, path: parsed.pathname.slice(base[0].length) || "/" };
    sameHost ??= server;
  }
  return sameHost
    ? { kind: "matched", server: sameHost, path: parsed.pathname }
    : { kind: "other-host" };
}
