// One pipeline run in its own process, so that its peak memory (maxRSS) is its own:
//   node --import tsx bench/pipeline-child.ts ours|naive <root>
// `ours`: the build's pipeline (lint with the house rules, bundle, types, docs description and
// page) on every vendor under <root>/openapi, concurrently. `naive`: the same tools chained as
// their defaults and docs suggest: Spectral's full `spectral:oas` (both example rules included) and
// Redocly's `recommended` on the source, bundle, openapi-typescript, a Redoc page, one vendor after
// another. Prints one JSON line: operations, seconds, peak RSS.
import fs from "node:fs";
import { readFile } from "node:fs/promises";
import { bundle, createConfig, lint } from "@redocly/openapi-core";
import { Document, Spectral } from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import { bundleAndLoadRuleset } from "@stoplight/spectral-ruleset-bundler/with-loader";
import { vendorPage } from "../scripts/lib/docs.js";
import { runVendorPipeline } from "../scripts/lib/pipeline.js";
import { loadBaseConfig } from "../scripts/lib/redocly.js";
import { operationsOf } from "../scripts/lib/stats.js";
import { generateTypes } from "../scripts/lib/typescript-types.js";
import { discoverVendors, repoRoot, type Vendor } from "../scripts/lib/vendors.js";
import { SYNTHETIC_PROFILE } from "./synthetic-description.js";

const [mode, root = repoRoot] = process.argv.slice(2);
const started = performance.now();
const vendors = await discoverVendors(root);
const foreign = root !== repoRoot;

async function ours(vendor: Vendor): Promise<number> {
  const out = await runVendorPipeline(vendor, {
    lint: true,
    ...(foreign ? { config: await loadBaseConfig(), profile: SYNTHETIC_PROFILE } : {}),
  });
  vendorPage(vendor.name, out.docs);
  return operationsOf(out.bundled).length;
}

let naiveSpectral: Spectral | undefined;
async function naive(vendor: Vendor): Promise<number> {
  if (!naiveSpectral) {
    const rulesetFile = `${process.env.TMPDIR ?? "/tmp"}/naive-spectral-${process.pid}.yaml`;
    fs.writeFileSync(rulesetFile, "extends: ['spectral:oas']\n");
    naiveSpectral = new Spectral();
    naiveSpectral.setRuleset(
      await bundleAndLoadRuleset(rulesetFile, {
        fs,
        fetch: () => Promise.reject(new Error("offline")),
      }),
    );
  }
  const text = await readFile(vendor.root, "utf8");
  await naiveSpectral.run(new Document(text, spectralParsers.Yaml, vendor.root));
  const config = await createConfig({ extends: ["recommended"] });
  await lint({ ref: vendor.root, config });
  const bundled = (await bundle({ ref: vendor.root, config })).bundle.parsed as Record<
    string,
    unknown
  >;
  await generateTypes(bundled, vendor.name);
  vendorPage(vendor.name, bundled);
  return operationsOf(bundled).length;
}

let operations = 0;
if (mode === "ours") {
  operations = (await Promise.all(vendors.map(ours))).reduce((a, b) => a + b, 0);
} else if (mode === "naive") {
  for (const vendor of vendors) operations += await naive(vendor);
} else {
  throw new Error("usage: pipeline-child.ts ours|naive <root>");
}
console.log(
  JSON.stringify({
    operations,
    seconds: (performance.now() - started) / 1000,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
