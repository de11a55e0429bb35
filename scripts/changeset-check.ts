// `tsx scripts/changeset-check.ts [<base-ref>] [--summary <file>] [--report <file>] [--no-types]`:
// fails when the change (the working tree against its merge base with <base-ref>) breaks users and
// adds no major changeset, or changes what the package ships and adds no changeset at all.
// Breaking is what api-smart-diff finds in a vendor's bundled description (generated/, committed:
// run `npm run build` first) and what the compiler finds in the entry points' declarations
// (scripts/lib/api-report.ts). <base-ref> defaults to origin/<baseBranch> of .changeset/config.json.
// --summary appends a markdown report (the job summary in CI); --report writes both API reports.
import { execFile } from "node:child_process";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { decide, formatMarkdown, formatText, gatherFacts } from "./lib/changeset-check.js";
import { repoRoot } from "./lib/vendors.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const summary = option("--summary");
const reportFile = option("--report");
const noTypes = args.includes("--no-types");
const positional = args.filter((a) => a !== "--no-types");
if (positional.length > 1 || positional.some((a) => a.startsWith("--"))) {
  console.error(
    "usage: tsx scripts/changeset-check.ts [<base-ref>] [--summary <file>] [--report <file>] [--no-types]",
  );
  process.exit(2);
}

async function defaultBase(): Promise<string> {
  const config = JSON.parse(
    await readFile(path.join(repoRoot, ".changeset", "config.json"), "utf8"),
  ) as { baseBranch?: string };
  const branch = config.baseBranch ?? "main";
  const exists = (ref: string) =>
    promisify(execFile)("git", ["rev-parse", "--verify", "--quiet", ref], { cwd: repoRoot }).then(
      () => true,
      () => false,
    );
  return (await exists(`origin/${branch}`)) ? `origin/${branch}` : branch;
}

try {
  const base = positional[0] ?? (await defaultBase());
  const facts = await gatherFacts(repoRoot, base, { types: !noTypes });
  const verdict = decide(facts);
  console.log(formatText(facts, verdict));
  if (summary) await appendFile(summary, formatMarkdown(facts, verdict) + "\n");
  if (reportFile && facts.reports)
    await writeFile(reportFile, JSON.stringify(facts.reports, null, 2) + "\n");
  if (process.env.GITHUB_ACTIONS === "true")
    for (const e of verdict.errors)
      console.log(`::error title=Changeset check::${e.replace(/%/g, "%25").replace(/\n/g, "%0A")}`);
  process.exit(verdict.ok ? 0 : 1);
} catch (err) {
  console.error(`changeset check: ${(err as Error).message}`);
  process.exit(2);
}
