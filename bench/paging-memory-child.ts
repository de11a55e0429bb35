// Row 7, in its own process started with --expose-gc: page through 100,000 HubRise orders (1,000
// pages of 100: the HubRise sandbox's seeded orders, generated in memory for each page and served
// without a server, so only the client's own holding is measured) twice, and sample the heap
// after a full collection every 10 pages of the second pass. Prints one JSON line.
// `bare-fetch` as argument: the same with a bare fetch loop instead of the client.
import { createHubriseClient } from "../src/hubrise/index.js";
import { startHubriseSandbox } from "../src/hubrise/sandbox/index.js";

// BENCH_PAGES: another number of pages (the plateau check: 1,000 and 3,000 pages settle alike).
const PAGES = Number(process.env.BENCH_PAGES ?? 1_000);
const PAGE_SIZE = 100;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

// The sandbox's state only (its server is closed at once): seeded order i is at position i.
const sandbox = await startHubriseSandbox({ size: { orders: PAGES * PAGE_SIZE }, limits: false });
await sandbox.close();
const orders = sandbox.state.orders.pager({ locationId: "3r4s3-1" });
const idAt = (i: number) => sandbox.state.ids.orders.at(i);
const pageText = (page: number) => JSON.stringify(orders(page * PAGE_SIZE, PAGE_SIZE).items);

// What one page of parsed items costs on the heap, held.
const before = heap();
const held = JSON.parse(pageText(0)) as unknown[];
const pageBytes = heap() - before;
held.length = 0;

const serve = async (request: Request) => {
  const page = Number(new URL(request.url).searchParams.get("cursor") ?? 0);
  const headers = new Headers({ "Content-Type": "application/json" });
  if (page + 1 < PAGES) headers.set("X-Cursor-Next", String(page + 1));
  return new Response(pageText(page), { headers });
};
// The pages stand in for the runtime's fetch, as a user's client sends through it (a fetch given in
// the options takes the client's other path, which builds a Request with a signal for each send).
globalThis.fetch = ((input: Request) => serve(input)) as typeof fetch;
const hubrise = createHubriseClient({ accessToken: "bench" }, { limits: false });

/** The reference: the cursor loop an integrator writes with bare fetch, on the same pages. */
async function* bareFetchOrders(): AsyncGenerator<{ id: string }> {
  let cursor: string | null = null;
  do {
    const url = `https://api.hubrise.com/v1/location/orders?count=${PAGE_SIZE}${cursor ? `&cursor=${cursor}` : ""}`;
    const response = await serve(new Request(url));
    yield* (await response.json()) as { id: string }[];
    cursor = response.headers.get("X-Cursor-Next");
  } while (cursor);
}
const source =
  process.argv[2] === "bare-fetch"
    ? bareFetchOrders
    : () => hubrise.paginate("/location/orders", { params: { query: { count: PAGE_SIZE } } });

/**
 * Pages through every order and samples the heap (after a full collection) every 10 pages. Growth
 * is measured from page 100 on: up to there the heap settles by about 0.45 MB whatever the number
 * of pages (the same with 1,000 or 3,000 pages: optimised code and V8's own tables, not data); what
 * paging holds shows after it, as growth that would follow the pages or the items.
 */
async function pageThrough() {
  let baseline: number | undefined;
  let peak = 0;
  let count = 0;
  let ordered = true;
  for await (const order of source()) {
    // Each order at its place: the sandbox's seeded order `count`.
    ordered &&= order.id === idAt(count);
    count++;
    if (count % (PAGE_SIZE * 10) === 0 && count >= PAGE_SIZE * 100) {
      baseline ??= heap();
      peak = Math.max(peak, heap() - baseline);
    }
  }
  return { count, ordered, peak };
}

// A first pass warms the code up (V8 compiles hot functions to optimised code, which lives on the
// heap too: about 0.7 MB here); the second pass is the one measured.
await pageThrough();
const { count, ordered, peak } = await pageThrough();
console.log(JSON.stringify({ items: count, ordered, pageBytes, growthBytes: peak }));
