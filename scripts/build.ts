// `npm run build`: for every vendor (concurrently) lint the source, bundle, lint the bundle, write
// generated/<vendor>/{openapi.json,schema.d.ts}, render dist/docs; then compile src/ to dist/.
// Any lint error fails the build after every vendor has reported.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { copyRedocScript, indexPage, vendorPage, writeDocs } from "./lib/docs.js";
import { runVendorPipeline, type VendorOutputs } from "./lib/pipeline.js";
import { countErrors, formatProblem } from "./lib/problems.js";
import { vendorStats } from "./lib/stats.js";
import { discoverVendors, repoRoot } from "./lib/vendors.js";

const docsDir = path.join(repoRoot, "dist", "docs");

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

async function main(): Promise<void> {
  const started = performance.now();
  const vendors = await discoverVendors();
  if (vendors.length === 0) throw new Error("no openapi/<vendor>/openapi.yaml found");
  await copyRedocScript(docsDir);

  const outputs = await Promise.all(
    vendors.map(async (vendor) => {
      const t0 = performance.now();
      const out = await runVendorPipeline(vendor, { lint: true });
      await writeGenerated(out);
      await writeDocs(
        docsDir,
        `${vendor.name}.html`,
        vendorPage(vendorStats(out.docs).title, out.docs),
      );
      return { out, seconds: (performance.now() - t0) / 1000 };
    }),
  );

  let errors = 0;
  for (const { out, seconds } of outputs) {
    const stats = vendorStats(out.bundled);
    const e = countErrors(out.problems);
    const w = out.problems.length - e;
    errors += e;
    console.log(
      `${out.vendor.name.padEnd(20)} ${String(stats.operations).padStart(4)} operations ` +
        `(${stats.confirmed} confirmed, ${stats.inferred} inferred), ${stats.webhooks} webhooks, ` +
        `${e} errors, ${w} warnings, ${seconds.toFixed(1)} s`,
    );
    for (const p of out.problems) console.log(formatProblem(p));
  }

  await writeDocs(
    docsDir,
    "index.html",
    indexPage(
      outputs.map(({ out }) => ({
        vendor: out.vendor.name,
        stats: vendorStats(out.bundled),
        paging: pagingStyle(out.bundled),
      })),
    ),
  );

  if (errors > 0) {
    console.error(`build failed: ${errors} lint error(s)`);
    process.exitCode = 1;
    return;
  }

  // The runtime: src/ → dist/ (ESM + .d.ts), typed by the generated schema.d.ts files.
  await promisify(execFile)(
    process.execPath,
    [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: repoRoot,
    },
  ).catch((err: { stdout?: string; stderr?: string }) => {
    console.error(err.stdout ?? "", err.stderr ?? "");
    throw new Error("tsc -p tsconfig.build.json failed");
  });
  console.log(
    `build done in ${((performance.now() - started) / 1000).toFixed(1)} s: generated/, dist/, dist/docs/`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
