// The runtime matrix (issue 15): the portable suite (portable-suite.ts: per vendor a GET, a full
// paginate(), a retried 503, a typed error and a refused redirect; HubRise's signature check; an
// OAuth install per vendor with OAuth and a webhook delivery per vendor with webhooks)
// bundled once with esbuild and run in Node 20, Deno, Bun, workerd and Chromium, each against
// vendor sandboxes of its own on 127.0.0.1 (environment.ts), every response of which must fit the
// vendor's description. One test per runtime; it fails with every failing check's detail. A
// runtime that is not installed fails in CI and is skipped, with a warning, elsewhere.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEnvironment } from "./environment.js";
import { CHECKS, type CheckResult, VENDOR_CHECKS, VENDORS } from "./portable-suite.js";
import { bundleSuite, isInstalled, RUNTIMES, type Runtime } from "./runners.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "commerce-openapi-runtimes-"));
  await bundleSuite(dir);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every check the suite must report, each exactly once. */
const EXPECTED = VENDORS.flatMap((vendor) =>
  [...CHECKS, ...VENDOR_CHECKS[vendor]].map((check) => `${vendor} / ${check}`),
).sort();

const line = (r: CheckResult) => `${r.vendor} / ${r.check}: ${r.detail}`;

/** One line per runtime for the log: what ran, where, and how many checks passed. */
const summary: string[] = [];

async function runMatrixLeg(runtime: Runtime): Promise<void> {
  const environment = await startEnvironment(runtime.name, { cors: runtime.browser });
  try {
    const report = await runtime.run(dir, environment.config);
    const results = [...report.results, ...(await environment.serverFacts())];
    const failed = results.filter((r) => !r.ok).map(line);
    summary.push(
      `${runtime.name} (${report.userAgent ?? `Node ${process.version}`}): ${results.length - failed.length}/${results.length} checks passed`,
    );
    expect(failed, `${runtime.name} (${report.userAgent ?? "no userAgent"})`).toEqual([]);
    expect(report.results.map((r) => `${r.vendor} / ${r.check}`).sort()).toEqual(EXPECTED);
    expect(environment.violations(), "sandbox responses that do not fit the description").toEqual(
      [],
    );
  } finally {
    await environment.close();
  }
}

describe("the clients in every runtime", () => {
  afterAll(() => console.log(`\nRuntime matrix\n${summary.map((l) => `  ${l}`).join("\n")}\n`));
  for (const runtime of RUNTIMES) {
    const installed = isInstalled(runtime);
    if (!installed && !process.env.CI) {
      console.warn(
        `runtime matrix: ${runtime.name} skipped, ${runtime.executable} not found (${runtime.install})`,
      );
    }
    it.skipIf(!installed && !process.env.CI)(`${runtime.name}: every check passes`, async () => {
      if (!installed) throw new Error(`${runtime.executable} not found: ${runtime.install}`);
      await runMatrixLeg(runtime);
    });
  }
});
