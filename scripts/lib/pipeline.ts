// The per-vendor pipeline: lint source (Redocly, Spectral) → bundle → check names → lint bundle
// (Redocly, Spectral) → types, and the docs description (overlays applied).
// Used by the build (which writes the results) and by the tests (which compare them with generated/).
import { readFile } from "node:fs/promises";
import { docsDescription } from "./docs-description.js";
import type { Problem } from "./problems.js";
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

export async function runVendorPipeline(
  vendor: Vendor,
  opts: { lint: boolean; /** generate schema.d.ts (default true) */ types?: boolean },
): Promise<VendorOutputs> {
  const config = await loadVendorConfig(vendor);
  const [sourceProblems, sourceSpectral, bundle] = await Promise.all([
    opts.lint ? lintSource(vendor, config) : Promise.resolve([]),
    opts.lint
      ? readFile(vendor.root, "utf8").then((text) => spectralLint(text, vendor.root))
      : Promise.resolve([]),
    bundleVendor(vendor, config),
  ]);
  const bundleJson = serializeBundle(bundle.document);
  const [renamed, bundledRedocly, bundledSpectral, types, docs] = await Promise.all([
    renamedComponents(bundle.document, vendor.sourceDir),
    opts.lint ? lintBundled(bundleJson, vendor, config) : Promise.resolve([]),
    opts.lint ? spectralLint(bundleJson, vendor.bundlePath) : Promise.resolve([]),
    opts.types === false ? Promise.resolve("") : generateTypes(bundle.document, vendor.name),
    docsDescription(bundle.document, vendor),
  ]);
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
