// `npm run lint`: Redocly (source and bundle) and Spectral (bundle) for every vendor; writes nothing.
// Exits non-zero on any error.
import { runVendorPipeline } from "./lib/pipeline.js";
import { countErrors, formatProblem } from "./lib/problems.js";
import { discoverVendors } from "./lib/vendors.js";

const results = await Promise.all(
  (await discoverVendors()).map((v) => runVendorPipeline(v, { lint: true, types: false })),
);
let errors = 0;
for (const out of results) {
  const e = countErrors(out.problems);
  errors += e;
  console.log(`${out.vendor.name}: ${e} errors, ${out.problems.length - e} warnings`);
  for (const p of out.problems) console.log(formatProblem(p));
}
process.exitCode = errors > 0 ? 1 : 0;
