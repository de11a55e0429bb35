// `npm run lint`: Redocly and Spectral on every vendor's sources and bundle; writes nothing.
// `npm run lint -- <file>…`: the same two linters on single-file descriptions (e.g. the fixtures
// in test/lint/). `--format github-actions` prints inline pull-request annotations.
// Exits non-zero on any error.
import { runVendorPipeline } from "./lib/pipeline.js";
import {
  countErrors,
  formatGithubAnnotation,
  formatProblem,
  type Problem,
} from "./lib/problems.js";
import { lintStandalone } from "./lib/lint-standalone.js";
import { discoverVendors } from "./lib/vendors.js";

const args = process.argv.slice(2);
const formatAt = args.indexOf("--format");
const format = formatAt >= 0 ? args.splice(formatAt, 2)[1] : "text";
if (format !== "text" && format !== "github-actions") {
  console.error(`unknown --format ${format} (text or github-actions)`);
  process.exit(2);
}

const results: { name: string; problems: Problem[] }[] =
  args.length > 0
    ? await Promise.all(
        args.map(async (file) => ({ name: file, problems: await lintStandalone(file) })),
      )
    : (
        await Promise.all(
          (await discoverVendors()).map((v) => runVendorPipeline(v, { lint: true, types: false })),
        )
      ).map((out) => ({ name: out.vendor.name, problems: out.problems }));

let errors = 0;
for (const { name, problems } of results) {
  const e = countErrors(problems);
  errors += e;
  if (format === "github-actions") {
    for (const p of problems) console.log(formatGithubAnnotation(p));
  } else {
    console.log(`${name}: ${e} errors, ${problems.length - e} warnings`);
    for (const p of problems) console.log(formatProblem(p));
  }
}
process.exitCode = errors > 0 ? 1 : 0;
