// Row 9: GETs per second of each vendor's sandbox beside Prism's static mock (`npm run mock --
// <vendor> --static`), on the same operation (a read of one record), both in processes of their
// own on loopback, driven from here by the same load (keep-alive connections, CONCURRENCY requests
// in flight), alternating ROUNDS times so that the shared machine's drifts hit both alike.
// Row 10: the HubRise sandbox seeded with 100,000 orders, every order paged through by the client:
// the sandbox process's peak RSS.
import { type ChildProcess, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "../scripts/lib/vendors.js";
import { createHubriseClient } from "../src/hubrise/index.js";
import { median, type Row } from "./stats.js";

const CONCURRENCY = 8;
const ROUND_MS = 1_500;
const ROUNDS = 4;

interface Target {
  vendor: string;
  title: string;
  /** The list path whose first item names the record to read. */
  list: string;
  firstId(body: unknown): string;
  /** The read of one record. */
  read(id: string): string;
  headers(env: Record<string, string>): Record<string, string>;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const first = (body: unknown) => (body as Record<string, unknown>[])[0]!;

export const TARGETS: Target[] = [
  {
    vendor: "hubrise",
    title: "HubRise GET /location/orders/{order_id}",
    list: "/location/orders?count=1",
    firstId: (body) => String(first(body).id),
    read: (id) => `/location/orders/${id}`,
    headers: (env) => ({ "X-Access-Token": env.HUBRISE_ACCESS_TOKEN! }),
  },
  {
    vendor: "hiboutik",
    title: "Hiboutik GET /products/{product_id}",
    list: "/products/?p=1",
    firstId: (body) => String(first(body).product_id),
    read: (id) => `/products/${id}`,
    headers: (env) => ({ Authorization: basic(env.HIBOUTIK_LOGIN!, env.HIBOUTIK_API_KEY!) }),
  },
  {
    vendor: "subscriptions-only",
    title: "Subscriptions Only GET /add-ons/{unique_id}",
    list: "/add-ons?paginate=1",
    firstId: (body) =>
      String((body as { body: { data: { unique_id: string }[] } }).body.data[0]!.unique_id),
    read: (id) => `/add-ons/${id}`,
    headers: (env) => ({
      Authorization: basic(env.SO_STORE_ID!, env.SO_API_KEY!),
      "SO-VER": "1.0.0",
    }),
  },
  {
    vendor: "hike",
    title: "Hike GET /products/get/{id}",
    list: "/products/get_all?page_size=1",
    firstId: (body) => String((body as { items: { id: unknown }[] }).items[0]!.id),
    read: (id) => `/products/get/${id}`,
    headers: (env) => ({ Authorization: `Bearer ${env.HIKE_ACCESS_TOKEN!}` }),
  },
];

/** A child process and the JSON lines it prints, one at a time. */
function child(command: string, args: string[]) {
  const proc = spawn(command, args, { cwd: repoRoot, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return {
    proc,
    async line(match: (line: string) => boolean = () => true): Promise<string> {
      for (;;) {
        const next = await lines.next();
        if (next.done) throw new Error(`${args.join(" ")} ended early`);
        if (match(next.value)) return next.value;
      }
    },
  };
}

const tsx = (script: string, ...args: string[]) =>
  child(process.execPath, ["--import", "tsx", path.join(repoRoot, "bench", script), ...args]);

function startPrism(vendor: string, port: number) {
  const require = createRequire(import.meta.url);
  const cli = path.join(
    path.dirname(require.resolve("@stoplight/prism-cli/package.json")),
    "dist/index.js",
  );
  const bundle = path.join(repoRoot, "generated", vendor, "openapi.json");
  const prism = child(process.execPath, [
    cli,
    "mock",
    bundle,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
  ]);
  return prism;
}

async function stop(proc: ChildProcess) {
  if (proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGTERM");
  await exited;
}

/** GETs `url` with CONCURRENCY requests in flight for `ms`; answers per second (all must be 200). */
async function load(url: string, headers: Record<string, string>, ms: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const until = performance.now() + ms;
  let done = 0;
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent, headers: { Accept: "application/json", ...headers } });
      req.on("response", (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
        res.on("data", () => {});
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await get();
        done++;
      }
    }),
  );
  const rate = done / ((performance.now() - started) / 1000);
  agent.destroy();
  return rate;
}

export async function throughput(target: Target, port: number): Promise<Row> {
  // The vendors' limits off: the row measures how fast the server answers, not the allowance.
  const sandbox = tsx("sandbox-child.ts", target.vendor, JSON.stringify({ limits: false }));
  const prism = startPrism(target.vendor, port);
  try {
    const { url, env } = JSON.parse(await sandbox.line()) as {
      url: string;
      env: Record<string, string>;
    };
    await prism.line((l) => l.includes("Prism is listening"));
    const headers = target.headers(env);
    const listed = await fetch(`${url}${target.list}`, { headers });
    const id = target.firstId(await listed.json());
    const urls = {
      sandbox: `${url}${target.read(id)}`,
      // Prism serves the paths at the root, whatever the record.
      prism: `http://127.0.0.1:${port}${target.read(id)}`,
    };
    await load(urls.sandbox, headers, 300); // warm-up
    await load(urls.prism, headers, 300);
    const rates = { sandbox: [] as number[], prism: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of round % 2
        ? (["prism", "sandbox"] as const)
        : (["sandbox", "prism"] as const))
        rates[which].push(await load(urls[which], headers, ROUND_MS));
    }
    const ratio = median(rates.sandbox.map((r, i) => r / rates.prism[i]!));
    const perSecond = (xs: number[]) => `${Math.round(median(xs)).toLocaleString("en")}/s`;
    return {
      name: `9. Sandbox vs Prism static mock, ${target.title}`,
      goal: "≥ 5× Prism's GETs/s",
      measured: `${ratio.toFixed(1)}× (${perSecond(rates.sandbox)} vs ${perSecond(rates.prism)}, ${CONCURRENCY} in flight, loopback)`,
      verdict: ratio >= 5 ? "pass" : "FAIL",
    };
  } finally {
    sandbox.proc.stdin!.end();
    await Promise.all([stop(sandbox.proc), stop(prism.proc)]);
  }
}

async function hubriseMemory(orders: number): Promise<Row> {
  const sandbox = tsx(
    "sandbox-child.ts",
    "hubrise",
    JSON.stringify({ size: { orders }, limits: false }),
  );
  try {
    const { url, env } = JSON.parse(await sandbox.line()) as {
      url: string;
      env: Record<string, string>;
    };
    const hubrise = createHubriseClient(
      { accessToken: env.HUBRISE_ACCESS_TOKEN! },
      { baseUrl: url, limits: false },
    );
    const seen = new Set<string>();
    for await (const order of hubrise.paginate("/location/orders", {
      params: { query: { count: 100 } },
    }))
      seen.add(order.id);
    sandbox.proc.stdin!.end();
    const { maxRssBytes } = JSON.parse(await sandbox.line()) as { maxRssBytes: number };
    const mb = maxRssBytes / 2 ** 20;
    return {
      name: `10. HubRise sandbox seeded with ${orders.toLocaleString("en")} orders, all paged through`,
      goal: "≤ 200 MB RSS, every order once",
      measured: `peak RSS ${mb.toFixed(0)} MB; ${seen.size.toLocaleString("en")} distinct orders`,
      verdict: mb <= 200 && seen.size === orders ? "pass" : "FAIL",
    };
  } finally {
    sandbox.proc.stdin!.end();
    await stop(sandbox.proc);
  }
}

export async function sandboxes(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const target of TARGETS) rows.push(await throughput(target, 4_810));
  rows.push(await hubriseMemory(100_000));
  return rows;
}
