// Classifies the changes between two bundled descriptions with api-smart-diff (offline): breaking,
// non-breaking, deprecated, annotation (docs only) or unclassified, each with where it happened.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { apiCompare } from "api-smart-diff";

export type ChangeClass =
  "breaking" | "non-breaking" | "deprecated" | "annotation" | "unclassified";

export interface Change {
  type: ChangeClass;
  action: string;
  /** JSON path of the change, e.g. `paths › /orders › get › parameters › 2`. */
  where: string;
  description: string;
}

const ORDER: ChangeClass[] = [
  "breaking",
  "deprecated",
  "non-breaking",
  "unclassified",
  "annotation",
];

export function diffDescriptions(before: object, after: object): Change[] {
  const { diffs } = apiCompare(before, after);
  return (
    diffs
      // Component-level entries repeat what the operations (and webhooks) that use them report,
      // classified without knowing whether the schema is read or written: keep the usages' view.
      .filter((d) => d.path[0] !== "components")
      .map((d) => ({
        type: d.type as ChangeClass,
        action: String(d.action),
        where: d.path.map(String).join(" › "),
        description: (d.description ?? "").replace(/\s+/g, " ").trim() || `[${d.action}]`,
      }))
      .sort(
        (a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type) || a.where.localeCompare(b.where),
      )
  );
}

export function countByClass(changes: readonly Change[]): Record<ChangeClass, number> {
  const counts = Object.fromEntries(ORDER.map((c) => [c, 0])) as Record<ChangeClass, number>;
  for (const c of changes) counts[c.type]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Every vendor against a git ref: the bundles committed at the ref and the working tree's.

export interface VendorDiff {
  vendor: string;
  /** `added`: no bundle at the ref; `removed`: no bundle in the working tree. */
  status: "added" | "removed" | "changed";
  changes: Change[];
  /**
   * Schema components gone from the bundle: api-smart-diff sees no change when a schema is only
   * renamed, but `components["schemas"]["Old"]` (and `XSchema<"Old">`) no longer compiles.
   */
  removedSchemas?: string[];
}

/** The names of `before`'s schema components that `after` no longer has. */
export function removedSchemas(before: object, after: object): string[] {
  const names = (doc: object) =>
    Object.keys((doc as { components?: { schemas?: object } }).components?.schemas ?? {});
  const kept = new Set(names(after));
  return names(before)
    .filter((n) => !kept.has(n))
    .sort();
}

const git = (repo: string, args: string[]) =>
  promisify(execFile)("git", args, { cwd: repo, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
  );

/** The vendors with a committed bundle (generated/<vendor>/openapi.json) at `ref`. */
export async function vendorsAt(repo: string, ref: string): Promise<string[]> {
  const out = await git(repo, ["ls-tree", "-r", "--name-only", ref, "--", "generated/"]);
  return out
    .split("\n")
    .map((line) => /^generated\/([^/]+)\/openapi\.json$/.exec(line)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort();
}

/** The bundle of `vendor` committed at `ref`, or undefined if there is none. */
export async function bundleAt(
  repo: string,
  ref: string,
  vendor: string,
): Promise<object | undefined> {
  try {
    return JSON.parse(
      await git(repo, ["show", `${ref}:generated/${vendor}/openapi.json`]),
    ) as object;
  } catch {
    return undefined;
  }
}

/** Each vendor's bundle at `ref` against the working tree's (run `npm run build` first). */
export async function diffAgainst(repo: string, ref: string): Promise<VendorDiff[]> {
  const atRef = await vendorsAt(repo, ref);
  const inTree = (await readdir(path.join(repo, "generated"), { withFileTypes: true }))
    .filter(
      (e) => e.isDirectory() && existsSync(path.join(repo, "generated", e.name, "openapi.json")),
    )
    .map((e) => e.name);
  const diffs: VendorDiff[] = [];
  for (const vendor of [...new Set([...atRef, ...inTree])].sort()) {
    const before = atRef.includes(vendor) ? await bundleAt(repo, ref, vendor) : undefined;
    if (!inTree.includes(vendor)) {
      diffs.push({ vendor, status: "removed", changes: [] });
      continue;
    }
    const after = JSON.parse(
      await readFile(path.join(repo, "generated", vendor, "openapi.json"), "utf8"),
    ) as object;
    diffs.push(
      before
        ? {
            vendor,
            status: "changed",
            changes: diffDescriptions(before, after),
            removedSchemas: removedSchemas(before, after),
          }
        : { vendor, status: "added", changes: [] },
    );
  }
  return diffs;
}
