// The Changesets setup: one package, base branch main, a changelog made offline; every pending
// changeset reads; `changeset version` turns them into a version and a CHANGELOG.md section in a
// copy of the repository (no network: the changelog generator reads git only). And the pieces of
// the release script that need no registry.
import { execFile } from "node:child_process";
import { cp, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseChangeset, RELEASED_PATHS } from "../../scripts/lib/changeset-check.js";
import { authTokenKey, changelogSection } from "../../scripts/lib/release.js";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { git, makeRepo, nodeModules } from "./support.js";

const changesetDir = path.join(repoRoot, ".changeset");
const pkg = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
};

describe(".changeset/config.json", () => {
  it("releases one public package from main, with the offline changelog generator", async () => {
    const config = JSON.parse(await readFile(path.join(changesetDir, "config.json"), "utf8"));
    expect(config).toMatchObject({
      baseBranch: "main",
      changelog: "@changesets/cli/changelog",
      access: "public",
      commit: false,
    });
    // The check and `changeset status` agree on which files call for a changeset.
    expect(config.changedFilePatterns).toEqual(RELEASED_PATHS.map((p) => `${p}**`));
  });

  it("ships CHANGELOG.md, which starts with the package name and lists 0.1.0", async () => {
    expect(pkg.files).toContain("CHANGELOG.md");
    const changelog = await readFile(path.join(repoRoot, "CHANGELOG.md"), "utf8");
    expect(changelog.split("\n")[0]).toBe(`# ${pkg.name}`);
    expect(changelogSection(changelog, "0.1.0")).toMatch(/^Not published to npm/);
  });

  it("every pending changeset reads and names this package", async () => {
    const names = (await readdir(changesetDir)).filter(
      (f) => f.endsWith(".md") && f !== "README.md",
    );
    for (const name of names) {
      const cs = parseChangeset(name, await readFile(path.join(changesetDir, name), "utf8"));
      expect(cs.summary.length, name).toBeGreaterThan(0);
      for (const r of cs.releases) expect(r.name, name).toBe(pkg.name);
    }
  });
});

describe("changeset version (offline, in a copy)", () => {
  it("bumps the version and writes the changesets above the earlier versions", async () => {
    const dir = await makeRepo({ ".prettierrc.json": "{}\n" });
    try {
      for (const f of ["package.json", "CHANGELOG.md", ".changeset"])
        await cp(path.join(repoRoot, f), path.join(dir, f), { recursive: true });
      await git(dir, "add", "-A");
      await git(dir, "commit", "-q", "-m", "release files");
      const pending = (await readdir(path.join(dir, ".changeset"))).filter(
        (f) => f.endsWith(".md") && f !== "README.md",
      );
      await promisify(execFile)(
        process.execPath,
        [path.join(nodeModules, "@changesets", "cli", "bin.js"), "version"],
        { cwd: dir, env: { ...process.env, NO_COLOR: "1" } },
      );
      const version = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")).version;
      const changelog = await readFile(path.join(dir, "CHANGELOG.md"), "utf8");
      expect(changelog.split("\n")[0]).toBe(`# ${pkg.name}`);
      if (pending.length === 0) {
        expect(version).toBe(pkg.version);
        return;
      }
      expect(version).not.toBe(pkg.version);
      const section = changelogSection(changelog, version);
      expect(section).toMatch(/^### (Major|Minor|Patch) Changes/);
      expect(changelog.indexOf(`## ${version}`)).toBeLessThan(changelog.indexOf("## 0.1.0"));
      expect(await readdir(path.join(dir, ".changeset"))).toEqual(
        expect.not.arrayContaining(pending),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("release script helpers", () => {
  it("derive the auth key from the configured registry, whatever it is", () => {
    expect(authTokenKey("https://registry.example.test/")).toBe(
      "//registry.example.test/:_authToken",
    );
    expect(authTokenKey("https://npm.example.test/repository/npm\n")).toBe(
      "//npm.example.test/repository/npm/:_authToken",
    );
  });

  it("cut a version's section out of the changelog", () => {
    const changelog = "# p\n\n## 1.0.0\n\n### Major Changes\n\n- a\n\n## 0.1.0\n\nFirst.\n";
    expect(changelogSection(changelog, "1.0.0")).toBe("### Major Changes\n\n- a");
    expect(changelogSection(changelog, "0.1.0")).toBe("First.");
    expect(changelogSection(changelog, "2.0.0")).toBe(undefined);
  });
});
