// Rows 1 and 2: the pipeline's cost per operation and peak memory, ours vs the naive chain of the
// same tools, on our four vendors and on a synthetic 1,000-operation description; and a rebuild with
// nothing changed vs a cold build. Each run is its own process (bench/pipeline-child.ts), A and B
// interleaved, medians reported.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../scripts/lib/vendors.js";
import { benchChild } from "./child-process.js";
import { median, type Row } from "./stats.js";
import { writeSynthetic } from "./synthetic-description.js";

const run = promisify(execFile);
const ROUNDS = 2;

interface PipelineRun {
  operations: number;
  seconds: number;
  maxRssMB: number;
}

const child = (mode: "ours" | "naive", root: string) =>
  benchChild<PipelineRun>("pipeline-child.ts", [mode, root]);

async function interleaved(root: string) {
  const runs = { ours: [] as PipelineRun[], naive: [] as PipelineRun[] };
  for (let i = 0; i < ROUNDS; i++) {
    runs.ours.push(await child("ours", root));
    runs.naive.push(await child("naive", root));
  }
  const summary = (xs: PipelineRun[]) => ({
    operations: xs[0]!.operations,
    perOp: median(xs.map((x) => x.seconds)) / xs[0]!.operations,
    seconds: median(xs.map((x) => x.seconds)),
    peakMB: Math.max(...xs.map((x) => x.maxRssMB)),
  });
  return { ours: summary(runs.ours), naive: summary(runs.naive) };
}

const figures = (s: { operations: number; perOp: number; seconds: number; peakMB: number }) =>
  `${s.perOp.toFixed(4)} s/op (${s.seconds.toFixed(1)} s for ${s.operations} ops), peak ${s.peakMB.toFixed(0)} MB`;

export async function pipelineCost(): Promise<Row[]> {
  const rows: Row[] = [];
  const vendors = await interleaved(repoRoot);
  rows.push(
    {
      // The goal is set on the 1,000-operation document; on our 220 operations the tools' fixed
      // start-up (loading and bundling the rulesets, a few seconds) is most of the cost.
      name: "1. Pipeline (lint + bundle + types + docs), our 4 vendors",
      goal: "for scale (goal: 1,000 ops)",
      measured: figures(vendors.ours),
      verdict: "info",
    },
    {
      name: "1. Naive chain of the same tools, our 4 vendors",
      goal: "for scale",
      measured: `${figures(vendors.naive)}; ours ${(vendors.naive.seconds / vendors.ours.seconds).toFixed(1)}× faster`,
      verdict: "info",
    },
  );

  const tmp = await mkdtemp(path.join(os.tmpdir(), "commerce-openapi-bench-"));
  try {
    await writeSynthetic(tmp, 250);
    const synthetic = await interleaved(tmp);
    rows.push(
      {
        name: "1. Pipeline, synthetic 1,000-operation description",
        goal: "≤ 0.03 s/op, ≤ 500 MB peak",
        measured: figures(synthetic.ours),
        verdict: synthetic.ours.perOp <= 0.03 && synthetic.ours.peakMB <= 500 ? "pass" : "FAIL",
      },
      {
        name: "1. Naive chain, synthetic 1,000-operation description",
        goal: "for scale",
        measured: `${figures(synthetic.naive)}; ours ${(synthetic.naive.seconds / synthetic.ours.seconds).toFixed(1)}× faster`,
        verdict: "info",
      },
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }

  rows.push(await rebuild());
  return rows;
}

/** `npm run build` cold (--force) vs again with nothing changed, interleaved, wall time. */
async function rebuild(): Promise<Row> {
  const build = async (args: string[]) => {
    const t0 = performance.now();
    await run(process.execPath, ["--import", "tsx", "scripts/build.ts", ...args], {
      cwd: repoRoot,
    });
    return (performance.now() - t0) / 1000;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    cold.push(await build(["--force"]));
    warm.push(await build([]));
  }
  const ratio = median(warm) / median(cold);
  return {
    name: "2. Rebuild with nothing changed vs cold build (wall time)",
    goal: "≤ 0.1× cold",
    measured: `${ratio.toFixed(3)}× (${median(warm).toFixed(2)} s vs ${median(cold).toFixed(1)} s)`,
    verdict: ratio <= 0.1 ? "pass" : "FAIL",
  };
}
