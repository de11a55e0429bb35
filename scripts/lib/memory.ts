// V8 collects garbage lazily: across the pipeline's steps, each of which parses the whole description,
// it lets several steps' garbage pile up (a peak of 850 MB on a 1,000-operation description, of
// which about 110 MB is live). A full collection between steps, once the heap is large, keeps the
// peak near one step's worth (about 440 MB there) for a few tenths of a second per vendor; small
// descriptions never reach the threshold. (`npm run bench` measures both.)
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const THRESHOLD_BYTES = 160 * 2 ** 20;

export function collectIfLarge(): void {
  if (process.memoryUsage().heapUsed > THRESHOLD_BYTES) gc();
}
