// Row 6: what the four clients' types cost a consumer's `tsc --noEmit`: the same small integration
// with the clients (bench/consumer/with-clients.ts) and without them (plain fetch), interleaved.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../scripts/lib/vendors.js";
import { median, type Row } from "./stats.js";

const ROUNDS = 3;
const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");

async function typeCheck(variant: "with-clients" | "without-clients"): Promise<number> {
  const t0 = performance.now();
  await promisify(execFile)(
    process.execPath,
    [tsc, "-p", path.join(repoRoot, "bench", "consumer", `tsconfig.${variant}.json`)],
    { cwd: repoRoot },
  );
  return (performance.now() - t0) / 1000;
}

export async function typeCheckCost(): Promise<Row[]> {
  const withClients: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    withClients.push(await typeCheck("with-clients"));
    without.push(await typeCheck("without-clients"));
  }
  const extra = median(withClients) - median(without);
  return [
    {
      name: "6. tsc --noEmit of a consumer using all four clients vs without them",
      goal: "extra ≤ 2 s",
      measured: `+${extra.toFixed(2)} s (${median(withClients).toFixed(2)} s vs ${median(without).toFixed(2)} s)`,
      verdict: extra <= 2 ? "pass" : "FAIL",
    },
  ];
}
