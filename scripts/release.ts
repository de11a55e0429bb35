// `tsx scripts/release.ts`: publishes the version in package.json to the npm registry, with
// provenance, unless the registry has it already (every push to main without pending changesets
// comes here, and most find their version published). Run by .github/workflows/release.yml after
// the checks; `npm publish` builds the package first (prepack).
//
// Authentication: NODE_AUTH_TOKEN, written as `${NODE_AUTH_TOKEN}` (npm expands it) into a
// temporary user config for the registry npm is configured with. Provenance needs the workflow's
// `id-token: write` permission.
//
// Outputs (GITHUB_OUTPUT, when set): published=true|false, version, tag (v<version>) and
// notes (a file with the version's CHANGELOG.md section, for the GitHub release).
import { execFile, spawn } from "node:child_process";
import { appendFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { authTokenKey, changelogSection } from "./lib/release.js";
import { repoRoot } from "./lib/vendors.js";

const { name, version } = JSON.parse(
  await readFile(path.join(repoRoot, "package.json"), "utf8"),
) as {
  name: string;
  version: string;
};
const npm = (args: string[]) =>
  promisify(execFile)("npm", args, { cwd: repoRoot }).then((r) => r.stdout.trim());

async function output(values: Record<string, string>): Promise<void> {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  await appendFile(
    file,
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
  );
}

async function published(): Promise<boolean> {
  try {
    return (await npm(["view", `${name}@${version}`, "version"])) === version;
  } catch (err) {
    // A package never published answers E404; anything else (the network) must not be taken for it.
    if (/E404|404 Not Found/.test(String((err as { stderr?: string }).stderr ?? err))) return false;
    throw err;
  }
}

if (await published()) {
  console.log(`${name}@${version} is on the registry already: nothing to publish.`);
  await output({ published: "false", version });
  process.exit(0);
}

const env = { ...process.env };
if (process.env.NODE_AUTH_TOKEN) {
  const registry = await npm(["config", "get", "registry"]);
  const dir = await mkdtemp(path.join(os.tmpdir(), "release-"));
  const userconfig = path.join(dir, ".npmrc");
  await writeFile(userconfig, `${authTokenKey(registry)}=\${NODE_AUTH_TOKEN}\n`, { mode: 0o600 });
  env.NPM_CONFIG_USERCONFIG = userconfig;
}

console.log(`Publishing ${name}@${version} with provenance.`);
const code = await new Promise<number | null>((resolve, reject) =>
  spawn("npm", ["publish", "--provenance", "--access", "public"], {
    cwd: repoRoot,
    env,
    stdio: "inherit",
  })
    .on("error", reject)
    .on("close", resolve),
);
if (code !== 0) process.exit(code ?? 1);

const notesFile = path.join(os.tmpdir(), `release-notes-${version}.md`);
const changelog = await readFile(path.join(repoRoot, "CHANGELOG.md"), "utf8").catch(() => "");
await writeFile(notesFile, (changelogSection(changelog, version) ?? `${name} ${version}`) + "\n");
await output({ published: "true", version, tag: `v${version}`, notes: notesFile });
