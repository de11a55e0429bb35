// `npm run diff -- <base-ref> [--format markdown]`: what a change does to client users. Compares
// each vendor's bundled description (generated/<vendor>/openapi.json, as committed at <base-ref>)
// with the working tree's (run `npm run build` first) and prints the classified changes. In CI the
// markdown goes to the job summary. Annotation-only (docs) changes are counted, not listed.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { type Change, countByClass, diffDescriptions, vendorsAt } from "./lib/spec-diff.js";
import { discoverVendors, repoRoot } from "./lib/vendors.js";

const args = process.argv.slice(2);
const formatAt = args.indexOf("--format");
const format = formatAt >= 0 ? args.splice(formatAt, 2)[1] : "table";
const base = args[0];
if (!base || (format !== "table" && format !== "markdown")) {
  console.error("usage: npm run diff -- <base-ref> [--format table|markdown]");
  process.exit(2);
}

async function atBase(vendor: string): Promise<object | undefined> {
  try {
    const { stdout } = await promisify(execFile)(
      "git",
      ["show", `${base}:generated/${vendor}/openapi.json`],
      { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as object;
  } catch {
    return undefined; // the vendor did not exist at the base
  }
}

const cell = (s: string) => s.replace(/\|/g, "\\|");
const out: string[] = [];
out.push(
  format === "markdown" ? `## Spec changes against \`${base}\`\n` : `Spec changes against ${base}`,
);
let breaking = 0;
const vendors = await discoverVendors();
for (const vendor of vendors) {
  const after = JSON.parse(
    await readFile(path.join(vendor.generatedDir, "openapi.json"), "utf8"),
  ) as object;
  const before = await atBase(vendor.name);
  if (!before) {
    out.push(
      format === "markdown" ? `### ${vendor.name}: new vendor\n` : `\n${vendor.name}: new vendor`,
    );
    continue;
  }
  const changes = diffDescriptions(before, after);
  const counts = countByClass(changes);
  breaking += counts.breaking;
  const summary = `${counts.breaking} breaking, ${counts["non-breaking"]} non-breaking, ${counts.deprecated} deprecated, ${counts.unclassified} unclassified, ${counts.annotation} docs-only`;
  const listed: Change[] = changes.filter((c) => c.type !== "annotation");
  if (format === "markdown") {
    out.push(`### ${vendor.name}: ${summary}\n`);
    if (listed.length > 0) {
      out.push("| class | change | where |", "| --- | --- | --- |");
      for (const c of listed)
        out.push(`| ${c.type} | ${cell(c.description)} | \`${cell(c.where)}\` |`);
      out.push("");
    }
  } else {
    out.push(`\n${vendor.name}: ${summary}`);
    const width = Math.max(12, ...listed.map((c) => c.type.length));
    for (const c of listed)
      out.push(
        `  ${c.type.padEnd(width)}  ${c.description}\n  ${" ".repeat(width)}  at ${c.where}`,
      );
  }
}
// A vendor whose bundle was at the base and is gone takes its entry point with it.
const current = new Set(vendors.map((v) => v.name));
for (const vendor of await vendorsAt(repoRoot, base).catch(() => [] as string[])) {
  if (current.has(vendor)) continue;
  breaking++;
  out.push(
    format === "markdown"
      ? `### ${vendor}: removed (breaking)\n`
      : `\n${vendor}: removed (breaking)`,
  );
}
out.push(
  format === "markdown"
    ? `\n**${breaking} breaking change(s) in all.**`
    : `\n${breaking} breaking change(s) in all.`,
);
console.log(out.join("\n"));
