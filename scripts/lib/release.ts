// Pieces of `scripts/release.ts` that need no network: the npm configuration key of a registry's
// auth token, and a version's section of CHANGELOG.md (the GitHub release's notes).

/**
 * The .npmrc key for `registry`'s auth token, `//host/path/:_authToken`, derived from whatever
 * registry npm is configured with (so no registry is named here).
 */
export function authTokenKey(registry: string): string {
  const url = new URL(registry.trim());
  const pathname = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  return `//${url.host}${pathname}:_authToken`;
}

/** The body of `## <version>` in a changelog (up to the next `## `), or undefined. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `## ${version}`);
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  return lines
    .slice(start + 1, end)
    .join("\n")
    .trim();
}
