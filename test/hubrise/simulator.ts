// A HubRise stand-in on 127.0.0.1 for the client tests: cursor pages with X-Cursor-Next, HubRise's
// fixed windows enforced with real 429 bodies (on an injectable clock, so a minute can last a
// second), and one-shot faults to inject (429, HTML 500, truncated JSON, bad cursors, …).
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { applyCommonFault, type CommonFault, faultQueue } from "../support/faults.js";
import { listenOnLoopback } from "../support/loopback.js";
import { answerCors } from "../runtimes/cors.js";
import type { Clock } from "../../src/core/clock.js";

export type Fault =
  | CommonFault
  | { kind: "truncated-json" }
  | { kind: "malformed-cursor"; value: string }
  /** An index page answers `[]` but X-Cursor-Next still points onward (even past the end). */
  | { kind: "empty-page" };

export interface SimulatorOptions {
  clock: Clock;
  accessToken: string;
  /** Orders of location 3r4s3-1 (the token's location). Default 250. */
  orders?: number;
  /** Per-window limits; default HubRise's published ones. */
  limits?: { minute: number; hour: number; day: number; heavyMinute: number };
  /** Answer every index request with the same X-Cursor-Next (a server bug the client must survive). */
  cursorLoop?: boolean;
  /** Answer 429 to everything (a suspended connection). */
  suspended?: boolean;
  /** Answer CORS preflights and allow any origin (the runtime matrix's browser page). */
  cors?: boolean;
  /** The OAuth client secret HubRise signs callbacks with (deliver()). */
  clientSecret?: string;
  /** Accepts other tokens than `accessToken` too (those an OAuth stand-in issued). */
  acceptsToken?: (token: string) => boolean;
}

/** The connection's callback, as `POST /callback` set it. */
export interface CallbackRegistration {
  url: string | null;
  events: Record<string, string[]>;
}

export interface SimulatorStats {
  requests: number;
  rejected: number;
  /** Heavy requests accepted per minute window index. */
  heavyPerMinute: Map<number, number>;
  /** Requests accepted per minute window index. */
  perMinute: Map<number, number>;
  methods: string[];
}

export interface HubriseSimulator {
  baseUrl: string;
  stats: SimulatorStats;
  /** Queues a one-shot fault for the next request, or for the next one whose URL matches `onUrl`. */
  inject(fault: Fault, onUrl?: RegExp): void;
  /** The connection's callback, once registered. */
  callback: CallbackRegistration | undefined;
  /**
   * POSTs an event to the registered callback URL as HubRise does: the JSON body signed with
   * X-HubRise-Hmac-SHA256 (hex HMAC-SHA256 of the raw body keyed with the client secret).
   * Resolves to the receiver's status.
   */
  deliver(event: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HEAVY = [
  /^\/catalogs\/[^/]+$/,
  /^\/(locations\/[^/]+|location|accounts\/[^/]+|account)\/orders$/,
  /^\/customer_lists\/[^/]+\/customers$/,
];

export function makeOrder(i: number): Record<string, unknown> {
  const id = `o${i.toString(36).padStart(4, "0")}`;
  return {
    id,
    location_id: "3r4s3-1",
    ref: String(17_654_321 + i),
    private_ref: null,
    status: "completed",
    service_type: "delivery",
    service_type_ref: null,
    created_at: "2021-06-24T17:07:53+02:00",
    created_by: "MyClient",
    expected_time: null,
    confirmed_time: null,
    customer_notes: null,
    seller_notes: null,
    collection_code: null,
    coupon_codes: [],
    total: "11.90 EUR",
    items: [
      {
        id: `i${id}`,
        private_ref: null,
        product_name: "Carbonara",
        sku_name: "Large",
        sku_ref: "3",
        price: "11.90 EUR",
        quantity: "1.0",
        subtotal: "11.90 EUR",
        tax_rate: null,
        customer_notes: null,
        points_earned: null,
        points_used: null,
        options: [],
        deleted: false,
      },
    ],
    deals: {},
    discounts: [],
    charges: [],
    payments: [],
    loyalty_operations: [],
    custom_fields: {},
  };
}

export async function startHubriseSimulator(options: SimulatorOptions): Promise<HubriseSimulator> {
  const limits = options.limits ?? { minute: 500, hour: 2_500, day: 10_000, heavyMinute: 10 };
  const orders = Array.from({ length: options.orders ?? 250 }, (_, i) => makeOrder(i));
  const faults = faultQueue<Fault>();
  const windows = new Map<string, number>(); // "<kind>:<index>" → accepted requests
  const stats: SimulatorStats = {
    requests: 0,
    rejected: 0,
    heavyPerMinute: new Map(),
    perMinute: new Map(),
    methods: [],
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  // Admits a request if every window has room, counting it; the server's view of "now".
  const admit = (heavy: boolean): boolean => {
    const now = options.clock.now();
    const keys: [string, number][] = [
      [`m:${Math.floor(now / MINUTE)}`, limits.minute],
      [`h:${Math.floor(now / HOUR)}`, limits.hour],
      [`d:${Math.floor(now / DAY)}`, limits.day],
    ];
    if (heavy) keys.push([`hm:${Math.floor(now / MINUTE)}`, limits.heavyMinute]);
    if (keys.some(([k, limit]) => (windows.get(k) ?? 0) >= limit)) return false;
    for (const [k] of keys) windows.set(k, (windows.get(k) ?? 0) + 1);
    const minute = Math.floor(now / MINUTE);
    stats.perMinute.set(minute, (stats.perMinute.get(minute) ?? 0) + 1);
    if (heavy) stats.heavyPerMinute.set(minute, (stats.heavyPerMinute.get(minute) ?? 0) + 1);
    return true;
  };

  const ordersPage = (url: URL, res: ServerResponse, fault: Fault | undefined) => {
    const countParam = url.searchParams.get("count");
    const count = countParam === null ? 100 : Number(countParam);
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      return send(res, 422, {
        message: "Validation failed",
        errors: [{ field: "count", message: "must be between 1 and 100" }],
        error_type: "unprocessable_entity",
      });
    }
    const cursor = url.searchParams.get("cursor");
    // In cursorLoop mode "cloop" stands for the second page, and every page points to it again.
    const offset = cursor === null ? 0 : cursor === "cloop" ? 100 : parseInt(cursor.slice(1), 36);
    if (cursor !== null && (!cursor.startsWith("c") || Number.isNaN(offset))) {
      return send(res, 400, { message: "Invalid cursor", error_type: "routing_error" });
    }
    const items = fault?.kind === "empty-page" ? [] : orders.slice(offset, offset + count);
    const headers: Record<string, string> = {};
    if (offset + count < orders.length || fault?.kind === "empty-page")
      headers["X-Cursor-Next"] = `c${(offset + count).toString(36)}`;
    if (options.cursorLoop) headers["X-Cursor-Next"] = "cloop";
    if (fault?.kind === "malformed-cursor") headers["X-Cursor-Next"] = fault.value;
    if (fault?.kind === "truncated-json") {
      res.writeHead(200, { "Content-Type": "application/json", ...headers });
      return res.end(JSON.stringify(items).slice(0, 50));
    }
    send(res, 200, items, headers);
  };

  let callback: CallbackRegistration | undefined;
  const callbackRoute = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET") return send(res, 200, callback ?? { url: null, events: {} });
    if (req.method === "DELETE") {
      callback = undefined;
      return send(res, 200, {});
    }
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}") as Partial<CallbackRegistration>;
      callback = { url: body.url ?? null, events: body.events ?? {} };
      send(res, 200, callback);
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    stats.methods.push(req.method ?? "");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/v1/, "");
    const token = req.headers["x-access-token"];
    const accepted =
      token === options.accessToken ||
      (typeof token === "string" && options.acceptsToken?.(token) === true);
    if (!accepted) {
      // Echo what was sent, as a careless server might: the client must keep it out of its errors.
      return send(res, 401, {
        message: `Invalid access token ${String(token)}`,
        error_type: "unauthorized",
      });
    }
    const heavy = req.method === "GET" && HEAVY.some((re) => re.test(path));
    if (options.suspended || !admit(heavy)) {
      stats.rejected++;
      return send(res, 429, { error_type: "too_many_requests" });
    }
    const fault = faults.take(req.url ?? "/");
    if (
      applyCommonFault(fault, req, res, (status) =>
        JSON.stringify({
          error_type: status === 429 ? "too_many_requests" : "internal_error",
        }),
      )
    )
      return;
    if (req.method === "GET" && /^\/(location|locations\/3r4s3-1)\/orders$/.test(path))
      return ordersPage(url, res, fault);
    if (req.method === "GET" && /^\/catalogs\/[^/]+$/.test(path)) {
      return send(res, 200, {
        id: path.split("/")[2],
        name: "In Store",
        location_id: "3r4s3-1",
        created_at: "2021-06-24T17:07:53+02:00",
      });
    }
    if (req.method === "GET" && path === "/location") {
      return send(res, 200, {
        id: "3r4s3-1",
        name: "Paris",
        account: { id: "3r4s3", name: "Bella Pizza", currency: "EUR" },
      });
    }
    if (path === "/callback") return callbackRoute(req, res);
    if (req.method === "POST" && path === "/location/orders") {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () =>
        send(res, 200, { ...makeOrder(orders.length), ...(JSON.parse(raw) as object) }),
      );
      return;
    }
    send(res, 404, { error_type: "not_found" });
  };

  const server = createServer((req, res) => {
    if (options.cors && answerCors(req, res)) return;
    handle(req, res);
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    inject: faults.inject,
    get callback() {
      return callback;
    },
    async deliver(event) {
      if (!callback?.url) throw new Error("no callback URL registered");
      if (!options.clientSecret) throw new Error("the simulator has no clientSecret to sign with");
      const body = JSON.stringify(event);
      const signature = createHmac("sha256", options.clientSecret).update(body).digest("hex");
      const response = await fetch(callback.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-HubRise-Hmac-SHA256": signature },
        body,
      });
      await response.arrayBuffer();
      return response.status;
    },
    close,
  };
}
