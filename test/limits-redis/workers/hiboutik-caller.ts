// A worker process firing `calls` Hiboutik calls at once (GET /stores), each slowed by the sandbox
// (the X-Sandbox-Fault header asks for a delay) so that they overlap with the other workers'; the
// shop's 30-in-flight cap is counted in the Redis store, with leases of `leaseMs`. Every
// `longEvery`-th call is held `longDelayMs`, longer than a lease: its lease must be renewed, or
// another process would take the slot while the call is still running. It prints `{holding: n}`
// once it has `signalAt` requests out at once (the parent may kill it then, slots held), and ends
// with the statuses it got.
import { createHiboutikClient } from "../../../src/hiboutik/index.js";
import { openStore, params, readyThenGo, say, type StoreParams } from "./common.js";

export interface HiboutikCallerParams {
  baseUrl: string;
  credentials: { account: string; login: string; apiKey: string };
  store: StoreParams;
  calls: number;
  delayMs: number;
  longDelayMs: number;
  longEvery: number;
  /** Print `{holding}` once this many requests are out at once (0: never). */
  signalAt: number;
}

export interface HiboutikCallerResult {
  /** Answers by status. */
  statuses: Record<string, number>;
  /** Calls that threw, and the first few errors (name and message). */
  failed: number;
  errors: string[];
  /** The most requests this process had out at once. */
  maxHolding: number;
  ms: number;
}

const p = params<HiboutikCallerParams>();
const shared = openStore(p.store);
let holding = 0;
let maxHolding = 0;
let signalled = p.signalAt <= 0;
const client = createHiboutikClient(p.credentials, {
  baseUrl: p.baseUrl,
  limitsStore: shared.store,
  // Counts what this process has on the wire: the client calls it once it holds a slot.
  async fetch(request) {
    holding++;
    maxHolding = Math.max(maxHolding, holding);
    if (!signalled && holding >= p.signalAt) {
      signalled = true;
      say({ holding });
    }
    try {
      return await fetch(request);
    } finally {
      holding--;
    }
  },
});

await readyThenGo();
const t0 = performance.now();
const statuses: Record<string, number> = {};
const errors: string[] = [];
let failed = 0;
await Promise.all(
  Array.from({ length: p.calls }, async (_, i) => {
    const ms = i % p.longEvery === p.longEvery - 1 ? p.longDelayMs : p.delayMs;
    try {
      const { response } = await client.GET("/stores", {
        headers: { "X-Sandbox-Fault": JSON.stringify({ kind: "delay", ms }) },
      });
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    } catch (err) {
      failed++;
      if (errors.length < 5)
        errors.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    }
  }),
);
await shared.close();
say({ statuses, failed, errors, maxHolding, ms: performance.now() - t0 });
