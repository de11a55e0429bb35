// Every workflow passes action-validator (the GitHub workflow schema, offline), and the release,
// pages and pull-request workflows do what README and .changeset/README.md say they do.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseYaml } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/vendors.js";

const workflowsDir = path.join(repoRoot, ".github", "workflows");
const files = readdirSync(workflowsDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const validator = path.join(repoRoot, "node_modules", ".bin", "action-validator");

async function validate(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(validator, [file], { cwd: repoRoot });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout}${e.stderr}` };
  }
}

const load = (name: string) =>
  parseYaml(readFileSync(path.join(workflowsDir, name), "utf8")) as any;
const runsOf = (job: any): string[] =>
  job.steps.filter((s: any) => s.run).map((s: any) => String(s.run));
const usesOf = (job: any): string[] =>
  job.steps.filter((s: any) => s.uses).map((s: any) => String(s.uses));

describe("action-validator", () => {
  it("finds the workflows", () => {
    expect(files).toEqual(expect.arrayContaining(["pages.yml", "release.yml", "spec-pr.yml"]));
  });

  it.each(files)("%s is a valid workflow", async (file) => {
    const { code, output } = await validate(path.join(workflowsDir, file));
    expect(output).not.toMatch(/"errors"/);
    expect(code, output).toBe(0);
  });

  it("fails on an invalid workflow (the check can fail)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "workflow-"));
    try {
      const bad = path.join(dir, "bad.yml");
      await writeFile(
        bad,
        "name: bad\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n",
      );
      const { code, output } = await validate(bad);
      expect(code).not.toBe(0);
      expect(output).toContain("stepz");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("workflows", () => {
  const scripts = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts;

  it("run only npm scripts that package.json defines, and script files that exist", () => {
    for (const file of files) {
      const workflow = load(file);
      for (const job of Object.values<any>(workflow.jobs)) {
        for (const run of runsOf(job)) {
          for (const m of run.matchAll(/npm run ([\w:-]+)/g))
            expect(scripts[m[1]!], `${file}: npm run ${m[1]}`).toBeDefined();
          for (const m of run.matchAll(/tsx (scripts\/[\w./-]+\.ts)/g))
            expect(
              () => readFileSync(path.join(repoRoot, m[1]!)),
              `${file}: ${m[1]}`,
            ).not.toThrow();
        }
      }
    }
  });

  it("name no registry host (setup-node and npm use the configured registry)", () => {
    const texts = [
      ...files.map((f) => readFileSync(path.join(workflowsDir, f), "utf8")),
      ...["release.ts", "lib/release.ts", "changeset-check.ts", "lib/changeset-check.ts"].map((f) =>
        readFileSync(path.join(repoRoot, "scripts", f), "utf8"),
      ),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/registry\.npmjs|npmjs\.(org|com)|registry-url/);
    }
  });

  it("release: checks as CI does, then versions or publishes with provenance", () => {
    const workflow = load("release.yml");
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
    const { check, release } = workflow.jobs;
    expect(check.container).toMatch(/bookworm/); // Debian's chromium, as .ci/run expects
    expect(runsOf(check)).toContain("./.ci/run");
    expect(release.needs).toBe("check");
    expect(release.permissions).toEqual({
      contents: "write",
      "pull-requests": "write",
      "id-token": "write",
    });
    expect(usesOf(release)).toEqual(
      expect.arrayContaining(["actions/checkout@v4", "changesets/action@v1"]),
    );
    const publish = release.steps.find((s: any) => s.id === "publish");
    expect(publish.if).toBe("steps.changesets.outputs.hasChangesets == 'false'");
    expect(publish.run).toBe("npx tsx scripts/release.ts");
    expect(publish.env.NODE_AUTH_TOKEN).toBe("${{ secrets.NPM_TOKEN }}");
    const script = readFileSync(path.join(repoRoot, "scripts", "release.ts"), "utf8");
    expect(script).toContain('["publish", "--provenance", "--access", "public"]');
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
  });

  it("pages: builds dist/docs and deploys it, one deployment at a time", () => {
    const workflow = load("pages.yml");
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.concurrency).toEqual({ group: "pages", "cancel-in-progress": false });
    const { build, deploy } = workflow.jobs;
    expect(runsOf(build)).toEqual(expect.arrayContaining(["npm ci", "npm run build"]));
    expect(usesOf(build)).toEqual(
      expect.arrayContaining(["actions/configure-pages@v5", "actions/upload-pages-artifact@v3"]),
    );
    const upload = build.steps.find((s: any) => String(s.uses).startsWith("actions/upload-pages"));
    expect(upload.with.path).toBe("dist/docs");
    expect(deploy.needs).toBe("build");
    expect(deploy.permissions).toEqual({ pages: "write", "id-token": "write" });
    expect(deploy.environment.name).toBe("github-pages");
    expect(usesOf(deploy)).toEqual(["actions/deploy-pages@v4"]);
  });

  it("spec-pr: a docs preview, and the changeset check against the base branch", () => {
    const workflow = load("spec-pr.yml");
    const preview = workflow.jobs.review.steps.find((s: any) =>
      String(s.uses).startsWith("actions/upload-artifact"),
    );
    expect(preview.with.path).toBe("dist/docs");
    const job = workflow.jobs.changeset;
    expect(job.steps[0].with["fetch-depth"]).toBe(0);
    expect(runsOf(job)).toContain("npm ci");
    const check = job.steps.find((s: any) => String(s.run).includes("changeset-check.ts"));
    expect(check.run).toContain('"origin/$BASE_REF"');
    expect(check.env.BASE_REF).toBe("${{ github.base_ref }}");
  });
});
