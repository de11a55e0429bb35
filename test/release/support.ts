// Fixtures of the release tests: small package trees and git repositories in a temporary folder,
// offline, sharing the repository's node_modules.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../scripts/lib/vendors.js";

export const nodeModules = path.join(repoRoot, "node_modules");

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
}

export async function writeTree(root: string, files: Record<string, string | object>) {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(root, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(
      target,
      typeof content === "string" ? content : JSON.stringify(content, null, 2) + "\n",
    );
  }
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    "git",
    ["-c", "user.name=Release test", "-c", "user.email=release-test@example.test", ...args],
    { cwd },
  );
  return stdout.trim();
}

/** The configs of a package laid out as this one: src/ compiled to dist/, generated/ beside. */
export function packageConfigs(exports: Record<string, unknown>): Record<string, string | object> {
  return {
    "package.json": {
      name: "commerce-openapi",
      version: "0.1.0",
      type: "module",
      exports,
    },
    "tsconfig.json": {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2023"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: [],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ["src"],
    },
    "tsconfig.build.json": {
      extends: "./tsconfig.json",
      compilerOptions: { noEmit: false, rootDir: "src", outDir: "dist", declaration: true },
      include: ["src"],
    },
  };
}

/** `exports` entries for code entry points `./<name>` (src/<name>/index.ts). */
export function codeEntries(names: string[]): Record<string, unknown> {
  return Object.fromEntries(
    names.map((n) => [
      `./${n}`,
      { types: `./dist/${n}/index.d.ts`, import: `./dist/${n}/index.js` },
    ]),
  );
}

/** A git repository on branch main with `files` committed, node_modules linked (ignored). */
export async function makeRepo(files: Record<string, string | object>): Promise<string> {
  const dir = await tempDir("release-repo");
  await writeTree(dir, { ".gitignore": "node_modules\ndist\n", ...files });
  await symlink(nodeModules, path.join(dir, "node_modules"), "dir");
  await git(dir, "init", "-q", "-b", "main");
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "base");
  return dir;
}

/** A minimal OpenAPI 3.1 description: one list operation with two query parameters. */
export function description(): Record<string, any> {
  return {
    openapi: "3.1.0",
    info: { title: "Acme", version: "1" },
    servers: [{ url: "https://api.acme.example/v1" }],
    paths: {
      "/orders": {
        get: {
          operationId: "listOrders",
          summary: "List the orders",
          parameters: [
            { name: "status", in: "query", schema: { type: "string", enum: ["new", "done"] } },
            { name: "limit", in: "query", schema: { type: "integer", maximum: 100 } },
          ],
          responses: {
            "200": {
              description: "The orders",
              content: {
                "application/json": {
                  schema: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["id"],
                      properties: { id: { type: "string" }, total: { type: "string" } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
