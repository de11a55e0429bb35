// What each vendor entry costs a browser or Worker bundle (issue 15): src/<vendor>/index.ts bundled
// as an application would (esbuild: bundle, minify, ESM, platform neutral, openapi-fetch bundled
// in), measured minified and gzip-compressed (level 9). A KB is 1,024 bytes. A row per entry with
// the goal, judged on the whole entry (every export); with it, for information, what an app that
// imports the client factory alone pays (the entry is side-effect free: the OAuth helpers and
// webhook receivers of issue 16 are shaken out). Then the inputs that weigh most in the largest.
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { discoverVendors, repoRoot } from "../scripts/lib/vendors.js";
import type { Row } from "./stats.js";

const GOAL_BYTES = 10 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface EntrySize {
  vendor: string;
  minified: number;
  gzip: number;
  /** gzip bytes of an app that imports the client factory alone. */
  clientAloneGzip: number;
  /** Minified bytes per input file, largest first. */
  inputs: [string, number][];
}

const BUILD = {
  bundle: true,
  minify: true,
  format: "esm" as const,
  platform: "neutral" as const,
  mainFields: ["module", "main"],
  target: "es2022",
  write: false as const,
  logLevel: "silent",
} satisfies BuildOptions;

async function bundled(vendor: string): Promise<EntrySize> {
  const entry = path.join(repoRoot, "src", vendor, "index.ts");
  const result = await build({
    ...BUILD,
    entryPoints: [entry],
    metafile: true,
    outfile: "entry.js",
  });
  const code = result.outputFiles[0]!.contents;
  return {
    vendor,
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    clientAloneGzip: await clientAlone(entry),
    inputs: inputsBySize(result.metafile),
  };
}

/** gzip bytes of a module that re-exports the entry's `create…Client` and nothing else. */
async function clientAlone(entry: string): Promise<number> {
  const factory = Object.keys(await import(entry)).find((name) => /^create\w+Client$/.test(name));
  if (factory === undefined) throw new Error(`${entry} exports no create…Client`);
  const result = await build({
    ...BUILD,
    stdin: {
      contents: `export { ${factory} } from ${JSON.stringify(`./${path.relative(repoRoot, entry)}`)};`,
      loader: "ts",
      resolveDir: repoRoot,
    },
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).byteLength;
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
    measured: `${kb(s.minified)} minified, ${kb(s.gzip)} gzip (the client alone: ${kb(s.clientAloneGzip)} gzip)`,
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
