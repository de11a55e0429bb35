// Row 8: a long queue behind a full rate-limit window must cost the same per call as a short one.
// A client that fires many calls at once (a sync job, a retry storm) queues them all; enqueueing
// and aborting them must not grow with the queue (bench/scheduler-queue-child.ts, its own process).
//
// Why the goal is on what the scheduler adds: each call brings its own AbortSignal, and Node's
// addEventListener and abort() cost several µs per signal by themselves (about 0.6 s and 1 s for
// 100,000 on a 2-core machine). The child times the same calls without a scheduler beside it; the
// difference is ours. Flatness is judged on the totals.
import { benchChild } from "./child-process.js";
import type { Phases, QueueRun } from "./scheduler-queue-child.js";
import type { Row } from "./stats.js";

const GOAL_MS = 1_000;
const FLAT_RATIO = 2;

type Phase = keyof Phases;
const perCall = (run: QueueRun, phase: Phase) => run[phase] / run.calls;
const added = (run: QueueRun, phase: Phase) => run[phase] - run.control[phase];
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`;
const calls = (n: number) => n.toLocaleString("en");

export async function schedulerQueue(
  sizes: readonly number[] = [1_000, 10_000, 100_000],
): Promise<Row[]> {
  const runs = await benchChild<QueueRun[]>("scheduler-queue-child.ts", sizes.map(String), [
    "--expose-gc",
  ]);
  const smallest = runs[0]!;
  const largest = runs[runs.length - 1]!;
  const ratio = (phase: Phase) => perCall(largest, phase) / perCall(smallest, phase);
  const perSize = runs
    .map(
      (r) =>
        `${calls(r.calls)}: ${ms(r.enqueueMs)} + ${ms(r.abortMs)} (${((perCall(r, "enqueueMs") + perCall(r, "abortMs")) * 1000).toFixed(1)} µs/call)`,
    )
    .join(", ");
  const ok =
    added(largest, "enqueueMs") <= GOAL_MS &&
    added(largest, "abortMs") <= GOAL_MS &&
    ratio("enqueueMs") <= FLAT_RATIO &&
    ratio("abortMs") <= FLAT_RATIO;
  return [
    {
      name: `8. Scheduler: ${calls(largest.calls)} calls queued behind a full HubRise window, then aborted`,
      goal: `scheduler adds ≤ 1 s to enqueue and ≤ 1 s to abort; per-call cost ${calls(smallest.calls)} → ${calls(largest.calls)} ≤ ${FLAT_RATIO}×`,
      measured:
        `adds ${ms(added(largest, "enqueueMs"))} + ${ms(added(largest, "abortMs"))} ` +
        `(enqueue + abort ${ms(largest.enqueueMs)} + ${ms(largest.abortMs)}; ` +
        `same calls without a scheduler ${ms(largest.control.enqueueMs)} + ${ms(largest.control.abortMs)}); ` +
        `per-call ratio ${ratio("enqueueMs").toFixed(2)}× enqueue, ${ratio("abortMs").toFixed(2)}× abort (${perSize})`,
      verdict: ok ? "pass" : "FAIL",
    },
  ];
}
