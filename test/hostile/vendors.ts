// The four clients behind one face for the hostile suite: each made with canary credentials and
// pointed at a hostile server, with a read, a write, an update, a delete by id and a list, and the
// vendor's own shapes for the answers the server forges (list pages, error bodies).
import type { ServerResponse } from "node:http";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import { createSubscriptionsOnlyClient } from "../../src/subscriptions-only/index.js";
import { json, type Received } from "./server.js";

export const VENDOR_NAMES = ["HubRise", "Hiboutik", "Subscriptions Only", "Hike"] as const;
export type VendorName = (typeof VENDOR_NAMES)[number];

const HUBRISE_TOKEN = "canary-hostile-hubrise-7d3f9a21";
const HIBOUTIK_LOGIN = "owner@example.com";
const HIBOUTIK_KEY = "canary-hostile-hiboutik-5b8e0c44";
const SO_STORE = "STO-12345";
const SO_KEY = "canary-hostile-so-a19f7e02";
const HIKE_ACCESS = "canary-hostile-hike-access-3c6d";
const HIKE_REFRESH = "canary-hostile-hike-refresh-90ab";
const HIKE_SECRET = "canary-hostile-hike-secret-e7f1";

const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString("base64");

/** Every canary of the suite, with the Basic values derived from them. */
export const ALL_CANARIES = [
  HUBRISE_TOKEN,
  HIBOUTIK_KEY,
  basic(HIBOUTIK_LOGIN, HIBOUTIK_KEY),
  SO_KEY,
  basic(SO_STORE, SO_KEY),
  HIKE_ACCESS,
  HIKE_REFRESH,
  HIKE_SECRET,
];

/** A list page as the server forges it. */
export interface ForgedPage {
  items: unknown[];
  /** Whether the page says more follow (a cursor, a next link, a full page). */
  more: boolean;
  /** The total the page announces (rows), where the vendor announces one. */
  totalRows?: number;
  /** Rows per page the client asked for (read from the request where the vendor sends it). */
  pageSize: number;
}

// The clients' methods are typed per path; this suite drives every vendor the same way.
type AnyClient = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface HostileVendor {
  name: VendorName;
  /** The credential (in the form the vendor sends it) that the server must never see elsewhere. */
  credential: string;
  /** The raw secrets the client was given. */
  secrets: string[];
  carriesCredential(req: Received): boolean;
  create(origin: string, options?: Record<string, unknown>): AnyClient;
  read(client: AnyClient, init?: { signal?: AbortSignal }): Promise<unknown>;
  write(client: AnyClient): Promise<unknown>;
  /** An idempotent write: a PUT (Hike has none: its DELETE). */
  update(client: AnyClient): Promise<unknown>;
  remove(client: AnyClient, id: string): Promise<unknown>;
  list(client: AnyClient, signal?: AbortSignal): AsyncIterable<unknown>;
  /** Whether `req` asks for the list, and which page (1-based). */
  listPage(req: Received): number | undefined;
  answerList(res: ServerResponse, req: Received, page: ForgedPage): void;
  /** The vendor's error body, with `text` in its message field. */
  errorBody(text: string): unknown;
  /** Whether the vendor announces a total (a forged one can be refused up front). */
  announcesTotal: boolean;
}

const query = (req: Received) => new URL(req.url, "http://x").searchParams;
const pathOf = (req: Received) => new URL(req.url, "http://x").pathname;

export const hubrise: HostileVendor = {
  name: "HubRise",
  credential: HUBRISE_TOKEN,
  secrets: [HUBRISE_TOKEN],
  carriesCredential: (req) => JSON.stringify(req.headers).includes(HUBRISE_TOKEN),
  create: (origin, options = {}) =>
    createHubriseClient(
      { accessToken: HUBRISE_TOKEN },
      { baseUrl: `${origin}/v1`, limits: false, retry: { baseDelayMs: 10 }, ...options },
    ),
  read: async (client, init = {}) => (await client.GET("/location", init)).data,
  write: (client) => client.POST("/location/orders", { body: { status: "new" } }),
  update: (client) =>
    client.PUT("/locations/{location_id}/orders/{order_id}", {
      params: { path: { location_id: "3r4s3-1", order_id: "5dpm9" } },
      body: { status: "accepted" },
    }),
  remove: (client, id) =>
    client.DELETE("/callback/events/{event_id}", { params: { path: { event_id: id } } }),
  list: (client, signal) => client.paginate("/location/orders", signal ? { signal } : {}),
  listPage(req) {
    if (pathOf(req) !== "/v1/location/orders" || req.method !== "GET") return undefined;
    const cursor = query(req).get("cursor");
    return cursor === null ? 1 : Number(cursor.slice(1));
  },
  answerList(res, req, page) {
    const n = hubrise.listPage(req)!;
    json(res, 200, page.items, page.more ? { "X-Cursor-Next": `c${n + 1}` } : {});
  },
  errorBody: (text) => ({ error_type: "unprocessable_entity", message: text }),
  announcesTotal: false,
};

export const hiboutik: HostileVendor = {
  name: "Hiboutik",
  credential: `Basic ${basic(HIBOUTIK_LOGIN, HIBOUTIK_KEY)}`,
  secrets: [HIBOUTIK_KEY, basic(HIBOUTIK_LOGIN, HIBOUTIK_KEY)],
  carriesCredential: (req) => req.headers.authorization !== undefined,
  create: (origin, options = {}) =>
    createHiboutikClient(
      { account: "myshop", login: HIBOUTIK_LOGIN, apiKey: HIBOUTIK_KEY },
      { baseUrl: `${origin}/api`, retry: { baseDelayMs: 10 }, ...options },
    ),
  read: async (client, init = {}) =>
    (
      await client.GET("/customer/{customers_id}", {
        params: { path: { customers_id: 7 } },
        ...init,
      })
    ).data,
  write: (client) => client.POST("/sales/", { body: { store_id: 1, currency_code: "EUR" } }),
  update: (client) =>
    client.PUT("/product/{product_id}", {
      params: { path: { product_id: 23 } },
      body: { product_attribute: "product_price", new_value: "12.50" },
    }),
  remove: (client, id) =>
    client.DELETE("/customer/{customers_id}", { params: { path: { customers_id: id } } }),
  list: (client, signal) => client.paginate("/customers/", {}, signal ? { signal } : {}),
  listPage(req) {
    if (pathOf(req) !== "/api/customers/" || req.method !== "GET") return undefined;
    return Number(query(req).get("p") ?? 1);
  },
  answerList(res, req, page) {
    const n = hiboutik.listPage(req)!;
    const first = (n - 1) * page.pageSize + 1;
    const last = first + page.items.length - 1;
    const total = page.totalRows ?? (page.more ? last + 1 : last);
    json(
      res,
      200,
      page.items,
      page.items.length > 0 ? { "Content-Range": `${first}-${last}/${total}` } : {},
    );
  },
  errorBody: (text) => ({ error: "error", code: 400, error_description: text }),
  announcesTotal: true,
};

export const subscriptionsOnly: HostileVendor = {
  name: "Subscriptions Only",
  credential: `Basic ${basic(SO_STORE, SO_KEY)}`,
  secrets: [SO_KEY, basic(SO_STORE, SO_KEY)],
  carriesCredential: (req) => req.headers.authorization !== undefined,
  create: (origin, options = {}) =>
    createSubscriptionsOnlyClient(
      { storeId: SO_STORE, apiKey: SO_KEY },
      { baseUrl: `${origin}/1.0.0`, retry: { baseDelayMs: 10 }, ...options },
    ),
  read: (client, init = {}) =>
    client.GET("/add-ons/{unique_id}", { params: { path: { unique_id: "SAO-000001" } }, ...init }),
  write: (client) => client.POST("/coupons", { body: { coupon_code: "X", amount: "1.00" } }),
  update: (client) =>
    client.PUT("/add-ons/{unique_id}", {
      params: { path: { unique_id: "SAO-000001" } },
      body: { addon_price: "5.00" },
    }),
  remove: (client, id) =>
    client.DELETE("/add-ons/{unique_id}", { params: { path: { unique_id: id } } }),
  list: (client, signal) =>
    client.paginate("/add-ons", signal ? { signal } : {}, { pageSize: SO_PAGE_SIZE }),
  listPage(req) {
    if (pathOf(req) !== "/1.0.0/add-ons" || req.method !== "GET") return undefined;
    return Number(query(req).get("page") ?? 1);
  },
  answerList(res, _req, page) {
    json(res, 200, { status: "200", message: "OK", body: { data: page.items } });
  },
  errorBody: (text) => ({ status: "400", message: text, body: { text } }),
  announcesTotal: false,
};
/** The page size the suite's SO lists ask for (SO ends a list at the first short page). */
export const SO_PAGE_SIZE = 2;

export const hike: HostileVendor = {
  name: "Hike",
  credential: `Bearer ${HIKE_ACCESS}`,
  secrets: [HIKE_ACCESS, HIKE_REFRESH, HIKE_SECRET],
  carriesCredential: (req) =>
    req.headers.authorization !== undefined ||
    req.body.includes(encodeURIComponent(HIKE_REFRESH)) ||
    req.body.includes(HIKE_SECRET),
  create: (origin, options = {}) =>
    createHikeClient(
      {
        accessToken: HIKE_ACCESS,
        refreshToken: HIKE_REFRESH,
        clientId: "Hostile-01",
        clientSecret: HIKE_SECRET,
      },
      {
        baseUrl: `${origin}/api/v1`,
        tokenUrl: `${origin}/oauth/token`,
        limits: false,
        retry: { baseDelayMs: 10 },
        ...options,
      },
    ),
  read: async (client, init = {}) =>
    (await client.GET("/products/get/{id}", { params: { path: { id: 7 } }, ...init })).data,
  write: (client) => client.POST("/products/create", { body: { name: "small" } }),
  update: (client) => client.DELETE("/products/delete/{id}", { params: { path: { id: 7 } } }),
  remove: (client, id) => client.DELETE("/products/delete/{id}", { params: { path: { id } } }),
  list: (client, signal) =>
    client.paginate("/products/get_all", {}, { pageSize: 1, ...(signal ? { signal } : {}) }),
  listPage(req) {
    if (pathOf(req) !== "/api/v1/products/get_all" || req.method !== "GET") return undefined;
    const q = query(req);
    return Number(q.get("skip_count")) / Number(q.get("page_size")) + 1;
  },
  answerList(res, req, page) {
    const n = hike.listPage(req)!;
    const totalCount =
      page.totalRows ?? (n - 1) * page.pageSize + page.items.length + (page.more ? 1 : 0);
    json(res, 200, { items: page.items, totalCount });
  },
  errorBody: (text) => ({ message: text }),
  announcesTotal: true,
};

export const VENDORS: readonly HostileVendor[] = [hubrise, hiboutik, subscriptionsOnly, hike];
