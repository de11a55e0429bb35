// `npm run bench`: every benchmark prints its goal, what it measured and a verdict, side by side in
// one run; the table is also written to bench/results.md with the date and machine. Needs a build
// (`npm run build`): the type-check row compiles against dist/.
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../scripts/lib/vendors.js";
import { bundleSize } from "./bundle-size.js";
import { clientOverhead } from "./client-overhead.js";
import { hiboutikPaging } from "./hiboutik-paging.js";
import { limitsRedisOverhead } from "./limits-redis-overhead.js";
import { limitsRedisPaging } from "./limits-redis-paging.js";
import { pagingMemory } from "./paging-memory.js";
import { pagingUnderLimits } from "./paging-under-limits.js";
import { pipelineCost } from "./pipeline-cost.js";
import { schedulerQueue } from "./scheduler-queue.js";
import { sandboxes } from "./sandbox-throughput.js";
import { printTable, type Row } from "./stats.js";
import { typeCheckCost } from "./type-check-cost.js";
import { validationOverhead } from "./validation-overhead.js";
import { verifyThroughput } from "./verify-throughput.js";

const started = performance.now();
const rows: Row[] = [];
for (const bench of [
  pipelineCost,
  pagingUnderLimits,
  hiboutikPaging,
  clientOverhead,
  typeCheckCost,
  pagingMemory,
  schedulerQueue,
  sandboxes,
  validationOverhead,
  verifyThroughput,
  limitsRedisPaging,
  limitsRedisOverhead,
  bundleSize,
]) {
  const t0 = performance.now();
  rows.push(...(await bench()));
  console.error(`${bench.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const table = printTable(rows);
const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
const took = `${((performance.now() - started) / 1000).toFixed(0)} s`;
console.log(table);
console.log(`\n${machine}; the whole run took ${took}`);
await writeFile(
  path.join(repoRoot, "bench", "results.md"),
  `# Benchmark results\n\n${new Date().toISOString().slice(0, 10)} — ${machine}; \`npm run bench\` took ${took}\n\n${table}\n`,
);
process.exitCode = rows.some((r) => r.verdict === "FAIL") ? 1 : 0;
