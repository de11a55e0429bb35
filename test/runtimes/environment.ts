// What one runtime's run of the portable suite talks to, started afresh for each runtime so that no
// run sees another's requests or faults: the four vendor simulators (with the 503 of the "retried
// 503" check injected on its record), a server that redirects every request to a second one, which
// must receive nothing, and the config that tells the suite where they are. After the run,
// `serverFacts()` checks what only the servers know.
import { createHmac } from "node:crypto";
import { systemClock } from "../../src/core/clock.js";
import * as hiboutikSim from "../hiboutik/simulator.js";
import * as hikeSim from "../hike/simulator.js";
import { startHostileServer } from "../hostile/server.js";
import * as hubriseSim from "../hubrise/simulator.js";
import * as soSim from "../subscriptions-only/simulator.js";
import { answerCors } from "./cors.js";
import { type CheckResult, RETRIED, type SuiteConfig, type Vendor } from "./portable-suite.js";

const HUBRISE_TOKEN = "canary-portable-hubrise-8e21";
const HIBOUTIK_LOGIN = "owner@example.com";
const HIBOUTIK_KEY = "canary-portable-hiboutik-41d7";
const SO_STORE = "STO-12345";
const SO_KEY = "canary-portable-so-c05a";
const HIKE_TOKEN = "canary-portable-hike-7b3e";
const HUBRISE_CLIENT_SECRET = "canary-portable-hubrise-client-secret";

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
    },
    hiboutik: {
      baseUrl: hiboutik.baseUrl,
      redirectingBaseUrl: redirecting.origin + redirectingBase.Hiboutik,
      listItems: 1_100,
      login: HIBOUTIK_LOGIN,
      apiKey: HIBOUTIK_KEY,
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
      return facts;
    },
    async close() {
      await Promise.all([hubrise, hiboutik, so, hike, target, redirecting].map((s) => s.close()));
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
    // Not ASCII: the HMAC is over the UTF-8 bytes.
    customer_notes: "Crème brûlée ✓",
  });
  const header = createHmac("sha256", HUBRISE_CLIENT_SECRET).update(body, "utf8").digest("hex");
  return { body, header, clientSecret: HUBRISE_CLIENT_SECRET };
}
