// What the HubRise multi-process test and bench row prepare in the parent: the sandbox warmed up,
// and its orders cut into one run per worker.
import type { startHubriseSandbox } from "../../../src/hubrise/sandbox/index.js";

type HubriseSandbox = Awaited<ReturnType<typeof startHubriseSandbox>>;

/**
 * The sandbox's first order list compiles and builds what later ones reuse, long enough (hundreds
 * of ms, minutes of an accelerated clock) to hold a granted request past its window. Another
 * connection's token warms it without touching the shared token's windows.
 */
export async function warmUp(sandbox: HubriseSandbox, count: number): Promise<void> {
  const response = await fetch(`${sandbox.url}/location/orders?count=${count}`, {
    headers: { "X-Access-Token": sandbox.credentials.otherAccessToken },
  });
  if (!response.ok) throw new Error(`warming the sandbox up: ${response.status}`);
  await response.arrayBuffer();
}

/**
 * Every order of the token's location, oldest first, and the creation time of each worker's
 * first one: worker k pages from `firsts[k]` (inclusive) to `firsts[k + 1]` (exclusive).
 */
export function orderRuns(sandbox: HubriseSandbox, workers: number) {
  const pager = sandbox.state.orders.pager({ locationId: sandbox.state.locations[0]!.id });
  const orders: { id: string; created_at: string }[] = [];
  for (let from: number | undefined, more = true; more;) {
    const page = pager(from, 100);
    orders.push(...page.items);
    from = page.next;
    more = from !== undefined;
  }
  orders.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const firsts = Array.from(
    { length: workers },
    (_, k) => orders[Math.floor((k * orders.length) / workers)]!.created_at,
  );
  return { orders, firsts };
}
