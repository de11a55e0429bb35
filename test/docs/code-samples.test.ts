// Every code sample the docs show (the generated ones and those in the introductions) is compiled, as a consumer of the published package would
// compile it: each sample becomes a module under test-results/code-samples/ that imports
// `commerce-openapi/<vendor>` (the package's own exports, so dist/ as built), type-checked by tsc
// in strict mode. A sample that stops compiling (a renamed path, a changed body) fails here.
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { SAMPLE_WIDTH } from "../../scripts/lib/code-samples.js";
import { parseOverlay, type OverlayDocument } from "../../scripts/lib/overlays.js";
import { operationsOf } from "../../scripts/lib/stats.js";
import { discoverVendors, repoRoot } from "../../scripts/lib/vendors.js";
import { loadBundle } from "../support/bundled.js";

const vendors = await discoverVendors();
const outDir = path.join(repoRoot, "test-results", "code-samples");

interface Sample {
  vendor: string;
  target: string;
  source: string;
}

async function samplesOf(vendor: string): Promise<Sample[]> {
  const text = await readFile(
    path.join(repoRoot, "generated", vendor, "docs.overlay.yaml"),
    "utf8",
  );
  const overlay = (await parseOverlay(text)) as OverlayDocument;
  return overlay.actions.flatMap((action) => {
    const update = action.update as { "x-codeSamples"?: { source: string }[] } | undefined;
    const samples = update?.["x-codeSamples"];
    return (samples ?? []).map(({ source }) => ({ vendor, target: action.target, source }));
  });
}

/** Every string in a parsed YAML document. */
const stringsIn = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : value && typeof value === "object"
      ? Object.values(value).flatMap(stringsIn)
      : [];

/** TypeScript blocks (```ts) in the prose of the hand-written overlays (the introductions). */
async function proseSamplesOf(vendor: string): Promise<Sample[]> {
  const dir = path.join(repoRoot, "overlays");
  const files = (await readdir(dir)).filter(
    (f) => f.startsWith(`${vendor}.`) && f.endsWith(".yaml"),
  );
  const samples: Sample[] = [];
  for (const file of files) {
    const overlay = await parseOverlay(await readFile(path.join(dir, file), "utf8"));
    for (const prose of stringsIn(overlay))
      for (const [, source] of prose.matchAll(/```ts\n([\s\S]*?)```/g))
        samples.push({ vendor, target: `overlays/${file}`, source: source! });
  }
  return samples;
}

const generatedSamples = (await Promise.all(vendors.map((v) => samplesOf(v.name)))).flat();
const proseSamples = (await Promise.all(vendors.map((v) => proseSamplesOf(v.name)))).flat();
const all = [...generatedSamples, ...proseSamples];

describe("code samples", () => {
  it.each(vendors.map((v) => v.name))("%s: one sample per operation", (vendor) => {
    const expected = operationsOf(loadBundle(vendor)).map(
      (op) => `$.paths['${op.path}'].${op.method}`,
    );
    expect(generatedSamples.filter((s) => s.vendor === vendor).map((s) => s.target)).toEqual(
      expected,
    );
    // Each introduction shows the client too, compiled with the rest.
    expect(proseSamples.filter((s) => s.vendor === vendor).length).toBeGreaterThan(0);
  });

  it(`every generated line fits the docs' code panel (${SAMPLE_WIDTH} columns)`, () => {
    // Only a string literal alone on its line (a long path, a long text value) may be wider: no
    // line break can shorten it, and the panel wraps it.
    const loneString = /^\s*([\w$]+: |"[^"]+": )?"(?:[^"\\]|\\.)*",?$/;
    const wide = generatedSamples.flatMap(({ target, source }) =>
      source
        .split("\n")
        .filter((line) => line.length > SAMPLE_WIDTH && !loneString.test(line))
        .map((line) => `${target}: ${line}`),
    );
    expect(wide).toEqual([]);
  });

  it("no sample holds a credential: secrets come from the environment", () => {
    for (const { target, source } of all)
      expect(source, target).not.toMatch(
        /(apiKey|accessToken|client_secret|refresh_token|password)\s*:\s*["'`]/i,
      );
  });

  it("every sample type-checks against the published package (strict)", async () => {
    await rm(outDir, { recursive: true, force: true });
    const files = all.map((s, i) => ({
      ...s,
      file: `${s.vendor}/${String(i).padStart(4, "0")}.ts`,
    }));
    for (const { vendor } of files) await mkdir(path.join(outDir, vendor), { recursive: true });
    await Promise.all(
      files.map(({ file, target, source }) =>
        writeFile(path.join(outDir, file), `// ${target}\n${source}`),
      ),
    );
    await writeFile(
      path.join(outDir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023", "DOM"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: ["node"],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: files.map((f) => f.file),
      }),
    );
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const output = await promisify(execFile)(
      process.execPath,
      [tsc, "-p", path.join(outDir, "tsconfig.json")],
      { cwd: repoRoot, maxBuffer: 32 * 1024 * 1024 },
    ).then(
      () => "",
      (err: { stdout?: string }) => String(err.stdout ?? err),
    );
    // Name each failing sample by its operation, not by its temporary file.
    const named = output.replace(/^(\S+?\/(\d{4})\.ts)/gm, (whole, _file, index: string) => {
      const sample = files[Number(index)];
      return sample ? `${sample.vendor} ${sample.target}` : whole;
    });
    expect(named).toBe("");
    expect(files.length).toBeGreaterThan(200);
  }, 180_000);
});
