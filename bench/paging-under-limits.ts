// HubRise paging on a heavy query (10 requests a minute) against the HubRise sandbox, its clock
// scaled so a minute lasts a second: the client's schedule vs a naive loop that retries on 429.
import { acceleratedClock } from "../src/core/clock.js";
import { collect, createHubriseClient } from "../src/hubrise/index.js";
import { type HubriseSandbox, startHubriseSandbox } from "../src/hubrise/sandbox/index.js";
import type { Row } from "./stats.js";

const SCALE = 60;
const PAGES = 40;
const PAGE_SIZE = 25;

/** The sandbox's accepted heavy queries (the order lists), per minute window of its clock. */
function heavyPerMinute(sandbox: HubriseSandbox): Map<number, number> {
  const perMinute = new Map<number, number>();
  for (const r of sandbox.requests) {
    if (r.status !== 200 || r.operationId !== "listCurrentLocationOrders") continue;
    const minute = Math.floor(r.at / 60_000);
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  return perMinute;
}

export async function pagingUnderLimits(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const variant of ["client", "naive"] as const) {
    const clock = acceleratedClock(SCALE, Math.ceil(Date.now() / 60_000) * 60_000 + 2_000);
    const sim = await startHubriseSandbox({
      clock,
      credentials: { accessToken: "bench" },
      size: { orders: PAGES * PAGE_SIZE },
    });
    const ids: string[] = [];
    if (variant === "client") {
      const hubrise = createHubriseClient({ accessToken: "bench" }, { baseUrl: sim.url, clock });
      const orders = await collect(
        hubrise.paginate("/location/orders", { params: { query: { count: PAGE_SIZE } } }),
        { limit: 1e6 },
      );
      ids.push(...orders.map((o) => o.id));
    } else {
      // What an integrator writes first: follow the cursor, on 429 sleep a (scaled) second and retry.
      let cursor: string | null = null;
      for (;;) {
        const url: string = `${sim.url}/location/orders?count=${PAGE_SIZE}${cursor ? `&cursor=${cursor}` : ""}`;
        const res: Response = await fetch(url, { headers: { "X-Access-Token": "bench" } });
        if (res.status === 429) {
          await new Promise((r) => setTimeout(r, 1000 / SCALE));
          continue;
        }
        ids.push(...((await res.json()) as { id: string }[]).map((o) => o.id));
        cursor = res.headers.get("X-Cursor-Next");
        if (!cursor) break;
      }
    }
    await sim.close();
    const perMinute = heavyPerMinute(sim);
    const rejected = sim.requests.filter((r) => r.status === 429).length;
    const windows = perMinute.size;
    const accepted = [...perMinute.values()].reduce((a, b) => a + b, 0);
    const usage = accepted / (windows * 10);
    const lost = PAGES * PAGE_SIZE - new Set(ids).size;
    const dupes = ids.length - new Set(ids).size;
    rows.push({
      name: `3. HubRise heavy-query paging, ${PAGES} pages, 1 min = 1 s: ${variant === "client" ? "client" : "naive loop"}`,
      goal: variant === "client" ? "rate/allowed ≥ 0.95, 0 × 429, 0 lost/dup" : "for scale",
      measured: `rate/allowed ${usage.toFixed(2)} over ${windows} windows, ${rejected} × 429, ${lost} lost, ${dupes} dup`,
      verdict:
        variant === "naive"
          ? "info"
          : usage >= 0.95 && rejected === 0 && lost === 0 && dupes === 0
            ? "pass"
            : "FAIL",
    });
  }
  return rows;
}
