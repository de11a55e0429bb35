// A Subscriptions Only stand-in on 127.0.0.1: every reply wrapped in the `{status, message, body}`
// envelope, add-ons paged with `page`/`paginate`, the documented 400s (unknown fields by position,
// missing required fields), 201 without body on POST, and one-shot faults.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { applyCommonFault, type CommonFault, faultQueue } from "../support/faults.js";
import { listenOnLoopback } from "../support/loopback.js";
import { answerCors } from "../runtimes/cors.js";

export type Fault =
  | CommonFault
  | { kind: "truncated-json" }
  /** A list page answers `data: []` (what SO documents as the end of a list). */
  | { kind: "empty-page" };

export interface SimulatorOptions {
  storeId: string;
  apiKey: string;
  addOns?: number;
  /** Lists ignore `page` and always answer page 1 (a server bug the client must catch). */
  ignorePageParam?: boolean;
  /** Answer CORS preflights and allow any origin (the runtime matrix's browser page). */
  cors?: boolean;
}

export interface SimulatorStats {
  requests: number;
  /** `METHOD /path?query` of every request. */
  log: string[];
  /** Headers of the last request. */
  lastHeaders: IncomingMessage["headers"];
}

export interface SubscriptionsOnlySimulator {
  baseUrl: string;
  stats: SimulatorStats;
  addOns: Record<string, unknown>[];
  /** Queues a one-shot fault for the next request, or for the next one whose URL matches `onUrl`. */
  inject(fault: Fault, onUrl?: RegExp): void;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

// The API's own order of required add-on fields: the documentation's 400 lists them by position.
const ADDON_REQUIRED = [
  "addon_status",
  "addon_name",
  "addon_description",
  "addon_price",
  "addon_quantities",
  "addon_code",
];
const ADDON_WRITABLE = new Set([
  ...ADDON_REQUIRED,
  "subscription_id",
  "addon_quantity",
  "charge_shipping",
  "charge_tax",
  "addon_image",
  "addon_video",
  "shipping_measurements_weight",
  "shipping_measurements_length",
  "shipping_measurements_width",
  "shipping_measurements_height",
]);
const COUPON_FIELDS = new Set([
  "coupon_code",
  "amount",
  "amount_type",
  "min_order_total",
  "uses_allowed",
  "start_date",
  "end_date",
  "applies_to",
  "addon_id",
]);

export function makeAddOn(i: number): Record<string, unknown> {
  return {
    id: String(21 + i),
    store_id: "00",
    subscription_id: null,
    seller_id: "0",
    unique_id: `SAO-${String(i).padStart(6, "0")}`,
    addon_status: "Active",
    addon_name: `Add On ${i}`,
    addon_description: "<p>Add-On</p>\n",
    addon_price: "10.00",
    addon_code: "",
    addon_quantities: "0",
    addon_quantity: "0",
    charge_shipping: "0",
    charge_tax: "0",
    addon_image: null,
    addon_video: null,
    shipping_measurements_weight: null,
    shipping_measurements_length: null,
    shipping_measurements_width: null,
    shipping_measurements_height: null,
    created_admin: "3",
    modified_admin: null,
    deleted_admin: null,
    created: "2018-03-20 15:00:47",
    modified: null,
    deleted: null,
  };
}

export async function startSubscriptionsOnlySimulator(
  options: SimulatorOptions,
): Promise<SubscriptionsOnlySimulator> {
  const addOns = Array.from({ length: options.addOns ?? 37 }, (_, i) => makeAddOn(i));
  const faults = faultQueue<Fault>();
  const stats: SimulatorStats = { requests: 0, log: [], lastHeaders: {} };
  const expected = `Basic ${Buffer.from(`${options.storeId}:${options.apiKey}`).toString("base64")}`;

  const reply = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    const envelope: Record<string, unknown> = { status: String(status), message: REASONS[status] };
    if (body !== undefined) envelope.body = body;
    res.end(JSON.stringify(envelope));
  };
  /** The documented 400: field names keyed by position. */
  const badRequest = (res: ServerResponse, text: string, fields: [number, string][]) =>
    reply(res, 400, { text, fields: Object.fromEntries(fields.map(([i, f]) => [String(i), f])) });

  const unknownFields = (body: Record<string, unknown>, known: Set<string>) =>
    Object.keys(body)
      .map((k, i) => [i, k] as [number, string])
      .filter(([, k]) => !known.has(k));

  const route = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/1\.0\.0/, "");
    if (req.headers.authorization !== expected) {
      // Echo what was sent, as a careless server might: the client must keep it out of errors.
      return reply(res, 401, { text: `Invalid credentials: ${req.headers.authorization}` });
    }
    const fault = faults.take(req.url ?? "/");
    if (
      applyCommonFault(fault, req, res, (status) =>
        JSON.stringify({ status: String(status), message: REASONS[status] ?? "" }),
      )
    )
      return;
    if (fault?.kind === "truncated-json") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(
        JSON.stringify({ status: "200", message: "OK", body: { data: addOns } }).slice(0, 60),
      );
    }
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return reply(res, 400, { text: "Invalid JSON." });
      }
    }
    const m = /^\/add-ons\/(SAO-\d+)$/.exec(path);
    const addOn = m ? addOns.find((a) => a.unique_id === m[1]) : undefined;

    if (req.method === "GET" && (path === "/add-ons" || path === "/subscribers")) {
      const rows = path === "/add-ons" ? addOns : [{ status: "Active", email: "a@example.com" }];
      const size = Number(url.searchParams.get("paginate") ?? 20);
      const page = options.ignorePageParam ? 1 : Number(url.searchParams.get("page") ?? 1);
      const data = fault?.kind === "empty-page" ? [] : rows.slice((page - 1) * size, page * size);
      return reply(res, 200, { data });
    }
    if (req.method === "POST" && path === "/add-ons") {
      const unknown = unknownFields(body, ADDON_WRITABLE);
      if (unknown.length > 0) return badRequest(res, "Unknown fields submitted.", unknown);
      const missing = ADDON_REQUIRED.map((f, i) => [i, f] as [number, string]).filter(
        ([, f]) => !(f in body),
      );
      if (missing.length > 0) return badRequest(res, "Required fields missing.", missing);
      addOns.push({ ...makeAddOn(addOns.length), ...body });
      return reply(res, 201);
    }
    if (req.method === "POST" && path === "/coupons") {
      const unknown = unknownFields(body, COUPON_FIELDS);
      if (unknown.length > 0) return badRequest(res, "Unknown fields submitted.", unknown);
      return reply(res, 201);
    }
    if (m && !addOn) return reply(res, 404, { text: "Not found." });
    if (req.method === "GET" && addOn) return reply(res, 200, { data: addOn });
    if (req.method === "PUT" && addOn) {
      const unknown = unknownFields(body, ADDON_WRITABLE);
      if (unknown.length > 0) return badRequest(res, "Unknown fields submitted.", unknown);
      Object.assign(addOn, body);
      return reply(res, 200, { text: "Content updated" });
    }
    if (req.method === "DELETE" && addOn) {
      addOns.splice(addOns.indexOf(addOn), 1);
      return reply(res, 200, { text: "Delete successful" });
    }
    reply(res, 404, { text: "Not found." });
  };

  const server = createServer((req, res) => {
    if (options.cors && answerCors(req, res)) return;
    stats.requests++;
    stats.log.push(`${req.method} ${req.url}`);
    stats.lastHeaders = req.headers;
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => route(req, res, raw));
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/1.0.0`,
    stats,
    addOns,
    inject: faults.inject,
    close,
  };
}
