// `npm run bench`: every benchmark prints its goal, what it measured and a verdict, side by side in
// one run; the table is also written to bench/results.md with the date and machine.
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../scripts/lib/vendors.js";
import { clientOverhead } from "./client-overhead.js";
import { pagingUnderLimits } from "./paging-under-limits.js";
import { printTable, type Row } from "./stats.js";

const rows: Row[] = [...(await pagingUnderLimits()), ...(await clientOverhead())];
const table = printTable(rows);
const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
console.log(table);
await writeFile(
  path.join(repoRoot, "bench", "results.md"),
  `# Benchmark results\n\n${new Date().toISOString().slice(0, 10)} — ${machine}\n\n${table}\n`,
);
process.exitCode = rows.some((r) => r.verdict === "FAIL") ? 1 : 0;
