// Row 11: `verify`'s throughput on recorded HubRise order traffic, in exchanges per second, read
// from NDJSON files as a client's `record` option writes them (RecordedExchange lines): reading,
// parsing, matching and checking every exchange (schema, undocumented fields, headers), each
// schema compiled once. The exchanges are the HubRise sandbox's own answers (seeded orders): reads
// of one order (the goal's case: ≥ 20,000 exchanges/s), list pages of 10 orders, and full list
// pages of 100 orders (JSON.parse alone bounds those: a page is ~200 KB). Also the same order reads
// as a HAR file (mitmproxy-style), through the streaming HAR reader. Best of ROUNDS runs, in this
// process, after a warm-up run.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { EXCHANGE_FORMAT, type RecordedExchange } from "../src/core/drift/exchange.js";
import { startHubriseSandbox } from "../src/hubrise/sandbox/index.js";
import { verifyRecordings } from "../src/verify/verifier.js";
import type { Row } from "./stats.js";

const ROUNDS = 3;
const GOAL = 20_000;

interface Answer {
  operationId: string;
  template: string;
  urlPath: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The sandbox's answers: `reads` single orders, `pages` list pages of `count` orders. */
async function sandboxAnswers(reads: number, pageCounts: number[], pages: number) {
  const sandbox = await startHubriseSandbox({ limits: false });
  const headers = { "X-Access-Token": sandbox.credentials.accessToken };
  const get = async (urlPath: string) => {
    const res = await fetch(`${sandbox.origin}${urlPath}`, { headers });
    const h: Record<string, string> = {};
    res.headers.forEach((value, name) => (h[name] = value));
    return { status: res.status, headers: h, body: await res.json() };
  };
  try {
    const lists = new Map<number, Answer[]>();
    for (const count of pageCounts) {
      const answers: Answer[] = [];
      let cursor: string | undefined;
      while (answers.length < pages) {
        const urlPath = `/v1/location/orders?count=${count}${cursor ? `&cursor=${cursor}` : ""}`;
        const r = await get(urlPath);
        answers.push({
          operationId: "listCurrentLocationOrders",
          template: "/location/orders",
          urlPath: "/v1/location/orders",
          ...r,
        });
        cursor = r.headers["x-cursor-next"];
        if (!cursor) break;
      }
      lists.set(count, answers);
    }
    const ids = (lists.get(pageCounts.at(-1)!) ?? []).flatMap((a) =>
      (a.body as { id: string }[]).map((o) => o.id),
    );
    const single: Answer[] = [];
    for (const id of ids.slice(0, reads)) {
      const urlPath = `/v1/location/orders/${id}`;
      single.push({
        operationId: "getCurrentLocationOrder",
        template: "/location/orders/{order_id}",
        urlPath,
        ...(await get(urlPath)),
      });
    }
    return { single, lists };
  } finally {
    await sandbox.close();
  }
}

const line = (a: Answer, i: number): string =>
  JSON.stringify({
    format: EXCHANGE_FORMAT,
    vendor: "hubrise",
    timestamp: new Date(Date.UTC(2026, 10, 30) + i * 1000).toISOString(),
    durationMs: 12.5,
    method: "GET",
    path: a.template,
    operationId: a.operationId,
    origin: "https://api.hubrise.com",
    urlPath: a.urlPath,
    status: a.status,
    headers: a.headers,
    body: a.body,
    personal: "keep",
  } satisfies RecordedExchange);

const harEntry = (a: Answer, i: number): string => {
  const text = JSON.stringify(a.body);
  return JSON.stringify({
    startedDateTime: new Date(Date.UTC(2026, 10, 30) + i * 1000).toISOString(),
    time: 12.5,
    request: {
      method: "GET",
      url: `https://api.hubrise.com${a.urlPath}`,
      httpVersion: "HTTP/1.1",
      headers: [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: a.status,
      statusText: "OK",
      httpVersion: "HTTP/1.1",
      headers: Object.entries(a.headers).map(([name, value]) => ({ name, value })),
      cookies: [],
      content: { size: text.length, compression: 0, mimeType: "application/json", text },
      redirectURL: "",
      headersSize: -1,
      bodySize: text.length,
    },
    cache: {},
    timings: { send: 0, wait: 12, receive: 0.5 },
  });
};

/** Writes `n` exchanges cycling through `answers`; returns the file's size. */
async function writeFile(file: string, answers: Answer[], n: number, har: boolean) {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  if (har)
    await write(
      '{"log":{"version":"1.2","creator":{"name":"mitmproxy","version":"10.1"},"entries":[',
    );
  for (let i = 0; i < n; i++)
    await write(
      har
        ? `${i === 0 ? "" : ","}${harEntry(answers[i % answers.length]!, i)}`
        : `${line(answers[i % answers.length]!, i)}\n`,
    );
  if (har) await write("]}}");
  out.end();
  await once(out, "finish");
  return (await stat(file)).size;
}

async function measure(file: string, n: number) {
  let best = Infinity;
  let result;
  await verifyRecordings("hubrise", [file]); // warm-up: compiles, JIT
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    result = await verifyRecordings("hubrise", [file]);
    best = Math.min(best, performance.now() - t0);
  }
  if (result!.exchanges !== n)
    throw new Error(`verify read ${result!.exchanges} of ${n} exchanges`);
  if (result!.errors !== 0)
    throw new Error(
      `the sandbox's answers do not verify clean: ${JSON.stringify(result!.groups[0])}`,
    );
  return { perSecond: (n / best) * 1000, seconds: best / 1000 };
}

export async function verifyThroughput(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "verify-bench-"));
  try {
    const { single, lists } = await sandboxAnswers(200, [10, 100], 50);
    const rows: Row[] = [];
    const cases = [
      {
        name: "one order each (GET /location/orders/{order_id})",
        answers: single,
        n: 40_000,
        orders: 1,
        goal: true,
        har: false,
      },
      {
        name: "pages of 10 orders (GET /location/orders?count=10)",
        answers: lists.get(10)!,
        n: 10_000,
        orders: 10,
        goal: false,
        har: false,
      },
      {
        name: "pages of 100 orders (count=100, ~200 KB each)",
        answers: lists.get(100)!,
        n: 1_000,
        orders: 100,
        goal: false,
        har: false,
      },
      {
        name: "one order each, as a HAR file (mitmproxy-style)",
        answers: single,
        n: 20_000,
        orders: 1,
        goal: false,
        har: true,
      },
    ];
    for (const c of cases) {
      const file = path.join(dir, c.har ? "orders.har" : "orders.ndjson");
      const bytes = await writeFile(file, c.answers, c.n, c.har);
      const { perSecond, seconds } = await measure(file, c.n);
      rows.push({
        name: `11. verify throughput, HubRise ${c.name}`,
        goal: c.goal ? `≥ ${GOAL.toLocaleString("en")} exchanges/s` : "for scale",
        measured: `${Math.round(perSecond).toLocaleString("en")} exchanges/s = ${Math.round(perSecond * c.orders).toLocaleString("en")} orders/s (${c.n.toLocaleString("en")} exchanges, ${(bytes / 2 ** 20).toFixed(0)} MB, ${seconds.toFixed(2)} s)`,
        verdict: c.goal ? (perSecond >= GOAL ? "pass" : "FAIL") : "info",
      });
      await rm(file);
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
