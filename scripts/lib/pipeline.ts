// The per-vendor pipeline: lint source (Redocly, Spectral) → bundle → check names → lint bundle
// (Redocly, Spectral) → types, and the docs description (overlays applied).
// Used by the build (which writes the results) and by the tests (which compare them with generated/).
import { readFile } from "node:fs/promises";
import { docsDescription } from "./docs-description.js";
import { collectIfLarge } from "./memory.js";
import type { Problem } from "./problems.js";
import type { Config } from "@redocly/openapi-core";
import type { ClientSampleProfile } from "./code-sample-profiles.js";
import { bundleVendor, lintBundled, lintSource, loadVendorConfig } from "./redocly.js";
import { renamedComponents } from "./component-names.js";
import { spectralLint } from "./spectral.js";
import { generateTypes } from "./typescript-types.js";
import type { Vendor } from "./vendors.js";

export interface VendorOutputs {
  vendor: Vendor;
  bundled: Record<string, unknown>;
  /** generated/<vendor>/openapi.json, exactly as written. */
  bundleJson: string;
  /** generated/<vendor>/schema.d.ts, exactly as written ("" when not asked for). */
  types: string;
  /** What dist/docs renders: the bundle with the overlays applied. */
  docs: Record<string, unknown>;
  /** generated/<vendor>/docs.overlay.yaml, exactly as written. */
  docsOverlay: string;
  problems: Problem[];
}

export const serializeBundle = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

export interface PipelineOptions {
  lint: boolean;
  /** Generate schema.d.ts (default true). */
  types?: boolean;
  /** Redocly configuration; default redocly.yaml's entry for the vendor. */
  config?: Config;
  /** How the docs' code samples call the client; default the vendor's in code-sample-profiles.ts. */
  profile?: ClientSampleProfile;
}

export async function runVendorPipeline(
  vendor: Vendor,
  opts: PipelineOptions,
): Promise<VendorOutputs> {
  const config = opts.config ?? (await loadVendorConfig(vendor));
  // One step after another, with the garbage of the last collected when the heap is large: the
  // steps share one thread, so running them at once saves no time, but it adds up their memory
  // (each parses the whole description; see scripts/lib/memory.ts).
  const sourceProblems = opts.lint ? await lintSource(vendor, config) : [];
  collectIfLarge();
  const sourceSpectral = opts.lint
    ? await spectralLint(await readFile(vendor.root, "utf8"), vendor.root)
    : [];
  collectIfLarge();
  const bundle = await bundleVendor(vendor, config);
  collectIfLarge();
  const bundleJson = serializeBundle(bundle.document);
  const renamed = await renamedComponents(bundle.document, vendor.sourceDir);
  const bundledRedocly = opts.lint ? await lintBundled(bundleJson, vendor, config) : [];
  collectIfLarge();
  const bundledSpectral = opts.lint ? await spectralLint(bundleJson, vendor.bundlePath) : [];
  collectIfLarge();
  const types = opts.types === false ? "" : await generateTypes(bundle.document, vendor.name);
  collectIfLarge();
  const docs = await docsDescription(bundle.document, vendor, opts.profile);
  return {
    vendor,
    bundled: bundle.document,
    bundleJson,
    types,
    docs: docs.description,
    docsOverlay: docs.overlayYaml,
    problems: [
      ...sourceProblems,
      ...sourceSpectral,
      ...bundle.problems,
      ...renamed,
      ...bundledRedocly,
      ...bundledSpectral,
      ...docs.problems,
    ],
  };
}
