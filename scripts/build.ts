// `npm run build`: for every vendor (concurrently) lint the source, bundle, lint the bundle, write
// generated/<vendor>/{openapi.json,schema.d.ts,docs.overlay.yaml}, render dist/docs; then compile
// each bundle's response validators into generated/<vendor>/validators/, and src/ to dist/. Any
// lint error fails the build after every vendor has reported.
// Work whose inputs did not change since the last build is skipped (scripts/lib/build-cache.ts);
// `npm run build -- --force` redoes everything.
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { cached, hashInputs, remember } from "./lib/build-cache.js";
import { copyRedocScript, indexPage, vendorPage, writeDocs } from "./lib/docs.js";
import type { VendorOutputs } from "./lib/pipeline.js";
import { countErrors, formatProblem, type Problem } from "./lib/problems.js";
import { vendorStats, type VendorStats } from "./lib/stats.js";
import { discoverVendors, repoRoot, type Vendor } from "./lib/vendors.js";

const docsDir = path.join(repoRoot, "dist", "docs");
const force = process.argv.includes("--force");

/** What every vendor's outputs depend on besides its own folder: the build's code and the tools. */
const SHARED_INPUTS = [
  "scripts",
  "overlays",
  "redocly.yaml",
  ".spectral.yaml",
  "spectral-functions",
  "package-lock.json",
  "src/hiboutik/single-record-paths.ts", // the code samples' one() paths
];

interface VendorSummary {
  stats: VendorStats;
  paging: string;
  problems: Problem[];
}

async function writeGenerated(out: VendorOutputs): Promise<void> {
  await mkdir(out.vendor.generatedDir, { recursive: true });
  await Promise.all([
    writeFile(out.vendor.bundlePath, out.bundleJson),
    writeFile(out.vendor.typesPath, out.types),
    writeFile(out.vendor.docsOverlayPath, out.docsOverlay),
  ]);
}

function pagingStyle(doc: Record<string, unknown>): string {
  return String((doc.info as Record<string, unknown>)["x-pagination"] ?? "see the description");
}

async function buildVendor(
  vendor: Vendor,
): Promise<VendorSummary & { seconds: number; unchanged: boolean }> {
  const t0 = performance.now();
  const step = `vendor-${vendor.name}`;
  const inputs = await hashInputs([path.relative(repoRoot, vendor.sourceDir), ...SHARED_INPUTS]);
  const hit = force ? undefined : await cached<VendorSummary>(step, inputs);
  if (hit) return { ...hit, seconds: (performance.now() - t0) / 1000, unchanged: true };

  // Loaded only when a vendor has changed: the lint and bundling tools take a second to load.
  const { runVendorPipeline } = await import("./lib/pipeline.js");
  const out = await runVendorPipeline(vendor, { lint: true });
  await writeGenerated(out);
  const page = `${vendor.name}.html`;
  await writeDocs(docsDir, page, vendorPage(vendorStats(out.docs).title, out.docs));
  const summary: VendorSummary = {
    stats: vendorStats(out.bundled),
    paging: pagingStyle(out.bundled),
    problems: out.problems,
  };
  if (countErrors(out.problems) === 0) {
    const outputs = [vendor.bundlePath, vendor.typesPath, vendor.docsOverlayPath];
    await remember(step, inputs, [...outputs, path.join(docsDir, page)], summary);
  }
  return { ...summary, seconds: (performance.now() - t0) / 1000, unchanged: false };
}

/**
 * What the validators of a vendor are made from: its bundle, their generator, the drift runtime
 * bundled into their index, Ajv and esbuild.
 */
const VALIDATOR_INPUTS = [
  "src/core/drift",
  "scripts/lib/response-validators.ts",
  "scripts/lib/validator-schemas.ts",
  "scripts/lib/refs.ts",
  "scripts/lib/stats.ts",
  "package-lock.json",
];

/** generated/<vendor>/validators/ from generated/<vendor>/openapi.json; false when unchanged. */
async function buildValidators(vendor: Vendor): Promise<boolean> {
  const step = `validators-${vendor.name}`;
  const inputs = await hashInputs([
    path.relative(repoRoot, vendor.bundlePath),
    ...VALIDATOR_INPUTS,
  ]);
  if (!force && (await cached<true>(step, inputs))) return false;
  const { responseValidators, validatorsDir } = await import("./lib/response-validators.js");
  const doc = JSON.parse(await readFile(vendor.bundlePath, "utf8")) as Record<string, unknown>;
  const files = await responseValidators(doc, vendor.name);
  const dir = validatorsDir(vendor);
  // Written afresh: a module of an operation that is gone must not stay behind.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await Promise.all([...files].map(([name, text]) => writeFile(path.join(dir, name), text)));
  await remember(
    step,
    inputs,
    [...files.keys()].map((name) => path.join(dir, name)),
    true,
  );
  return true;
}

/** The runtime: src/ → dist/ (ESM + .d.ts), typed by the generated schema.d.ts files. */
async function compileRuntime(): Promise<boolean> {
  const inputs = await hashInputs([
    "src",
    "generated",
    "tsconfig.json",
    "tsconfig.build.json",
    "package-lock.json",
  ]);
  if (!force && (await cached<true>("tsc", inputs))) return false;
  await promisify(execFile)(
    process.execPath,
    [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    { cwd: repoRoot },
  ).catch((err: { stdout?: string; stderr?: string }) => {
    console.error(err.stdout ?? "", err.stderr ?? "");
    throw new Error("tsc -p tsconfig.build.json failed");
  });
  const dist = await readdir(path.join(repoRoot, "dist"), { recursive: true, withFileTypes: true });
  const outputs = dist
    .filter((e) => e.isFile() && !path.relative(repoRoot, e.parentPath).startsWith("dist/docs"))
    .map((e) => path.join(e.parentPath, e.name));
  await remember("tsc", inputs, outputs, true);
  return true;
}

async function main(): Promise<void> {
  const started = performance.now();
  const vendors = await discoverVendors();
  if (vendors.length === 0) throw new Error("no openapi/<vendor>/openapi.yaml found");
  await copyRedocScript(docsDir);

  const results = await Promise.all(vendors.map(buildVendor));
  let errors = 0;
  results.forEach(({ stats, problems, seconds, unchanged }, i) => {
    const e = countErrors(problems);
    errors += e;
    console.log(
      `${vendors[i]!.name.padEnd(20)} ${String(stats.operations).padStart(4)} operations ` +
        `(${stats.confirmed} confirmed, ${stats.inferred} inferred), ${stats.webhooks} webhooks, ` +
        `${e} errors, ${problems.length - e} warnings, ` +
        (unchanged ? "unchanged" : `${seconds.toFixed(1)} s`),
    );
    for (const p of problems) console.log(formatProblem(p));
  });

  await writeDocs(
    docsDir,
    "index.html",
    indexPage(results.map((r, i) => ({ vendor: vendors[i]!.name, ...r }))),
  );

  if (errors > 0) {
    console.error(`build failed: ${errors} lint error(s)`);
    process.exitCode = 1;
    return;
  }
  const rebuilt = await Promise.all(vendors.map(buildValidators));
  const compiledValidators = rebuilt.filter(Boolean).length;
  console.log(
    `validators: ${compiledValidators} vendor(s) compiled, ${vendors.length - compiledValidators} unchanged`,
  );
  const compiled = await compileRuntime();
  console.log(
    `build done in ${((performance.now() - started) / 1000).toFixed(1)} s: generated/, dist/, ` +
      `dist/docs/${compiled ? "" : " (dist/ unchanged)"}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
