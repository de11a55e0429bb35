// The pull-request review: api-smart-diff's classification of the changes a reviewer cares about,
// and a workflow that runs only what package.json defines.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseYaml } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { diffDescriptions } from "../../scripts/lib/spec-diff.js";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { loadBundle } from "../support/bundled.js";

describe("spec diff", () => {
  const before = loadBundle("hike");

  it("classifies a removed parameter and a narrowed limit as breaking", () => {
    const after = structuredClone(before);
    const sales = after.paths["/sales/get_all"].get;
    sales.parameters = sales.parameters.filter((p: any) => p.name !== "Sorting");
    after.components.parameters.PageSize.schema.maximum = 200;
    const changes = diffDescriptions(before, after);
    const breaking = changes.filter((c) => c.type === "breaking");
    expect(breaking.some((c) => c.description.includes("Sorting"))).toBe(true);
    expect(breaking.some((c) => c.where.endsWith("schema › maximum"))).toBe(true);
    expect(changes[0]!.type).toBe("breaking"); // listed first
  });

  it("classifies an added optional response field as non-breaking and a summary as docs-only", () => {
    const after = structuredClone(before);
    after.components.schemas.Product.properties.season_name = { type: ["string", "null"] };
    after.paths["/offers/get_all"].get.summary = "List the offers";
    const changes = diffDescriptions(before, after);
    expect(changes.map((c) => c.type).sort()).toEqual(
      expect.arrayContaining(["annotation", "non-breaking"]),
    );
    expect(changes.some((c) => c.type === "breaking")).toBe(false);
  });

  it("finds nothing between a description and itself", () => {
    expect(diffDescriptions(before, structuredClone(before))).toEqual([]);
  });
});

describe(".github/workflows/spec-pr.yml", () => {
  const text = readFileSync(path.join(repoRoot, ".github", "workflows", "spec-pr.yml"), "utf8");
  const workflow = parseYaml(text) as any;

  it("runs on pull requests touching the specs, overlays, src, scripts, generated/ or the package", () => {
    expect(workflow.on.pull_request.paths).toEqual([
      "openapi/**",
      "overlays/**",
      "src/**",
      "scripts/**",
      "generated/**",
      "package.json",
    ]);
  });

  it("runs only npm scripts that package.json defines, and checks generated/", () => {
    const scripts = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts;
    const runs: string[] = workflow.jobs.review.steps
      .filter((s: any) => s.run)
      .map((s: any) => s.run);
    const npmRuns = runs.flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(npmRuns.sort()).toEqual(["build", "diff", "lint"]);
    for (const name of npmRuns) expect(scripts[name], name).toBeDefined();
    expect(runs).toContain("npm ci");
    expect(runs).toContain("git diff --exit-code -- generated/");
    expect(runs.some((r) => r.includes("--format github-actions"))).toBe(true);
    expect(runs.some((r) => r.includes("GITHUB_STEP_SUMMARY"))).toBe(true);
  });
});
