// What each vendor entry costs a browser or Worker bundle (issue 15): src/<vendor>/index.ts bundled
// as an application would (esbuild: bundle, minify, ESM, platform neutral, openapi-fetch bundled
// in), measured minified and gzip-compressed (level 9). A KB is 1,024 bytes. A row per entry with
// the goal; then, for information, the inputs that weigh most in the largest entry.
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { discoverVendors, repoRoot } from "../scripts/lib/vendors.js";
import type { Row } from "./stats.js";

const GOAL_BYTES = 10 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface EntrySize {
  vendor: string;
  minified: number;
  gzip: number;
  /** Minified bytes per input file, largest first. */
  inputs: [string, number][];
}

async function bundled(vendor: string): Promise<EntrySize> {
  const result = await build({
    entryPoints: [path.join(repoRoot, "src", vendor, "index.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    write: false,
    metafile: true,
    outfile: "entry.js",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return {
    vendor,
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    inputs: inputsBySize(result.metafile),
  };
}

function inputsBySize(metafile: Metafile): [string, number][] {
  const output = Object.values(metafile.outputs)[0]!;
  return Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]): [string, number] => [file, bytesInOutput])
    .sort((a, b) => b[1] - a[1]);
}

/** `node_modules/openapi-fetch/dist/index.mjs` → `openapi-fetch`; `src/core/errors.ts` → `core/errors`. */
function shortName(file: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return pkg ? pkg[1]! : file.replace(/^src\//, "").replace(/\.ts$/, "");
}

export async function bundleSize(): Promise<Row[]> {
  const sizes: EntrySize[] = [];
  for (const { name } of await discoverVendors()) sizes.push(await bundled(name));
  const rows: Row[] = sizes.map((s) => ({
    name: `bundle size: commerce-openapi/${s.vendor}`,
    goal: "≤ 10 KB gzip",
    measured: `${kb(s.minified)} minified, ${kb(s.gzip)} gzip`,
    verdict: s.gzip <= GOAL_BYTES ? "pass" : "FAIL",
  }));
  const largest = sizes.reduce((a, b) => (b.gzip > a.gzip ? b : a));
  rows.push({
    name: `bundle size: largest inputs (${largest.vendor}, minified)`,
    goal: "—",
    measured: largest.inputs
      .slice(0, 4)
      .map(([file, bytes]) => `${shortName(file)} ${kb(bytes)}`)
      .join(", "),
    verdict: "info",
  });
  return rows;
}
