// What a change owes the release: a changeset when it changes what the package ships, a major one
// when it breaks its users. The facts come from git (the change against the merge base with the
// base branch), from api-smart-diff (each vendor's bundled description, as `npm run diff` shows it)
// and from the compiler (the entry points' declarations, scripts/lib/api-report.ts); `decide()` is
// the policy, a pure function of them.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type ApiChange, type ApiReport, compareApis, declarationsOf } from "./api-report.js";
import { countByClass, diffAgainst, type VendorDiff } from "./spec-diff.js";

export type Bump = "major" | "minor" | "patch" | "none";
const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/**
 * Paths whose changes reach the package's users: the clients, the descriptions and what the build
 * makes of them (package.json `files`). overlays/ only shape the hosted docs, which every push to
 * main republishes without a release.
 */
export const RELEASED_PATHS = ["src/", "openapi/", "generated/"];

export interface Changeset {
  /** Path relative to the repository, `.changeset/<name>.md`. */
  file: string;
  /** Empty for an empty changeset (`npx changeset --empty`: a change that needs no release). */
  releases: { name: string; type: Bump }[];
  summary: string;
}

/** Parses a changeset: YAML front matter of `"package": bump` lines, then the summary. */
export function parseChangeset(file: string, text: string): Changeset {
  const match = /^---[ \t]*\r?\n([\s\S]*?)^---[ \t]*(?:\r?\n|$)([\s\S]*)$/m.exec(text);
  if (!match || text.slice(0, match.index).trim() !== "")
    throw new Error(`${file}: no front matter (a changeset starts with ---, its releases, ---)`);
  const releases: Changeset["releases"] = [];
  for (const raw of match[1]!.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (line === "") continue;
    const m = /^(["']?)([^"':\s][^"':]*)\1\s*:\s*(["']?)(major|minor|patch|none)\3$/.exec(line);
    if (!m) throw new Error(`${file}: not a release line: ${JSON.stringify(raw)}`);
    releases.push({ name: m[2]!, type: m[4] as Bump });
  }
  return { file, releases, summary: match[2]!.trim() };
}

export interface CheckFacts {
  packageName: string;
  /** The ref named by the caller, and the merge base the change is measured from. */
  base: string;
  mergeBase: string;
  spec: VendorDiff[];
  /** undefined when the types were not compared (`--no-types`). */
  api: ApiChange[] | undefined;
  /** Files changed against the merge base (committed or not, untracked included). */
  changedFiles: string[];
  /** The changesets this change adds or edits (.changeset/*.md). */
  changesets: Changeset[];
  /** Changesets that could not be read, with why. */
  unreadable: string[];
}

export interface Verdict {
  ok: boolean;
  /** The bump the facts call for. */
  needed: Bump;
  /** The largest bump of the change's changesets for the package; null without any changeset. */
  declared: Bump | null;
  breaking: string[];
  /** Additions and deprecations (a minor bump, by semver). */
  features: string[];
  releasedFiles: string[];
  errors: string[];
  notes: string[];
}

/** The policy: a breaking change needs a major changeset; a change to what ships needs one at all. */
export function decide(facts: CheckFacts): Verdict {
  const errors: string[] = [];
  const notes: string[] = [];
  const breaking: string[] = [];
  const features: string[] = [];
  for (const v of facts.spec) {
    if (v.status === "removed") breaking.push(`${v.vendor}: description removed`);
    if (v.status === "added") features.push(`${v.vendor}: new description`);
    for (const name of v.removedSchemas ?? [])
      breaking.push(
        `${v.vendor}: schema ${name} removed or renamed (components["schemas"]["${name}"] no longer compiles)`,
      );
    for (const c of v.changes) {
      const line = `${v.vendor}: ${c.description} (${c.where})`;
      if (c.type === "breaking") breaking.push(line);
      else if (c.type === "deprecated" || (c.type === "non-breaking" && c.action === "add"))
        features.push(line);
    }
    const unclassified = v.changes.filter((c) => c.type === "unclassified").length;
    if (unclassified > 0)
      notes.push(
        `${v.vendor}: ${unclassified} change(s) api-smart-diff does not classify; judge them yourself (npm run diff).`,
      );
  }
  for (const c of facts.api ?? []) {
    const line = `${c.entry} ${c.where}: ${c.description}`;
    if (c.type === "breaking") breaking.push(line);
    else features.push(line);
  }
  for (const text of facts.unreadable) errors.push(text);

  let declared: Bump | null = null;
  for (const cs of facts.changesets) {
    declared ??= "none";
    for (const r of cs.releases) {
      if (r.name !== facts.packageName) {
        errors.push(
          `${cs.file} names the package "${r.name}"; this repository publishes only "${facts.packageName}".`,
        );
        continue;
      }
      if (RANK[r.type] > RANK[declared]) declared = r.type;
    }
  }

  const releasedFiles = facts.changedFiles.filter((f) =>
    RELEASED_PATHS.some((p) => f.startsWith(p)),
  );
  const needed: Bump =
    breaking.length > 0
      ? "major"
      : features.length > 0
        ? "minor"
        : releasedFiles.length > 0
          ? "patch"
          : "none";

  if (breaking.length > 0 && declared !== "major")
    errors.push(
      `${breaking.length} breaking change(s) and ${
        declared === null ? "no changeset" : `no major changeset (the largest is ${declared})`
      }: a breaking change needs a major changeset for ${facts.packageName}. Run \`npx changeset\`, ` +
        `choose major, and tell users what they must change.`,
    );
  else if (releasedFiles.length > 0 && declared === null)
    errors.push(
      `This change touches what the package ships (${releasedFiles.length} file(s) under ${RELEASED_PATHS.join(", ")}) ` +
        `and adds no changeset. Run \`npx changeset\` (${needed} is what the comparison suggests), ` +
        `or \`npx changeset --empty\` if users see no difference.`,
    );

  if (declared !== null && needed === "minor" && RANK[declared] < RANK.minor)
    notes.push(
      `Additions or deprecations found and the changeset says ${declared}: semver calls for minor.`,
    );
  if (declared === "major" && breaking.length === 0)
    notes.push(
      "A major changeset, and no breaking change in the descriptions or the types: right if behaviour " +
        "breaks in a way neither shows (a default, an error thrown); otherwise choose minor or patch.",
    );
  if (facts.api === undefined) notes.push("The client types were not compared (--no-types).");
  return {
    ok: errors.length === 0,
    needed,
    declared,
    breaking,
    features,
    releasedFiles,
    errors,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Facts

const run = (repo: string, args: string[]) =>
  promisify(execFile)("git", args, { cwd: repo, maxBuffer: 64 * 1024 * 1024 }).then((r) =>
    r.stdout.trim(),
  );

export interface GatherOptions {
  /** Compare the entry points' declarations (needs two tsc runs, ~10 s). Default true. */
  types?: boolean;
  /** Where both sides resolve their dependencies; default `<repo>/node_modules`. */
  nodeModules?: string;
}

/** The facts of the working tree of `repo` against `base` (a ref: `origin/main`, `main`, a sha). */
export async function gatherFacts(
  repo: string,
  base: string,
  options: GatherOptions = {},
): Promise<CheckFacts & { reports?: { base: ApiReport; head: ApiReport } }> {
  let mergeBase: string;
  try {
    mergeBase = await run(repo, ["merge-base", base, "HEAD"]);
  } catch {
    throw new Error(
      `no merge base between ${base} and HEAD: is ${base} fetched (actions/checkout needs fetch-depth: 0)?`,
    );
  }
  const packageName = (
    JSON.parse(await readFile(path.join(repo, "package.json"), "utf8")) as { name: string }
  ).name;
  const changedFiles = [
    ...new Set([
      ...(await run(repo, ["diff", "--name-only", mergeBase])).split("\n"),
      ...(await run(repo, ["ls-files", "--others", "--exclude-standard"])).split("\n"),
    ]),
  ]
    .filter(Boolean)
    .sort();

  const changesets: Changeset[] = [];
  const unreadable: string[] = [];
  const dir = path.join(repo, ".changeset");
  const names = existsSync(dir)
    ? (await readdir(dir)).filter((f) => f.endsWith(".md") && f !== "README.md").sort()
    : [];
  for (const name of names) {
    const file = `.changeset/${name}`;
    const text = await readFile(path.join(dir, name), "utf8");
    const before = await run(repo, ["show", `${mergeBase}:${file}`]).catch(() => undefined);
    if (before !== undefined && before === text.trim()) continue; // pending from an earlier change
    try {
      changesets.push(parseChangeset(file, text));
    } catch (err) {
      unreadable.push((err as Error).message);
    }
  }

  const spec = await diffAgainst(repo, mergeBase);

  let api: ApiChange[] | undefined;
  let reports: { base: ApiReport; head: ApiReport } | undefined;
  if (options.types !== false) {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "changeset-check-"));
    try {
      const shared = {
        nodeModules: options.nodeModules ?? path.join(repo, "node_modules"),
        generated: path.join(repo, "generated"),
      };
      const [before, after] = await Promise.all([
        declarationsOf({ ref: mergeBase, repo }, path.join(tmp, "base"), shared),
        declarationsOf({ dir: repo }, path.join(tmp, "head"), shared),
      ]);
      const compared = compareApis(before, after, shared.nodeModules);
      api = compared.changes;
      reports = { base: compared.base, head: compared.head };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  return {
    packageName,
    base,
    mergeBase,
    spec,
    api,
    changedFiles,
    changesets,
    unreadable,
    ...(reports ? { reports } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Reports

const LIST_LIMIT = 25;

function listed<T>(items: T[], show: (t: T) => string): string[] {
  const lines = items.slice(0, LIST_LIMIT).map(show);
  if (items.length > LIST_LIMIT) lines.push(`… and ${items.length - LIST_LIMIT} more`);
  return lines;
}

function describeChangesets(facts: CheckFacts): string[] {
  return facts.changesets.map(
    (cs) =>
      `${cs.file}: ${cs.releases.map((r) => `${r.name} ${r.type}`).join(", ") || "empty (no release)"}`,
  );
}

function specSummary(facts: CheckFacts): string[] {
  return facts.spec.map((v) => {
    if (v.status !== "changed") return `${v.vendor}: ${v.status}`;
    const n = countByClass(v.changes);
    const removed = v.removedSchemas?.length
      ? `; schemas removed or renamed: ${v.removedSchemas.join(", ")}`
      : "";
    return `${v.vendor}: ${n.breaking} breaking, ${n["non-breaking"]} non-breaking, ${n.deprecated} deprecated, ${n.unclassified} unclassified, ${n.annotation} docs-only${removed}`;
  });
}

export function formatText(facts: CheckFacts, verdict: Verdict): string {
  const out: string[] = [
    `Changeset check against ${facts.base} (merge base ${facts.mergeBase.slice(0, 12)})`,
    "",
    "Descriptions (api-smart-diff, as npm run diff):",
  ];
  out.push(...specSummary(facts).map((l) => `  ${l}`));
  out.push("", "Client types (each entry point's declarations):");
  if (facts.api === undefined) out.push("  not compared");
  else if (facts.api.length === 0) out.push("  no change");
  else
    out.push(
      ...listed(
        facts.api,
        (c) => `  ${c.type.padEnd(12)} ${c.entry}  ${c.where}\n${" ".repeat(16)}${c.description}`,
      ),
    );
  if (verdict.breaking.length > 0)
    out.push("", "Breaking:", ...listed(verdict.breaking, (b) => `  - ${b}`));
  out.push(
    "",
    facts.changesets.length === 0
      ? "Changesets of this change: none"
      : "Changesets of this change:",
    ...describeChangesets(facts).map((l) => `  ${l}`),
    "",
    `Needed: ${verdict.needed}. Declared: ${verdict.declared ?? "no changeset"}.`,
  );
  for (const n of verdict.notes) out.push(`note: ${n}`);
  for (const e of verdict.errors) out.push(`error: ${e}`);
  out.push(verdict.ok ? "OK" : "FAILED");
  return out.join("\n");
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function formatMarkdown(facts: CheckFacts, verdict: Verdict): string {
  const out: string[] = [
    `## Changeset check: ${verdict.ok ? "passed" : "failed"}`,
    "",
    `Against \`${facts.base}\` (merge base \`${facts.mergeBase.slice(0, 12)}\`). ` +
      `Needed: **${verdict.needed}**. Declared: **${verdict.declared ?? "no changeset"}**.`,
    "",
  ];
  for (const e of verdict.errors) out.push(`> [!CAUTION]\n> ${cell(e)}\n`);
  for (const n of verdict.notes) out.push(`> [!NOTE]\n> ${cell(n)}\n`);
  if (verdict.breaking.length > 0)
    out.push("### Breaking", "", ...listed(verdict.breaking, (b) => `- ${cell(b)}`), "");
  out.push(
    "### Descriptions",
    "",
    ...specSummary(facts).map((l) => `- ${l}`),
    "",
    "The changes themselves are in the review job's summary (`npm run diff`).",
    "",
    "### Client types",
    "",
  );
  if (facts.api === undefined) out.push("Not compared.", "");
  else if (facts.api.length === 0) out.push("No change.", "");
  else
    out.push(
      "| class | entry | where | change |",
      "| --- | --- | --- | --- |",
      ...listed(
        facts.api,
        (c) => `| ${c.type} | \`${c.entry}\` | \`${cell(c.where)}\` | ${cell(c.description)} |`,
      ),
      "",
    );
  out.push("### Changesets of this change", "");
  const described = describeChangesets(facts);
  out.push(...(described.length ? described.map((l) => `- \`${l}\``) : ["None."]), "");
  return out.join("\n");
}
