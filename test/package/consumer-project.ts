// The package as a user gets it: `npm pack`, then a new project that installs the tarball. Shared
// by the package tests so the tarball is packed and installed once.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../scripts/lib/vendors.js";

export const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

export interface ConsumerProject {
  /** The packed tarball. */
  tarball: string;
  /** A project that installed it (with @types/node, as a TypeScript user would have, and ioredis). */
  dir: string;
  /** Runs tsc (the repo's TypeScript 5.9) with a tsconfig of the project. */
  typecheck(tsconfig: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Packs the repository as it is built (dist/ must exist: `npm run build`; the test does not pack
 * with scripts, so that it does not build twice) and installs the tarball into a new project.
 */
export async function consumerProject(): Promise<ConsumerProject> {
  const root = await mkdtemp(path.join(tmpdir(), "commerce-openapi-consumer-"));
  const { stdout } = await run(
    npm,
    ["pack", "--json", "--ignore-scripts", "--pack-destination", root],
    { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  );
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const tarball = path.join(root, filename);
  const dir = path.join(root, "project");
  await run("mkdir", ["-p", dir]);
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const lock = JSON.parse(await readFile(path.join(repoRoot, "package-lock.json"), "utf8"));
  const typesNode = lock.packages["node_modules/@types/node"].version as string;
  // The optional peer dependency a user of commerce-openapi/limits-redis installs.
  const ioredis = lock.packages["node_modules/ioredis"].version as string;
  // The registry's copies of the package's own dependencies; npm ci has put them in its cache.
  await run(
    npm,
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      tarball,
      `@types/node@${typesNode}`,
      `ioredis@${ioredis}`,
    ],
    { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
  );
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  return {
    tarball,
    dir,
    typecheck: (tsconfig) =>
      run(process.execPath, [tsc, "-p", tsconfig], { cwd: dir, maxBuffer: 32 * 1024 * 1024 }).then(
        () => "",
        (err: { stdout?: string }) => String(err.stdout ?? err),
      ),
    close: () => rm(root, { recursive: true, force: true }),
  };
}
