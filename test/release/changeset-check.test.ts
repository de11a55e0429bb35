// The pull-request check (scripts/lib/changeset-check.ts): the changeset parser, the policy on
// fixture facts, and the whole check in throwaway git repositories (offline).
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiChange } from "../../scripts/lib/api-report.js";
import {
  type CheckFacts,
  decide,
  formatMarkdown,
  formatText,
  gatherFacts,
  parseChangeset,
} from "../../scripts/lib/changeset-check.js";
import { diffDescriptions, removedSchemas, type VendorDiff } from "../../scripts/lib/spec-diff.js";
import {
  codeEntries,
  description,
  git,
  makeRepo,
  nodeModules,
  packageConfigs,
  writeTree,
} from "./support.js";

const changeset = (bump: string, summary = "Something users see.") =>
  `---\n"commerce-openapi": ${bump}\n---\n\n${summary}\n`;

describe("parseChangeset", () => {
  it("reads the releases and the summary", () => {
    expect(parseChangeset(".changeset/a.md", changeset("major", "Breaks."))).toEqual({
      file: ".changeset/a.md",
      releases: [{ name: "commerce-openapi", type: "major" }],
      summary: "Breaks.",
    });
    expect(parseChangeset("b.md", "---\ncommerce-openapi: 'patch'\n---\nFix.").releases).toEqual([
      { name: "commerce-openapi", type: "patch" },
    ]);
  });

  it("reads an empty changeset as no release", () => {
    expect(parseChangeset("e.md", "---\n---\n").releases).toEqual([]);
  });

  it("refuses what changesets would refuse", () => {
    expect(() => parseChangeset("x.md", "No front matter.")).toThrow(/no front matter/);
    expect(() => parseChangeset("x.md", '---\n"commerce-openapi": huge\n---\n')).toThrow(
      /not a release line/,
    );
  });
});

// ---------------------------------------------------------------------------------------------

const before = description();
function specChange(edit: (doc: Record<string, any>) => void): VendorDiff[] {
  const after = structuredClone(before);
  edit(after);
  return [{ vendor: "acme", status: "changed", changes: diffDescriptions(before, after) }];
}
const removeStatus = (doc: Record<string, any>) => {
  const op = doc.paths["/orders"].get;
  op.parameters = op.parameters.filter((p: any) => p.name !== "status");
};
const addSince = (doc: Record<string, any>) => {
  doc.paths["/orders"].get.parameters.push({
    name: "since",
    in: "query",
    schema: { type: "string" },
  });
};

function facts(over: Partial<CheckFacts>): CheckFacts {
  return {
    packageName: "commerce-openapi",
    base: "origin/main",
    mergeBase: "0123456789abcdef",
    spec: [],
    api: [],
    changedFiles: [],
    changesets: [],
    unreadable: [],
    ...over,
  };
}
const withChangeset = (bump: string) => [parseChangeset(".changeset/c.md", changeset(bump))];
const removedExport: ApiChange = {
  type: "breaking",
  entry: "./hubrise",
  where: "QuotaExhaustedError",
  description: "class QuotaExhaustedError no longer exported",
};

describe("decide", () => {
  it("a breaking description change without a changeset fails", () => {
    const verdict = decide(
      facts({ spec: specChange(removeStatus), changedFiles: ["openapi/acme/paths/orders.yaml"] }),
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.needed).toBe("major");
    expect(verdict.declared).toBe(null);
    expect(verdict.breaking.some((b) => b.includes("status"))).toBe(true);
    expect(verdict.errors[0]).toMatch(
      /breaking change\(s\) and no changeset: a breaking change needs a major changeset/,
    );
  });

  it("a breaking description change with a minor changeset fails, with a major one passes", () => {
    const spec = specChange(removeStatus);
    const minor = decide(facts({ spec, changesets: withChangeset("minor") }));
    expect(minor.ok).toBe(false);
    expect(minor.errors[0]).toMatch(/no major changeset \(the largest is minor\)/);
    const major = decide(facts({ spec, changesets: withChangeset("major") }));
    expect(major).toMatchObject({ ok: true, needed: "major", declared: "major", errors: [] });
  });

  it("a non-breaking description change passes with a minor changeset", () => {
    const spec = specChange(addSince);
    expect(spec[0]!.changes.some((c) => c.type === "breaking")).toBe(false);
    const verdict = decide(
      facts({
        spec,
        changedFiles: ["generated/acme/openapi.json"],
        changesets: withChangeset("minor"),
      }),
    );
    expect(verdict).toMatchObject({ ok: true, needed: "minor", declared: "minor" });
  });

  it("an addition with a patch changeset passes, with a note", () => {
    const verdict = decide(
      facts({ spec: specChange(addSince), changesets: withChangeset("patch") }),
    );
    expect(verdict.ok).toBe(true);
    expect(verdict.notes.join()).toMatch(/semver calls for minor/);
  });

  it("a removed export in the types is breaking", () => {
    const without = decide(
      facts({ api: [removedExport], changedFiles: ["src/core/public-errors.ts"] }),
    );
    expect(without.ok).toBe(false);
    expect(without.breaking).toEqual([
      "./hubrise QuotaExhaustedError: class QuotaExhaustedError no longer exported",
    ]);
    expect(decide(facts({ api: [removedExport], changesets: withChangeset("major") })).ok).toBe(
      true,
    );
  });

  it("a change to what ships needs a changeset; an empty one will do", () => {
    const changedFiles = ["src/hubrise/index.ts"];
    const none = decide(facts({ changedFiles }));
    expect(none.ok).toBe(false);
    expect(none.errors[0]).toMatch(/adds no changeset.*npx changeset --empty/s);
    const empty = decide(
      facts({ changedFiles, changesets: [parseChangeset(".changeset/e.md", "---\n---\n")] }),
    );
    expect(empty).toMatchObject({ ok: true, needed: "patch", declared: "none" });
  });

  it("tests, CI and the docs overlays need no changeset", () => {
    const verdict = decide(
      facts({ changedFiles: ["test/x.test.ts", ".github/workflows/pages.yml", "overlays/a.yaml"] }),
    );
    expect(verdict).toMatchObject({ ok: true, needed: "none", declared: null, errors: [] });
  });

  it("a renamed schema is breaking, though the operations see no change", () => {
    const withRef = (name: string) => {
      const doc = description();
      const content = doc.paths["/orders"].get.responses["200"].content["application/json"];
      doc.components = { schemas: { [name]: content.schema.items } };
      content.schema.items = { $ref: `#/components/schemas/${name}` };
      return doc;
    };
    const [a, b] = [withRef("Order"), withRef("OrderBody")];
    const changes = diffDescriptions(a, b);
    expect(changes.filter((c) => c.type === "breaking")).toEqual([]);
    expect(removedSchemas(a, b)).toEqual(["Order"]);
    const verdict = decide(
      facts({ spec: [{ vendor: "acme", status: "changed", changes, removedSchemas: ["Order"] }] }),
    );
    expect(verdict.breaking).toEqual([
      'acme: schema Order removed or renamed (components["schemas"]["Order"] no longer compiles)',
    ]);
    expect(verdict.ok).toBe(false);
  });

  it("a removed vendor is breaking", () => {
    const verdict = decide(facts({ spec: [{ vendor: "acme", status: "removed", changes: [] }] }));
    expect(verdict.breaking).toEqual(["acme: description removed"]);
    expect(verdict.ok).toBe(false);
  });

  it("a changeset for another package fails", () => {
    const other = parseChangeset(".changeset/o.md", '---\n"left-pad": patch\n---\nx');
    const verdict = decide(facts({ changesets: [other] }));
    expect(verdict.ok).toBe(false);
    expect(verdict.errors[0]).toMatch(/names the package "left-pad"/);
  });

  it("a major changeset without a breaking change passes, with a note", () => {
    const verdict = decide(facts({ changesets: withChangeset("major") }));
    expect(verdict.ok).toBe(true);
    expect(verdict.notes.join()).toMatch(/no breaking change/);
  });

  it("reports as text and as markdown", () => {
    const f = facts({ api: [removedExport], spec: specChange(removeStatus) });
    const verdict = decide(f);
    expect(formatText(f, verdict)).toMatch(/acme: 1 breaking[\s\S]*FAILED$/);
    const md = formatMarkdown(f, verdict);
    expect(md).toMatch(/^## Changeset check: failed/);
    expect(md).toContain("| breaking | `./hubrise` | `QuotaExhaustedError` |");
  });
});

// ---------------------------------------------------------------------------------------------
// The whole check in a git repository: main holds a package, the change is on a branch.

const SOURCE = `export interface AcmeOptions { baseUrl?: string }
export class AcmeQuotaError extends Error {}
export function createAcmeClient(token: string, options: AcmeOptions = {}): { token: string; baseUrl: string } {
  return { token, baseUrl: options.baseUrl ?? "https://api.acme.example/v1" };
}
`;

async function acmeRepo(): Promise<string> {
  return makeRepo({
    ...packageConfigs({
      ...codeEntries(["acme"]),
      "./acme/openapi.json": "./generated/acme/openapi.json",
    }),
    "src/acme/index.ts": SOURCE,
    "generated/acme/openapi.json": description(),
    ".changeset/config.json": { baseBranch: "main", changelog: "@changesets/cli/changelog" },
    ".changeset/README.md": "# Changesets\n",
    "README.md": "# acme\n",
  });
}

const repos: string[] = [];
afterEach(async () => {
  for (const dir of repos.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function branch(): Promise<string> {
  const dir = await acmeRepo();
  repos.push(dir);
  await git(dir, "checkout", "-q", "-b", "change");
  return dir;
}

async function editDescription(dir: string, edit: (doc: Record<string, any>) => void) {
  const file = path.join(dir, "generated/acme/openapi.json");
  const doc = JSON.parse(await readFile(file, "utf8"));
  edit(doc);
  await writeFile(file, JSON.stringify(doc, null, 2) + "\n");
}

const check = async (dir: string, types = false) => {
  const f = await gatherFacts(dir, "main", { types, nodeModules });
  return { facts: f, verdict: decide(f) };
};

describe("the check in a git repository", () => {
  it("a breaking description change, committed, without a changeset: fails", async () => {
    const dir = await branch();
    await editDescription(dir, removeStatus);
    await git(dir, "commit", "-q", "-am", "drop status");
    const { facts: f, verdict } = await check(dir);
    expect(f.changedFiles).toEqual(["generated/acme/openapi.json"]);
    expect(f.spec.map((v) => [v.vendor, v.status])).toEqual([["acme", "changed"]]);
    expect(verdict.ok).toBe(false);
    expect(verdict.needed).toBe("major");
  });

  it("the same with a major changeset (not yet committed): passes", async () => {
    const dir = await branch();
    await editDescription(dir, removeStatus);
    await writeTree(dir, { ".changeset/drop-status.md": changeset("major", "`status` is gone.") });
    const { facts: f, verdict } = await check(dir);
    expect(f.changesets.map((c) => c.file)).toEqual([".changeset/drop-status.md"]);
    expect(verdict).toMatchObject({ ok: true, declared: "major" });
  });

  it("a major changeset already pending on main does not cover a new breaking change", async () => {
    const dir = await branch();
    await git(dir, "checkout", "-q", "main");
    await writeTree(dir, { ".changeset/earlier.md": changeset("major", "An earlier break.") });
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", "earlier");
    await git(dir, "checkout", "-q", "-b", "later");
    await editDescription(dir, removeStatus);
    const { facts: f, verdict } = await check(dir);
    expect(f.changesets).toEqual([]);
    expect(verdict.ok).toBe(false);
  });

  it("a non-breaking description change with a minor changeset: passes", async () => {
    const dir = await branch();
    await editDescription(dir, addSince);
    await writeTree(dir, { ".changeset/since.md": changeset("minor", "`since` filter.") });
    const { verdict } = await check(dir);
    expect(verdict).toMatchObject({ ok: true, needed: "minor", breaking: [] });
  });

  it("a vendor whose bundle is gone is breaking; a new one is an addition", async () => {
    const dir = await branch();
    await git(dir, "mv", "generated/acme", "generated/zeta");
    const { facts: f, verdict } = await check(dir);
    expect(f.spec.map((v) => `${v.vendor} ${v.status}`)).toEqual(["acme removed", "zeta added"]);
    expect(verdict.breaking).toEqual(["acme: description removed"]);
    expect(verdict.features).toEqual(["zeta: new description"]);
  });

  it("a README change needs nothing", async () => {
    const dir = await branch();
    await writeTree(dir, { "README.md": "# acme\n\nMore words.\n" });
    const { verdict } = await check(dir);
    expect(verdict).toMatchObject({ ok: true, needed: "none" });
  });

  it("a removed export in the client types: breaking, fails with a minor changeset", async () => {
    const dir = await branch();
    await writeTree(dir, {
      "src/acme/index.ts": SOURCE.replace("export class AcmeQuotaError extends Error {}\n", ""),
      ".changeset/tidy.md": changeset("minor", "Tidy up."),
    });
    const { facts: f, verdict } = await check(dir, true);
    expect(f.api).toEqual([
      {
        type: "breaking",
        entry: "./acme",
        where: "AcmeQuotaError",
        description: "class AcmeQuotaError no longer exported",
      },
    ]);
    expect(verdict.ok).toBe(false);
    expect(verdict.errors[0]).toMatch(/the largest is minor/);
  });

  it("an added option in the client types: non-breaking, passes with a minor changeset", async () => {
    const dir = await branch();
    await writeTree(dir, {
      "src/acme/index.ts": SOURCE.replace(
        "baseUrl?: string }",
        "baseUrl?: string; timeoutMs?: number }",
      ),
      ".changeset/timeout.md": changeset("minor", "A timeout option."),
    });
    const { facts: f, verdict } = await check(dir, true);
    expect(f.api?.map((c) => `${c.type} ${c.where}`)).toEqual([
      "non-breaking AcmeOptions › timeoutMs",
    ]);
    expect(verdict).toMatchObject({ ok: true, needed: "minor" });
  });
});
