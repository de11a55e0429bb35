// Row 4: Hiboutik paging, 40 pages behind 50 ms of (simulated) latency: pages fetched concurrently
// once the total is known (the client's numbered-pages loop) vs one after another. Same sandbox
// (the Hiboutik sandbox, with the shop's 30-in-flight cap), runs interleaved, medians; every run
// must yield every customer once, in order.
import { createHiboutikClient } from "../src/hiboutik/index.js";
import { startHiboutikSandbox } from "../src/hiboutik/sandbox/index.js";
import { median, type Row } from "./stats.js";

const PAGES = 40;
const PAGE_SIZE = 50;
const LATENCY_MS = 50;
const CONCURRENCY = 30; // Hiboutik's documented cap on concurrent calls per shop
const ROUNDS = 3;

export async function hiboutikPaging(): Promise<Row[]> {
  const sim = await startHiboutikSandbox({
    size: { customers: PAGES * PAGE_SIZE },
    pageSize: PAGE_SIZE,
  });
  // Every answer LATENCY_MS late, as a distant shop's are.
  sim.inject({ kind: "delay", ms: LATENCY_MS, times: Infinity });
  const client = createHiboutikClient(sim.credentials, { baseUrl: sim.url });
  let orderKept = true;
  const timed = async (concurrency: number) => {
    const t0 = performance.now();
    const ids: number[] = [];
    for await (const c of client.paginate("/customers/", {}, { concurrency }))
      ids.push(c.customers_id);
    const seconds = (performance.now() - t0) / 1000;
    orderKept &&= ids.length === PAGES * PAGE_SIZE && ids.every((id, i) => id === ids[0]! + i);
    return seconds;
  };
  const sequential: number[] = [];
  const concurrent: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      sequential.push(await timed(1));
      concurrent.push(await timed(CONCURRENCY));
    }
  } finally {
    await sim.close();
  }
  const speedup = median(sequential) / median(concurrent);
  return [
    {
      name: `4. Hiboutik ${PAGES} pages at ${LATENCY_MS} ms latency: concurrency ${CONCURRENCY} vs sequential`,
      goal: "≥ 8× faster, order kept",
      measured: `${speedup.toFixed(1)}× (${(median(concurrent) * 1000).toFixed(0)} ms vs ${(median(sequential) * 1000).toFixed(0)} ms), order ${orderKept ? "kept" : "BROKEN"}`,
      verdict: speedup >= 8 && orderKept ? "pass" : "FAIL",
    },
  ];
}
