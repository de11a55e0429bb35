// What one runtime's run of the portable suite talks to, started afresh for each runtime so that no
// run sees another's requests or faults: the four vendor simulators (with the 503 of the "retried
// 503" check injected on its record), a server that redirects every request to a second one, which
// must receive nothing, the OAuth servers of HubRise, Hiboutik and Hike with the app's callback
// their authorize pages redirect to, and the config that tells the suite where they are. After the
// run, `serverFacts()` checks what only the servers know.
import { createHmac } from "node:crypto";
import { systemClock } from "../../src/core/clock.js";
import * as hiboutikSim from "../hiboutik/simulator.js";
import { type OAuthSimulator, startOAuthSimulator } from "../oauth/simulator.js";
import { describedWebhooks, phpForm } from "../webhooks/support/description.js";
import * as hikeSim from "../hike/simulator.js";
import { startHostileServer } from "../hostile/server.js";
import * as hubriseSim from "../hubrise/simulator.js";
import * as soSim from "../subscriptions-only/simulator.js";
import { answerCors } from "./cors.js";
import { type HiboutikDelivery, OAUTH_EXPECTED, type OAuthTarget } from "./integration-checks.js";
import { type CheckResult, RETRIED, type SuiteConfig, type Vendor } from "./portable-suite.js";

const HUBRISE_TOKEN = "canary-portable-hubrise-8e21";
const HIBOUTIK_LOGIN = "owner@example.com";
const HIBOUTIK_KEY = "canary-portable-hiboutik-41d7";
const SO_STORE = "STO-12345";
const SO_KEY = "canary-portable-so-c05a";
const HIKE_TOKEN = "canary-portable-hike-7b3e";
const HUBRISE_CLIENT_SECRET = "canary-portable-hubrise-client-secret";
const OAUTH_VENDORS = { HubRise: "hubrise", Hiboutik: "hiboutik", Hike: "hike" } as const;
type OAuthVendor = keyof typeof OAUTH_VENDORS;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

export interface Environment {
  config: SuiteConfig;
  /**
   * What only the servers can tell, per vendor: the injected 503 was really sent (its record now
   * answers a direct GET), and the redirect target received nothing.
   */
  serverFacts(): Promise<CheckResult[]>;
  close(): Promise<void>;
}

/**
 * Starts the servers of one run. `cors`: for a browser page on another loopback origin, which
 * also sees every manual redirect as opaque.
 */
export async function startEnvironment(
  runtime: string,
  { cors }: { cors: boolean },
): Promise<Environment> {
  const hubrise = await hubriseSim.startHubriseSimulator({
    clock: systemClock,
    accessToken: HUBRISE_TOKEN,
    orders: 250,
    cors,
  });
  const hiboutik = await hiboutikSim.startHiboutikSimulator({
    auth: { login: HIBOUTIK_LOGIN, apiKey: HIBOUTIK_KEY },
    customers: 1_100,
    cors,
  });
  const so = await soSim.startSubscriptionsOnlySimulator({
    storeId: SO_STORE,
    apiKey: SO_KEY,
    addOns: 37,
    cors,
  });
  const hike = await hikeSim.startHikeSimulator({
    clock: systemClock,
    accessToken: HIKE_TOKEN,
    products: 1_234,
    cors,
  });
  // The app's OAuth callback: it tells the suite the URL it was reached by (a browser's address bar).
  const callback = await startHostileServer((req, res) => {
    if (cors && answerCors(req, res)) return;
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ url: req.url }));
  });
  const oauth = await startOAuthServers(callback.origin, cors);
  const target = await startHostileServer((_req, res) => void res.writeHead(500).end());
  const redirecting = await startHostileServer((req, res) => {
    if (cors && answerCors(req, res)) return;
    // The original URL rides along (a leak would carry it to the target).
    res.writeHead(302, { Location: `${target.origin}/steal?from=${encodeURIComponent(req.url)}` });
    res.end();
  });

  // The record each vendor's "retried 503" check reads, and how to read it directly.
  const retried: Record<Vendor, { url: string; headers: Record<string, string> }> = {
    HubRise: {
      url: `${hubrise.baseUrl}/catalogs/${RETRIED.hubriseCatalog}`,
      headers: { "X-Access-Token": HUBRISE_TOKEN },
    },
    Hiboutik: {
      url: `${hiboutik.baseUrl}/customer/${RETRIED.hiboutikCustomer}`,
      headers: { Authorization: basic(HIBOUTIK_LOGIN, HIBOUTIK_KEY) },
    },
    "Subscriptions Only": {
      url: `${so.baseUrl}/add-ons/${RETRIED.soAddOn}`,
      headers: { Authorization: basic(SO_STORE, SO_KEY) },
    },
    Hike: {
      url: `${hike.baseUrl}/products/get/${RETRIED.hikeProduct}`,
      headers: { Authorization: `Bearer ${HIKE_TOKEN}` },
    },
  };
  const once = { kind: "status", status: 503 } as const;
  const onPathOf = (url: string) => new RegExp(`^${new URL(url).pathname}/?$`);
  hubrise.inject(once, onPathOf(retried.HubRise.url));
  hiboutik.inject(once, onPathOf(retried.Hiboutik.url));
  so.inject(once, onPathOf(retried["Subscriptions Only"].url));
  hike.inject(once, onPathOf(retried.Hike.url));

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
      baseUrl: hubrise.baseUrl,
      redirectingBaseUrl: redirecting.origin + redirectingBase.HubRise,
      listItems: 250,
      accessToken: HUBRISE_TOKEN,
      signature: signedCallback(),
      oauth: oauth.targets.HubRise,
    },
    hiboutik: {
      baseUrl: hiboutik.baseUrl,
      redirectingBaseUrl: redirecting.origin + redirectingBase.Hiboutik,
      listItems: 1_100,
      login: HIBOUTIK_LOGIN,
      apiKey: HIBOUTIK_KEY,
      oauth: oauth.targets.Hiboutik,
      webhook: hiboutikSale(),
    },
    subscriptionsOnly: {
      baseUrl: so.baseUrl,
      redirectingBaseUrl: redirecting.origin + redirectingBase["Subscriptions Only"],
      listItems: 37,
      storeId: SO_STORE,
      apiKey: SO_KEY,
    },
    hike: {
      baseUrl: hike.baseUrl,
      redirectingBaseUrl: redirecting.origin + redirectingBase.Hike,
      listItems: 1_234,
      accessToken: HIKE_TOKEN,
      oauth: oauth.targets.Hike,
    },
  };

  return {
    config,
    async serverFacts() {
      const facts: CheckResult[] = [];
      for (const vendor of Object.keys(retried) as Vendor[]) {
        // The suite is the simulators' only client: if the 503 is still queued, no send of the
        // suite ever met it, and its "retried" read proved nothing.
        const { url, headers } = retried[vendor];
        const status = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) }).then(
          (response) => String(response.status),
          (err: Error) => `nothing (${err.name})`,
        );
        facts.push({
          vendor,
          check: "retried 503",
          ok: status === "200",
          detail: `the injected 503 was ${status === "200" ? "" : "not "}sent (a direct read answers ${status})`,
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
        const { token, refreshes, revokes } = oauth.simulators[vendor].stats;
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
    async close() {
      const servers = [hubrise, hiboutik, so, hike, target, redirecting, callback];
      await Promise.all([...servers, ...Object.values(oauth.simulators)].map((s) => s.close()));
    },
  };
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

/** The OAuth server of each vendor with OAuth, redirecting to its path on the app's callback. */
async function startOAuthServers(callbackOrigin: string, cors: boolean) {
  const simulators = {} as Record<OAuthVendor, OAuthSimulator>;
  const targets = {} as Record<OAuthVendor, OAuthTarget>;
  for (const [vendor, name] of Object.entries(OAUTH_VENDORS) as [
    OAuthVendor,
    (typeof OAUTH_VENDORS)[OAuthVendor],
  ][]) {
    const clientId = `portable-${name}-app`;
    const clientSecret = `canary-portable-${name}-oauth-secret`;
    const redirectUri = `${callbackOrigin}/${name}/installed`;
    const sim = await startOAuthSimulator({
      vendor: name,
      clock: systemClock,
      clientId,
      clientSecret,
      registeredRedirectUri: redirectUri,
      cors,
    });
    simulators[vendor] = sim;
    targets[vendor] = {
      oauthUrl: sim.oauthUrl,
      apiUrl: sim.apiUrl,
      clientId,
      clientSecret,
      redirectUri,
    };
  }
  return { simulators, targets };
}

/** The description's `sale` webhook example, as Hiboutik sends it: a PHP bracket form. */
function hiboutikSale(): HiboutikDelivery {
  const sale = describedWebhooks("hiboutik").webhooks.find((w) => w.name === "sale");
  if (!sale?.fromExample) throw new Error("the Hiboutik description has no sale example");
  return { body: phpForm(sale.payload), saleId: String(sale.payload.sale_id) };
}
