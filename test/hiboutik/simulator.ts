// A Hiboutik stand-in on 127.0.0.1 for the client tests: lists in pages of 250 with the vendor's
// Content-Range and Link headers (absolute URLs, `rel` start/prev/current/next/last), `[]` past the
// last page, one-element arrays for single-record reads, injectable latency, an in-flight counter
// (the shop allows 30 concurrent calls) and one-shot faults (status, garbage headers, resets, …).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { applyCommonFault, type CommonFault, faultQueue } from "../support/faults.js";
import { listenOnLoopback } from "../support/loopback.js";
import { answerCors } from "../runtimes/cors.js";

export type Fault =
  | CommonFault
  | { kind: "link"; value: string }
  | { kind: "content-range"; value: string }
  | { kind: "truncated-json" }
  /** The next list page is `[]` without paging headers. */
  | { kind: "empty" };

export interface SimulatorOptions {
  /** The credential the shop accepts: Basic login + API key, or a Bearer token. */
  auth: { login: string; apiKey: string } | { accessToken: string };
  customers?: number;
  products?: number;
  /** Delay before each answer, in ms. */
  latencyMs?: number;
  pageSize?: number;
  /** Every call answers 429 (the month's quota is spent). */
  quotaExhausted?: boolean;
  /** Lists ignore `p` and always answer page 1 (a server bug the client must catch). */
  ignorePageParam?: boolean;
  /** Answer CORS preflights and allow any origin (the runtime matrix's browser page). */
  cors?: boolean;
}

export interface SimulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  /** `METHOD /path?query` of every request, in arrival order. */
  log: string[];
}

export interface HiboutikSimulator {
  baseUrl: string;
  stats: SimulatorStats;
  /** Queues a one-shot fault for the next request, or for the next one whose URL matches `onUrl`. */
  inject(fault: Fault, onUrl?: RegExp): void;
  close(): Promise<void>;
}

export function makeCustomer(id: number) {
  return {
    customers_id: id,
    last_name: `Martin ${id}`,
    first_name: "Claire",
    company: "",
    email: `claire.${id}@example.com`,
    phone: "",
    country: "FRA",
    vat: "",
  };
}

export function makeProduct(id: number) {
  return {
    product_id: id,
    product_model: `Tirelire ${id}`,
    product_barcode: String(2430000000000 + id),
    product_price: "12.50",
    product_discount_price: "0.00",
    product_supply_price: "0.00",
    product_vat: 1,
    product_arch: 0,
  };
}

export function makeSale(id: number) {
  return {
    sale_id: id,
    created_at: "2021-06-02 11:53:55",
    completed_at: "0000-00-00 00:00:00",
    store_id: 1,
    unique_sale_id: "",
    customer_id: 0,
    currency: "EUR",
    total: "763.50",
    date_z: 0,
    date_z_yyyy: "0",
    date_z_mm: false,
    date_z_dd: false,
    line_items: [],
  };
}

export async function startHiboutikSimulator(
  options: SimulatorOptions,
): Promise<HiboutikSimulator> {
  const pageSize = options.pageSize ?? 250;
  const customers = Array.from({ length: options.customers ?? 2102 }, (_, i) =>
    makeCustomer(i + 1),
  );
  const products = Array.from({ length: options.products ?? 300 }, (_, i) => makeProduct(i + 1));
  const faults = faultQueue<Fault>();
  const stats: SimulatorStats = { requests: 0, inFlight: 0, maxInFlight: 0, log: [] };
  const expectedAuth =
    "accessToken" in options.auth
      ? `Bearer ${options.auth.accessToken}`
      : `Basic ${Buffer.from(`${options.auth.login}:${options.auth.apiKey}`).toString("base64")}`;

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, description: string, extra = {}) =>
    send(res, status, { error: "error", code: status, error_description: description, ...extra });

  const list = (
    req: IncomingMessage,
    url: URL,
    res: ServerResponse,
    rows: unknown[],
    fault: Fault | undefined,
  ) => {
    const asked = url.searchParams.get("p");
    const p = options.ignorePageParam || asked === null ? 1 : Number(asked);
    if (!Number.isInteger(p) || p < 1)
      return error(res, 422, "Invalid page", { details: { p: "invalid" } });
    const start = (p - 1) * pageSize;
    const items = fault?.kind === "empty" ? [] : rows.slice(start, start + pageSize);
    const headers: Record<string, string> = {};
    // Small lists and pages past the end come without paging headers, as the vendor's do.
    if (rows.length > pageSize && items.length > 0) {
      const last = Math.ceil(rows.length / pageSize);
      const link = (n: number, rel: string) =>
        `<http://${req.headers.host}${url.pathname}?p=${n}>; rel="${rel}"`;
      headers["Content-Range"] = `${start + 1}-${start + items.length}/${rows.length}`;
      headers["Link"] = [
        link(1, "start"),
        ...(p > 1 ? [link(p - 1, "prev")] : []),
        link(p, "current"),
        ...(p < last ? [link(p + 1, "next")] : []),
        link(last, "last"),
      ].join(", ");
    }
    if (fault?.kind === "link") headers["Link"] = fault.value;
    if (fault?.kind === "content-range") headers["Content-Range"] = fault.value;
    if (fault?.kind === "truncated-json") {
      res.writeHead(200, { "Content-Type": "application/json", ...headers });
      return res.end(JSON.stringify(items).slice(0, 40));
    }
    send(res, 200, items, headers);
  };

  const route = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/api/, "");
    if (req.headers.authorization !== expectedAuth) {
      return error(res, 401, "API access is not granted", { code: 1 });
    }
    if (options.quotaExhausted) return error(res, 429, "Too Many Requests");
    const fault = faults.take(req.url ?? "/");
    if (
      applyCommonFault(fault, req, res, (status) =>
        JSON.stringify({ error: "error", code: status, error_description: "Failed" }),
      )
    )
      return;
    const get = req.method === "GET";
    if (get && /^\/customers\/?$/.test(path)) return list(req, url, res, customers, fault);
    if (get && /^\/products\/?$/.test(path)) return list(req, url, res, products, fault);
    let m: RegExpExecArray | null;
    if (get && (m = /^\/customer\/(\d+)\/?$/.exec(path))) {
      const customer = customers[Number(m[1]) - 1];
      return customer ? send(res, 200, [customer]) : error(res, 404, "Customer not found");
    }
    if (get && (m = /^\/sales\/(\d+)\/?$/.exec(path))) {
      const id = Number(m[1]);
      return id <= 1000 ? send(res, 200, [makeSale(id)]) : error(res, 404, "Sale not found");
    }
    if (get && (m = /^\/products\/(\d+)\/?$/.exec(path))) {
      // A server bug: a single-record read answered with two records.
      return send(res, 200, Number(m[1]) === 999 ? [makeProduct(1), makeProduct(2)] : []);
    }
    if (req.method === "POST" && /^\/sales\/?$/.test(path)) {
      const store = (JSON.parse(body || "{}") as { store_id?: number }).store_id;
      return store
        ? send(res, 200, { sale_id: 45 })
        : error(res, 422, "Invalid", { details: { store_id: "required" } });
    }
    error(res, 404, "Not found");
  };

  const server = createServer((req, res) => {
    if (options.cors && answerCors(req, res)) return;
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    stats.log.push(`${req.method} ${req.url}`);
    // A call stops counting when its answer is written (or its connection dropped).
    let done = false;
    const finish = () => {
      if (!done) stats.inFlight--;
      done = true;
    };
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      finish();
      return end(...args);
    }) as typeof res.end;
    res.on("close", finish);
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const answer = () => route(req, res, body);
      if (options.latencyMs) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    stats,
    inject: faults.inject,
    close,
  };
}
