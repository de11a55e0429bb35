// The package as users get it, checked by the tools they trust and by a new project that installs
// the packed tarball: publint and are-the-types-wrong find no problem; every TypeScript block of the
// README type-checks against the installed package (nodenext and bundler resolution); require()
// works from CommonJS and a .cts consumer type-checks; each vendor entry exports its own vendor's
// names and the shared ones only; the bundled descriptions import as JSON.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverVendors, repoRoot } from "../../scripts/lib/vendors.js";
import { type ConsumerProject, consumerProject, run } from "./consumer-project.js";
import { readmeBlocks } from "./readme-blocks.js";
import { ROUTING_MODULE, startReadmeServers } from "./readme-servers.js";

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
const vendors = (await discoverVendors()).map((v) => v.name);

let project: ConsumerProject;
beforeAll(async () => {
  project = await consumerProject();
}, 300_000);
afterAll(() => project?.close());

describe("the packed package", () => {
  it("passes publint (warnings count as problems)", async () => {
    const { stdout } = await run(bin("publint"), ["run", "--strict", project.tarball]);
    expect(stdout).toContain("All good!");
    console.log(`publint --strict ${path.basename(project.tarball)}: All good!`);
  }, 120_000);

  it("passes are-the-types-wrong for an ESM package that require() loads (Node >= 20.19)", async () => {
    // The esm-only profile leaves out node10 and node16's CommonJS resolution, which predate
    // require() of ES modules: this package is ES modules only, and its engines start at 20.19.
    const result = await run(bin("attw"), [project.tarball, "--profile", "esm-only"]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain("🟢");
    console.log(`are-the-types-wrong --profile esm-only: no problem found`);
  }, 120_000);
});

describe("a project that installed the tarball", () => {
  it("type-checks every TypeScript block of the README, with nodenext and with bundler resolution", async () => {
    const blocks = readmeBlocks(await readFile(path.join(repoRoot, "README.md"), "utf8"));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const files = blocks.map((block, i) => ({ ...block, file: `readme-${i}.ts` }));
    for (const { file, source, line } of files)
      await writeFile(path.join(project.dir, file), `// README.md:${line}\n${source}`);
    for (const resolution of ["nodenext", "bundler"] as const) {
      const tsconfig = `tsconfig.readme-${resolution}.json`;
      await writeFile(
        path.join(project.dir, tsconfig),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2023"],
            module: resolution === "nodenext" ? "NodeNext" : "ESNext",
            moduleResolution: resolution === "nodenext" ? "NodeNext" : "Bundler",
            types: ["node"],
            strict: true,
            noEmit: true,
          },
          files: files.map((f) => f.file),
        }),
      );
      const output = await project.typecheck(tsconfig);
      // Name a failing block by its line in README.md.
      const named = output.replace(/readme-(\d+)\.ts/g, (_, i: string) => {
        return `README.md block at line ${files[Number(i)]!.line}`;
      });
      expect(named, resolution).toBe("");
    }
  }, 180_000);

  it("runs every README block (but compile-only ones) against the vendors' sandboxes", async () => {
    const blocks = readmeBlocks(await readFile(path.join(repoRoot, "README.md"), "utf8"));
    const files = blocks
      .filter((b) => b.runs)
      .map((block, i) => ({ ...block, file: `run-${i}.ts` }));
    for (const { file, source } of files) await writeFile(path.join(project.dir, file), source);
    await writeFile(
      path.join(project.dir, "tsconfig.run.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: ["node"],
          strict: true,
          outDir: "run",
        },
        files: files.map((f) => f.file),
      }),
    );
    expect(await project.typecheck("tsconfig.run.json")).toBe("");
    await writeFile(path.join(project.dir, "route-to-sandboxes.mjs"), ROUTING_MODULE);
    const servers = await startReadmeServers();
    try {
      await writeFile(
        path.join(project.dir, "hike-tokens.json"),
        JSON.stringify(servers.hikeTokens),
      );
      for (const { file, line } of files) {
        const script = path.join("run", file.replace(/\.ts$/, ".js"));
        const outcome = await run(
          process.execPath,
          ["--import", "./route-to-sandboxes.mjs", script],
          {
            cwd: project.dir,
            timeout: 60_000,
            env: {
              ...process.env,
              ...servers.env,
              README_ROUTES: JSON.stringify(servers.routes),
            },
          },
        ).then(
          () => "",
          (err: { stderr?: string; message: string }) => err.stderr || err.message,
        );
        expect(outcome, `README.md block at line ${line}`).toBe("");
      }
      // What the sandboxes answered the examples fits the descriptions.
      expect(servers.violations()).toEqual([]);
    } finally {
      await servers.close();
    }
  }, 300_000);

  it("require() loads a client from CommonJS, and a .cts consumer type-checks and runs", async () => {
    await writeFile(
      path.join(project.dir, "consumer.cts"),
      [
        'import hubrise = require("commerce-openapi/hubrise");',
        'const client = hubrise.createHubriseClient({ accessToken: "token" });',
        'if (typeof client.paginate !== "function") throw new Error("no paginate()");',
        'console.log("required", typeof hubrise.ApiError);',
      ].join("\n"),
    );
    await writeFile(
      path.join(project.dir, "tsconfig.cts.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: ["node"],
          strict: true,
          outDir: "out",
        },
        files: ["consumer.cts"],
      }),
    );
    expect(await project.typecheck("tsconfig.cts.json")).toBe("");
    const { stdout } = await run(
      process.execPath,
      [path.join(project.dir, "out", "consumer.cjs")],
      {
        cwd: project.dir,
      },
    );
    expect(stdout.trim()).toBe("required function");
  }, 120_000);

  it("each vendor entry exports its own vendor's errors and the shared ones, no other's", async () => {
    const script = `
      const names = {};
      for (const v of ${JSON.stringify(vendors)}) names[v] = Object.keys(await import("commerce-openapi/" + v)).sort();
      console.log(JSON.stringify(names));`;
    await writeFile(path.join(project.dir, "exports.mjs"), script);
    const { stdout } = await run(process.execPath, ["exports.mjs"], { cwd: project.dir });
    const names = JSON.parse(stdout) as Record<string, string[]>;
    const shared = [
      "ApiError",
      "PaginationError",
      "RedirectError",
      "TimeoutError",
      "TransportError",
    ];
    const own: Record<string, string[]> = {
      hubrise: ["OAuthError", "RateLimitExhaustedError", "WebhookError", "verifyHubriseSignature"],
      hiboutik: [
        "OAuthError",
        "QuotaExhaustedError",
        "RecordNotFoundError",
        "TokenRefreshError",
        "WebhookError",
      ],
      "subscriptions-only": ["RateLimitExhaustedError", "SubscriptionsOnlyApiError"],
      hike: ["OAuthError", "RateLimitExhaustedError", "RequestTooLargeError", "TokenRefreshError"],
    };
    for (const vendor of vendors) {
      for (const name of [...shared, ...own[vendor]!])
        expect(names[vendor], vendor).toContain(name);
      const others = Object.entries(own)
        .filter(([v]) => v !== vendor)
        .flatMap(([, list]) => list)
        .filter((name) => !own[vendor]!.includes(name));
      for (const name of others) expect(names[vendor], vendor).not.toContain(name);
    }
  }, 60_000);

  it("imports each bundled description as JSON", async () => {
    const script = vendors
      .map(
        (v, i) =>
          `import spec${i} from "commerce-openapi/${v}/openapi.json" with { type: "json" };\nconsole.log(spec${i}.openapi);`,
      )
      .join("\n");
    await writeFile(path.join(project.dir, "specs.mjs"), script);
    const { stdout } = await run(process.execPath, ["specs.mjs"], { cwd: project.dir });
    expect(stdout.trim().split("\n")).toEqual(vendors.map(() => "3.1.0"));
  }, 60_000);
});
