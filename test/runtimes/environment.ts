// What one runtime's run of the portable suite talks to, started afresh for each runtime so that no
// run sees another's requests or faults: the four vendor sandboxes (src/<vendor>/sandbox, with
// `validate: true`, fixed credentials and the sizes below; HubRise's, Hiboutik's and Hike's OAuth
// servers are theirs, on their own origins), the 503 of the "retried 503" check injected once on a
// record of each, the app's OAuth callback the authorize pages redirect to, a server that
// redirects every request to a second one, which must receive nothing, and the config that tells
// the suite where they are and which records to read (taken from the sandboxes' state). After the
// run, `serverFacts()` checks what only the servers know, and `violations()` lists the sandboxes'
// responses that did not fit their descriptions.
import { createHmac } from "node:crypto";
import { startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { startHikeSandbox } from "../../src/hike/sandbox/index.js";
import { type HubriseSandbox, startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { answerCors } from "../../src/sandbox/cors.js";
import type { OAuthStats } from "../../src/sandbox/oauth-server.js";
import type { SandboxServer } from "../../src/sandbox/server.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";
import { startHostileServer } from "../hostile/server.js";
import { describedWebhooks, phpForm } from "../webhooks/support/description.js";
import { type HiboutikDelivery, OAUTH_EXPECTED } from "./integration-checks.js";
import type { CheckResult, SuiteConfig, Vendor } from "./portable-suite.js";

const HUBRISE_TOKEN = "canary-portable-hubrise-8e21";
const HIBOUTIK_LOGIN = "owner@example.com";
const HIBOUTIK_KEY = "canary-portable-hiboutik-41d7";
const SO_STORE = "STO-12345";
const SO_KEY = "canary-portable-so-c05a";
const HIKE_TOKEN = "canary-portable-hike-7b3e";
const HUBRISE_CLIENT_SECRET = "canary-portable-hubrise-client-secret";
type OAuthVendor = keyof typeof OAUTH_EXPECTED;

/**
 * What each sandbox holds in the list the suite pages through: several pages of the vendor's
 * (HubRise 100, Hiboutik 250, Hike 500; the suite asks Subscriptions Only for 15), the last short.
 */
const SIZES = { hubriseOrders: 250, hiboutikCustomers: 1_100, soAddOns: 37, hikeProducts: 1_234 };

/** The app registered with a vendor's OAuth server: its callback is `<callback>/<vendor>/installed`. */
const oauthApp = (name: string, callbackOrigin: string) => ({
  clientId: `portable-${name}-app`,
  clientSecret: `canary-portable-${name}-oauth-secret`,
  redirectUri: `${callbackOrigin}/${name}/installed`,
});

export interface Environment {
  config: SuiteConfig;
  /**
   * What only the servers can tell, per vendor: the injected 503 was really sent, once, and the
   * retry answered; the redirect target received nothing; the OAuth servers received exactly the
   * token, refresh and revoke requests of the installs.
   */
  serverFacts(): Promise<CheckResult[]>;
  /** The sandboxes' responses that did not fit their descriptions (none, if they are right). */
  violations(): string[];
  close(): Promise<void>;
}

/** A read of one record the runner answers 503 once (`on`: what the fault targets). */
interface RetriedRead {
  sandbox: SandboxServer;
  operationId: string;
  /** The path after the sandbox's base path. */
  path: string;
}

/**
 * Starts the servers of one run. `cors`: for a browser page on another loopback origin, which
 * also sees every manual redirect as opaque.
 */
export async function startEnvironment(
  runtime: string,
  { cors }: { cors: boolean },
): Promise<Environment> {
  const started: { close(): Promise<void> }[] = [];
  const start = async <T extends { close(): Promise<void> }>(starting: Promise<T>) => {
    const server = await starting;
    started.push(server);
    return server;
  };
  const closeAll = () => Promise.all(started.map((s) => s.close())).then(() => undefined);
  try {
    return await startServers(runtime, cors, start, closeAll);
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw err;
  }
}

async function startServers(
  runtime: string,
  cors: boolean,
  start: <T extends { close(): Promise<void> }>(starting: Promise<T>) => Promise<T>,
  close: () => Promise<void>,
): Promise<Environment> {
  // The app's OAuth callback: it tells the suite the URL it was reached by (a browser's address bar).
  const callback = await start(
    startHostileServer((req, res) => {
      if (cors && answerCors(req, res)) return;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ url: req.url }));
    }),
  );
  const apps = {
    HubRise: oauthApp("hubrise", callback.origin),
    Hiboutik: oauthApp("hiboutik", callback.origin),
    Hike: oauthApp("hike", callback.origin),
  } satisfies Record<OAuthVendor, unknown>;
  const common = { cors, validate: true };
  const hubrise = await start(
    startHubriseSandbox({
      ...common,
      credentials: {
        accessToken: HUBRISE_TOKEN,
        clientId: apps.HubRise.clientId,
        clientSecret: apps.HubRise.clientSecret,
      },
      size: { orders: SIZES.hubriseOrders },
    }),
  );
  const hiboutik = await start(
    startHiboutikSandbox({
      ...common,
      credentials: { login: HIBOUTIK_LOGIN, apiKey: HIBOUTIK_KEY },
      size: { customers: SIZES.hiboutikCustomers },
      // Hiboutik's authorize URL names no redirect URI: the app's registered one is used.
      oauth: apps.Hiboutik,
    }),
  );
  const so = await start(
    startSubscriptionsOnlySandbox({
      ...common,
      credentials: { storeId: SO_STORE, apiKey: SO_KEY },
      size: { addOns: SIZES.soAddOns },
    }),
  );
  const hike = await start(
    startHikeSandbox({
      ...common,
      credentials: {
        accessToken: HIKE_TOKEN,
        clientId: apps.Hike.clientId,
        clientSecret: apps.Hike.clientSecret,
      },
      size: { products: SIZES.hikeProducts },
    }),
  );
  const target = await start(startHostileServer((_req, res) => void res.writeHead(500).end()));
  const redirecting = await start(
    startHostileServer((req, res) => {
      if (cors && answerCors(req, res)) return;
      // The original URL rides along (a leak would carry it to the target).
      res.writeHead(302, {
        Location: `${target.origin}/steal?from=${encodeURIComponent(req.url)}`,
      });
      res.end();
    }),
  );
  const sandboxes = {
    HubRise: hubrise,
    Hiboutik: hiboutik,
    "Subscriptions Only": so,
    Hike: hike,
  } satisfies Record<Vendor, SandboxServer>;

  // The records the checks read, from the sandboxes' state: the lists in the order they are
  // listed, a record the GET reads (HubRise: the token's location), and another one, read only by
  // the "retried 503" check (HubRise: a catalog of the location).
  const home = hubrise.state.locations[0]!.id;
  const catalog = first(
    hubrise.state.catalogs.values(
      ({ catalog }) => "location_id" in catalog && catalog.location_id === home,
    ),
    "HubRise: the location has no catalog",
  ).catalog.id;
  const orders = locationOrderIds(hubrise, home);
  const customers = Array.from(hiboutik.state.customers.values(), (c) => c.customers_id);
  const addOns = Array.from(so.state.addOns.values(), (a) => a.unique_id!);
  const products = Array.from(hike.state.products.values(), (p) => p.id);
  const [customer, retriedCustomer] = spread(customers, 2, "Hiboutik customers");
  const [addOn, echoedAddOn, retriedAddOn] = spread(addOns, 3, "Subscriptions Only add-ons");
  const [product, retriedProduct] = spread(products, 2, "Hike products");
  const store = first(hiboutik.state.stores, "Hiboutik: no store").store_id;

  const retried: Record<Vendor, RetriedRead> = {
    HubRise: { sandbox: hubrise, operationId: "getCatalog", path: `/catalogs/${catalog}` },
    Hiboutik: {
      sandbox: hiboutik,
      operationId: "getCustomer",
      path: `/customer/${retriedCustomer}`,
    },
    "Subscriptions Only": {
      sandbox: so,
      operationId: "getAddOn",
      path: `/add-ons/${retriedAddOn}`,
    },
    Hike: { sandbox: hike, operationId: "getProduct", path: `/products/get/${retriedProduct}` },
  };
  for (const { sandbox, operationId, path } of Object.values(retried)) {
    sandbox.inject({ status: 503, times: 1, on: { operationId, path } });
  }
  // A careless server's 401, quoting the Authorization the client sends and its key (the
  // sandbox, as the API, never repeats a refused credential): the typed-error check reads it.
  const soBasic = Buffer.from(`${SO_STORE}:${SO_KEY}`).toString("base64");
  so.inject({
    status: 401,
    contentType: "application/json",
    body: JSON.stringify({
      status: "401",
      message: "Unauthorized",
      body: { text: `Refused Authorization: Basic ${soBasic} (key ${SO_KEY})` },
    }),
    times: 1,
    on: { operationId: "getAddOn", path: `/add-ons/${echoedAddOn}` },
  });

  // A first segment per vendor, so that a request reaching the target names its vendor.
  const redirectingBase = {
    HubRise: "/hubrise/v1",
    Hiboutik: "/hiboutik/api",
    "Subscriptions Only": "/subscriptions-only/1.0.0",
    Hike: "/hike/api/v1",
  } satisfies Record<Vendor, string>;
  const config: SuiteConfig = {
    runtime,
    redirectTarget: target.origin,
    redirectReason: cors ? "opaque" : "cross-origin",
    hubrise: {
      baseUrl: hubrise.url,
      redirectingBaseUrl: redirecting.origin + redirectingBase.HubRise,
      listItems: SIZES.hubriseOrders,
      listIds: orders,
      readId: home,
      retriedId: catalog,
      accessToken: HUBRISE_TOKEN,
      signature: signedCallback(),
      oauth: { ...apps.HubRise, oauthUrl: hubrise.oauthUrl, apiUrl: hubrise.url, readId: home },
    },
    hiboutik: {
      baseUrl: hiboutik.url,
      redirectingBaseUrl: redirecting.origin + redirectingBase.Hiboutik,
      listItems: SIZES.hiboutikCustomers,
      listIds: customers,
      readId: customer,
      retriedId: retriedCustomer,
      login: HIBOUTIK_LOGIN,
      apiKey: HIBOUTIK_KEY,
      oauth: {
        ...apps.Hiboutik,
        oauthUrl: hiboutik.oauth.oauthUrl,
        apiUrl: hiboutik.url,
        readId: store,
      },
      webhook: hiboutikSale(),
    },
    subscriptionsOnly: {
      baseUrl: so.url,
      redirectingBaseUrl: redirecting.origin + redirectingBase["Subscriptions Only"],
      listItems: SIZES.soAddOns,
      listIds: addOns,
      readId: addOn,
      retriedId: retriedAddOn,
      echoedId: echoedAddOn,
      storeId: SO_STORE,
      apiKey: SO_KEY,
    },
    hike: {
      baseUrl: hike.url,
      redirectingBaseUrl: redirecting.origin + redirectingBase.Hike,
      listItems: SIZES.hikeProducts,
      listIds: products,
      readId: product,
      retriedId: retriedProduct,
      accessToken: HIKE_TOKEN,
      oauth: { ...apps.Hike, oauthUrl: hike.oauthUrl, apiUrl: hike.url, readId: product },
    },
  };
  const oauthStats: Record<OAuthVendor, OAuthStats> = {
    HubRise: hubrise.oauth.stats,
    Hiboutik: hiboutik.oauth.stats,
    Hike: hike.oauth.stats,
  };

  return {
    config,
    async serverFacts() {
      const facts: CheckResult[] = [];
      for (const vendor of Object.keys(retried) as Vendor[]) {
        // The suite is the sandboxes' only client, and only its "retried 503" check reads this
        // record: the sandbox's log must show the one 503, then the retry's 200.
        const { sandbox, operationId, path } = retried[vendor];
        const full = new URL(sandbox.url).pathname + path;
        const statuses = sandbox.requests
          .filter(
            (r) =>
              r.operationId === operationId && new URL(r.target, sandbox.origin).pathname === full,
          )
          .map((r) => r.status);
        const ok = statuses.length === 2 && statuses[0] === 503 && statuses[1] === 200;
        facts.push({
          vendor,
          check: "retried 503",
          ok,
          detail: ok
            ? "the injected 503 was sent once, then the retry answered 200"
            : `the record's reads were answered ${statuses.join(", ") || "never"}, not 503 then 200`,
          ms: 0,
        });
        const leaked = target.received.filter((r) =>
          new URL(r.url, target.origin).searchParams
            .get("from")
            ?.startsWith(`${redirectingBase[vendor]}/`),
        ).length;
        facts.push({
          vendor,
          check: "redirect refused",
          ok: leaked === 0,
          detail: `the redirect target received ${leaked} requests`,
          ms: 0,
        });
      }
      for (const vendor of Object.keys(OAUTH_EXPECTED) as OAuthVendor[]) {
        const { token, refreshes, revokes } = oauthStats[vendor];
        const seen = { token, refreshes, revokes };
        const ok = JSON.stringify(seen) === JSON.stringify(OAUTH_EXPECTED[vendor]);
        facts.push({
          vendor,
          check: "OAuth install",
          ok,
          detail: `the OAuth server received ${JSON.stringify(seen)}${ok ? "" : `, expected ${JSON.stringify(OAUTH_EXPECTED[vendor])}`}`,
          ms: 0,
        });
      }
      return facts;
    },
    violations: () =>
      Object.entries(sandboxes).flatMap(([vendor, sandbox]) =>
        sandbox.violations.map((v) => `${vendor}: ${v}`),
      ),
    close,
  };
}

function first<T>(items: Iterable<T>, what: string): T {
  for (const item of items) return item;
  throw new Error(what);
}

/** `count` distinct records of a list, the last one its last: the first `count - 1`, then it. */
function spread<T>(items: readonly T[], count: 2, what: string): [T, T];
function spread<T>(items: readonly T[], count: 3, what: string): [T, T, T];
function spread<T>(items: readonly T[], count: number, what: string): T[] {
  if (items.length < count) {
    throw new Error(`${what}: ${items.length}, the checks need ${count} at least`);
  }
  return [...items.slice(0, count - 1), items.at(-1)!];
}

/** The ids of a HubRise location's orders, in the order its list gives them. */
function locationOrderIds(sandbox: HubriseSandbox, locationId: string): string[] {
  const page = sandbox.state.orders.pager({ locationId });
  const ids: string[] = [];
  let from: number | undefined;
  do {
    const { items, next } = page(from, 100);
    ids.push(...items.map((o) => o.id));
    from = next;
  } while (from !== undefined);
  return ids;
}

/** A HubRise callback body and its signature, made with Node's crypto: the suite's oracle. */
function signedCallback(): SuiteConfig["hubrise"]["signature"] {
  const body = JSON.stringify({
    id: "nbr9d",
    resource_type: "order",
    event_type: "create",
    created_at: "2021-06-24T17:07:53+02:00",
    location_id: "3r4s3-1",
    order_id: "5dpm9",
    // Not ASCII: the HMAC is over the UTF-8 bytes.
    customer_notes: "Crème brûlée ✓",
  });
  const header = createHmac("sha256", HUBRISE_CLIENT_SECRET).update(body, "utf8").digest("hex");
  return { body, header, clientSecret: HUBRISE_CLIENT_SECRET };
}

/** The description's `sale` webhook example, as Hiboutik sends it: a PHP bracket form. */
function hiboutikSale(): HiboutikDelivery {
  const sale = describedWebhooks("hiboutik").webhooks.find((w) => w.name === "sale");
  if (!sale?.fromExample) throw new Error("the Hiboutik description has no sale example");
  return { body: phpForm(sale.payload), saleId: String(sale.payload.sale_id) };
}
