// The portable suite of the runtime matrix (issue 15): the same checks of the four clients in
// every runtime they claim to run in (Node, Deno, Bun, workerd, a browser). It is bundled with
// esbuild (platform neutral: a Node built-in cannot even be resolved) and run as is, so it uses web
// standards only (fetch, Request, Web Crypto, TextEncoder, timers), like the clients must. It never
// throws: every check ends as a JSON-able result, and a failing check does not stop the others.
//
// Per vendor, against the vendor's sandbox whose URL, credentials and records it is given (the
// suite imports no sandbox: it only gets a config): a GET, a full paginate(), a GET answered 503
// once (injected by the runner on the record `retriedId` names: it must succeed), the vendor's
// typed error for a refused credential (the credential nowhere in it), and a redirect to another
// origin refused; for HubRise also verifyHubriseSignature. And the integration around the clients
// (issue 16, integration-checks.ts): an OAuth install per vendor with OAuth, against the sandbox's
// own OAuth server, and a webhook delivery per vendor with webhooks.
import {
  ApiError,
  createHubriseClient,
  RedirectError,
  verifyHubriseSignature,
} from "../../src/hubrise/index.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import {
  createSubscriptionsOnlyClient,
  SubscriptionsOnlyApiError,
} from "../../src/subscriptions-only/index.js";
import { createHikeClient, TokenRefreshError } from "../../src/hike/index.js";
import {
  caught,
  describe,
  expectNoSecret,
  expectThat,
  type Outcome,
  RETRY,
  run,
  TIMEOUTS,
} from "./check-support.js";
import {
  type HiboutikDelivery,
  hiboutikInstall,
  hiboutikWebhook,
  hikeInstall,
  hubriseInstall,
  hubriseWebhook,
  type OAuthTarget,
} from "./integration-checks.js";

export const VENDORS = ["HubRise", "Hiboutik", "Subscriptions Only", "Hike"] as const;
export type Vendor = (typeof VENDORS)[number];
export const CHECKS = [
  "GET",
  "paginate",
  "retried 503",
  "typed error",
  "redirect refused",
] as const;
/** The checks a vendor has beyond CHECKS: what its API has (OAuth, webhooks, signatures). */
export const VENDOR_CHECKS = {
  HubRise: ["signature", "OAuth install", "webhook"],
  Hiboutik: ["OAuth install", "webhook"],
  "Subscriptions Only": [],
  Hike: ["OAuth install"],
} as const satisfies Record<Vendor, readonly string[]>;
export type Check =
  (typeof CHECKS)[number] | (typeof VENDOR_CHECKS)[keyof typeof VENDOR_CHECKS][number];

/** The wrong credential of the typed-error check: it must appear in no error. */
export const WRONG_CREDENTIAL = "canary-portable-wrong-credential-3f9c";

interface Target<Id extends string | number> {
  /** The sandbox's base URL (with the vendor's base path). */
  baseUrl: string;
  /** The same base path on a server that redirects every request to `SuiteConfig.redirectTarget`. */
  redirectingBaseUrl: string;
  /** Items the sandbox's list holds (its size option): paginate() must yield each once, in order. */
  listItems: number;
  /** The ids of those items in the order the list gives them, read from the sandbox's state. */
  listIds: Id[];
  /** A record the GET, typed-error and redirect checks read (HubRise: the token's location). */
  readId: Id;
  /**
   * A record whose first read the sandbox answers 503 (the runner injects it once before the
   * run): the "retried 503" check reads it, and nothing else does.
   */
  retriedId: Id;
}

export interface SuiteConfig {
  runtime: string;
  /** The origin every redirect points to; it must receive nothing. */
  redirectTarget: string;
  /**
   * How the refused redirect shows: "cross-origin" where fetch hands a manual redirect over,
   * "opaque" in browsers, whose fetch hides its target.
   */
  redirectReason: "cross-origin" | "opaque";
  /** Orders of the token's location (`readId`); `retriedId` is one of its catalogs. */
  hubrise: Target<string> & {
    accessToken: string;
    /** A callback body, its X-HubRise-Hmac-SHA256 (computed by the runner) and the secret. */
    signature: { body: string; header: string; clientSecret: string };
    oauth: OAuthTarget<string>;
  };
  /** Customers. */
  hiboutik: Target<number> & {
    login: string;
    apiKey: string;
    oauth: OAuthTarget<number>;
    webhook: HiboutikDelivery;
  };
  /** Add-ons. */
  subscriptionsOnly: Target<string> & {
    storeId: string;
    apiKey: string;
    /**
     * An add-on whose read the runner answers with a 401 that quotes the Authorization header the
     * client sends (a careless server): the typed-error check's error must not carry it.
     */
    echoedId: string;
  };
  /** Products. */
  hike: Target<number> & { accessToken: string; oauth: OAuthTarget<number> };
}

export type CheckResult = Outcome<Vendor, Check>;

export interface SuiteReport {
  runtime: string;
  /** navigator.userAgent where the runtime has one (Node 20 has none). */
  userAgent: string | undefined;
  results: CheckResult[];
}

/**
 * Items yielded once each, in the list's order: `ids` must be the target's `listIds`, which must
 * be as many as the sandbox was sized to hold (`listItems`).
 */
function expectList(ids: readonly unknown[], t: Target<string | number>): void {
  const expected = t.listIds;
  expectThat(
    expected.length === t.listItems,
    `the sandbox lists ${expected.length} items where it was sized to hold ${t.listItems}`,
  );
  expectThat(
    ids.length === expected.length,
    `${ids.length} items where ${expected.length} were expected`,
  );
  const wrong = ids.findIndex((id, i) => id !== expected[i]);
  expectThat(
    wrong < 0,
    `item ${wrong} is ${String(ids[wrong])}, expected ${String(expected[wrong])}`,
  );
}

/** The checks every vendor passes, with the vendor's calls. */
interface VendorChecks {
  get(): Promise<string>;
  paginate(): Promise<string>;
  retried(): Promise<string>;
  typedError(): Promise<string>;
  /** The call the redirecting server answers: it must end with RedirectError. */
  redirected(): Promise<unknown>;
}

function redirectCheck(config: SuiteConfig, call: () => Promise<unknown>) {
  return async () => {
    const err = await caught(call);
    expectThat(err instanceof RedirectError, `ended with ${describe(err)}, not RedirectError`);
    expectThat(
      err.reason === config.redirectReason,
      `RedirectError reason "${err.reason}", expected "${config.redirectReason}"`,
    );
    if (err.reason === "cross-origin") {
      expectThat(
        err.targetOrigin === config.redirectTarget,
        `targetOrigin ${String(err.targetOrigin)}`,
      );
    }
    expectThat(!err.message.includes("/steal"), "the message quotes the Location's path");
    return `RedirectError ${err.status} (${err.reason})`;
  };
}

function hubriseChecks(config: SuiteConfig): VendorChecks {
  const t = config.hubrise;
  const options = { throwOnError: true, retry: RETRY, timeouts: TIMEOUTS } as const;
  const client = createHubriseClient(
    { accessToken: t.accessToken },
    { ...options, baseUrl: t.baseUrl },
  );
  return {
    async get() {
      const { data } = await client.GET("/location");
      expectThat(data.id === t.readId, `location ${data.id}`);
      return `location ${data.id}`;
    },
    async paginate() {
      const ids: string[] = [];
      for await (const order of client.paginate("/location/orders")) ids.push(order.id);
      expectList(ids, t);
      return `${ids.length} orders`;
    },
    async retried() {
      const { data } = await client.GET("/catalogs/{catalog_id}", {
        params: { path: { catalog_id: t.retriedId } },
      });
      expectThat(data.id === t.retriedId, `catalog ${data.id}`);
      return `catalog ${data.id} after a 503`;
    },
    async typedError() {
      const wrong = createHubriseClient(
        { accessToken: WRONG_CREDENTIAL },
        { ...options, baseUrl: t.baseUrl },
      );
      const err = await caught(() => wrong.GET("/location"));
      expectThat(err instanceof ApiError, `ended with ${describe(err)}, not ApiError`);
      const body = err.body as { error_type?: string } | undefined;
      expectThat(
        err.status === 401 && body?.error_type === "unauthorized",
        `${err.status} ${body?.error_type}`,
      );
      expectNoSecret(err, [WRONG_CREDENTIAL]);
      return `${err.name} ${err.status} ${body.error_type}`;
    },
    redirected: () =>
      createHubriseClient(
        { accessToken: t.accessToken },
        { ...options, baseUrl: t.redirectingBaseUrl },
      ).GET("/location"),
  };
}

function hiboutikChecks(config: SuiteConfig): VendorChecks {
  const t = config.hiboutik;
  const options = { throwOnError: true, retry: RETRY, timeouts: TIMEOUTS } as const;
  const credentials = { account: "myshop", login: t.login, apiKey: t.apiKey };
  const client = createHiboutikClient(credentials, { ...options, baseUrl: t.baseUrl });
  return {
    async get() {
      const customer = await client.one("/customer/{customers_id}", {
        params: { path: { customers_id: t.readId } },
      });
      expectThat(customer.customers_id === t.readId, `customer ${customer.customers_id}`);
      return `customer ${customer.customers_id}`;
    },
    async paginate() {
      const ids: number[] = [];
      for await (const c of client.paginate("/customers/")) ids.push(c.customers_id);
      expectList(ids, t);
      return `${ids.length} customers`;
    },
    async retried() {
      const { data } = await client.GET("/customer/{customers_id}", {
        params: { path: { customers_id: t.retriedId } },
      });
      const id = data[0]?.customers_id;
      expectThat(id === t.retriedId, `customer ${id}`);
      return `customer ${id} after a 503`;
    },
    async typedError() {
      const wrong = createHiboutikClient(
        { ...credentials, apiKey: WRONG_CREDENTIAL },
        { ...options, baseUrl: t.baseUrl },
      );
      const err = await caught(() =>
        wrong.GET("/customer/{customers_id}", { params: { path: { customers_id: t.readId } } }),
      );
      expectThat(err instanceof ApiError, `ended with ${describe(err)}, not ApiError`);
      const body = err.body as { error_description?: string } | undefined;
      expectThat(
        err.status === 401 && typeof body?.error_description === "string",
        `${err.status} ${body?.error_description}`,
      );
      const basic = btoa(`${t.login}:${WRONG_CREDENTIAL}`);
      expectNoSecret(err, [WRONG_CREDENTIAL, basic]);
      return `${err.name} ${err.status} "${body.error_description}"`;
    },
    redirected: () =>
      createHiboutikClient(credentials, { ...options, baseUrl: t.redirectingBaseUrl }).GET(
        "/customer/{customers_id}",
        { params: { path: { customers_id: t.readId } } },
      ),
  };
}

function subscriptionsOnlyChecks(config: SuiteConfig): VendorChecks {
  const t = config.subscriptionsOnly;
  const options = { retry: RETRY, timeouts: TIMEOUTS };
  const credentials = { storeId: t.storeId, apiKey: t.apiKey };
  const client = createSubscriptionsOnlyClient(credentials, { ...options, baseUrl: t.baseUrl });
  const read = (c: typeof client, id: string) =>
    c.GET("/add-ons/{unique_id}", { params: { path: { unique_id: id } } });
  return {
    async get() {
      const addOn = await read(client, t.readId);
      expectThat(addOn.unique_id === t.readId, `add-on ${addOn.unique_id}`);
      return `add-on ${addOn.unique_id}`;
    },
    async paginate() {
      const ids: string[] = [];
      for await (const a of client.paginate("/add-ons", {}, { pageSize: 15 }))
        ids.push(a.unique_id);
      expectList(ids, t);
      return `${ids.length} add-ons`;
    },
    async retried() {
      const addOn = await read(client, t.retriedId);
      expectThat(addOn.unique_id === t.retriedId, `add-on ${addOn.unique_id}`);
      return `add-on ${addOn.unique_id} after a 503`;
    },
    async typedError() {
      const wrong = createSubscriptionsOnlyClient(
        { ...credentials, apiKey: WRONG_CREDENTIAL },
        { ...options, baseUrl: t.baseUrl },
      );
      const err = await caught(() => read(wrong, t.readId));
      expectThat(
        err instanceof SubscriptionsOnlyApiError,
        `ended with ${describe(err)}, not SubscriptionsOnlyApiError`,
      );
      expectThat(
        err.status === 401 && typeof err.body?.text === "string",
        `${err.status} ${err.body?.text}`,
      );
      const basic = btoa(`${t.storeId}:${WRONG_CREDENTIAL}`);
      expectNoSecret(err, [WRONG_CREDENTIAL, basic]);
      // The sandbox, like the API, never repeats a refused credential; a server that does (the
      // runner's 401 on `echoedId` quotes the client's own Authorization and key) must find them
      // redacted in the error.
      const echoed = await caught(() => read(client, t.echoedId));
      expectThat(
        echoed instanceof SubscriptionsOnlyApiError && echoed.status === 401,
        `a 401 echoing the Authorization: ${describe(echoed)}, not SubscriptionsOnlyApiError 401`,
      );
      expectNoSecret(echoed, [t.apiKey, btoa(`${t.storeId}:${t.apiKey}`)]);
      expectThat(
        echoed.body?.text?.includes("[redacted]") === true,
        "the echoing 401's text was not received (nothing redacted in it)",
      );
      return `${err.name} ${err.status} "${err.body.text}"; an echoed Authorization redacted`;
    },
    redirected: () =>
      read(
        createSubscriptionsOnlyClient(credentials, { ...options, baseUrl: t.redirectingBaseUrl }),
        t.readId,
      ),
  };
}

function hikeChecks(config: SuiteConfig): VendorChecks {
  const t = config.hike;
  const options = { throwOnError: true, retry: RETRY, timeouts: TIMEOUTS } as const;
  const client = createHikeClient(
    { accessToken: t.accessToken },
    { ...options, baseUrl: t.baseUrl },
  );
  return {
    async get() {
      const { data } = await client.GET("/products/get/{id}", {
        params: { path: { id: t.readId } },
      });
      expectThat(data.id === t.readId, `product ${data.id}`);
      return `product ${data.id}`;
    },
    async paginate() {
      const ids: unknown[] = [];
      for await (const p of client.paginate("/products/get_all")) ids.push(p.id);
      expectList(ids, t);
      return `${ids.length} products`;
    },
    async retried() {
      const { data } = await client.GET("/products/get/{id}", {
        params: { path: { id: t.retriedId } },
      });
      expectThat(data.id === t.retriedId, `product ${data.id}`);
      return `product ${data.id} after a 503`;
    },
    async typedError() {
      // A refused token and no refresh token: Hike's own error, before any refresh is tried.
      const wrong = createHikeClient(
        { accessToken: WRONG_CREDENTIAL },
        { ...options, baseUrl: t.baseUrl },
      );
      const err = await caught(() =>
        wrong.GET("/products/get/{id}", { params: { path: { id: t.readId } } }),
      );
      expectThat(
        err instanceof TokenRefreshError,
        `ended with ${describe(err)}, not TokenRefreshError`,
      );
      expectNoSecret(err, [WRONG_CREDENTIAL]);
      return err.name;
    },
    redirected: () =>
      createHikeClient(
        { accessToken: t.accessToken },
        { ...options, baseUrl: t.redirectingBaseUrl },
      ).GET("/products/get/{id}", { params: { path: { id: t.readId } } }),
  };
}

async function signatureCheck(config: SuiteConfig): Promise<string> {
  const { body, header, clientSecret } = config.hubrise.signature;
  expectThat(await verifyHubriseSignature(body, header, clientSecret), "a valid signature refused");
  expectThat(
    await verifyHubriseSignature(
      new TextEncoder().encode(body),
      header.toUpperCase(),
      clientSecret,
    ),
    "a valid signature over bytes (upper-case hex) refused",
  );
  expectThat(
    !(await verifyHubriseSignature(`${body} `, header, clientSecret)),
    "a changed body accepted",
  );
  expectThat(
    !(await verifyHubriseSignature(body, header, `${clientSecret}x`)),
    "another secret accepted",
  );
  const flipped = (header[0] === "0" ? "1" : "0") + header.slice(1);
  expectThat(
    !(await verifyHubriseSignature(body, flipped, clientSecret)),
    "a changed signature accepted",
  );
  expectThat(
    !(await verifyHubriseSignature(body, undefined, clientSecret)),
    "no signature accepted",
  );
  const empty = await caught(() => verifyHubriseSignature(body, header, ""));
  expectThat(empty instanceof TypeError, `an empty secret: ${describe(empty)}, not TypeError`);
  return "valid accepted; changed body, secret or signature refused; empty secret a TypeError";
}

/** The checks of VENDOR_CHECKS, per vendor. */
function vendorChecks(
  config: SuiteConfig,
): Record<Vendor, Partial<Record<Check, () => Promise<string>>>> {
  return {
    HubRise: {
      signature: () => signatureCheck(config),
      "OAuth install": () => hubriseInstall(config.hubrise.oauth),
      webhook: () => hubriseWebhook(config.hubrise.signature),
    },
    Hiboutik: {
      "OAuth install": () => hiboutikInstall(config.hiboutik.oauth),
      webhook: () => hiboutikWebhook(config.hiboutik.webhook),
    },
    "Subscriptions Only": {},
    Hike: { "OAuth install": () => hikeInstall(config.hike.oauth) },
  };
}

export async function runPortableSuite(config: SuiteConfig): Promise<SuiteReport> {
  const vendors: [Vendor, (config: SuiteConfig) => VendorChecks][] = [
    ["HubRise", hubriseChecks],
    ["Hiboutik", hiboutikChecks],
    ["Subscriptions Only", subscriptionsOnlyChecks],
    ["Hike", hikeChecks],
  ];
  const extra = vendorChecks(config);
  // Vendors side by side, each vendor's checks one after another (the 503 is injected once).
  const perVendor = await Promise.all(
    vendors.map(async ([vendor, make]): Promise<CheckResult[]> => {
      const others: CheckResult[] = [];
      for (const check of VENDOR_CHECKS[vendor]) {
        others.push(await run(vendor, check, extra[vendor][check]!));
      }
      let checks: VendorChecks;
      try {
        checks = make(config);
      } catch (err) {
        const detail = `the client could not be created: ${describe(err)}`;
        return [...CHECKS.map((check) => ({ vendor, check, ok: false, detail, ms: 0 })), ...others];
      }
      return [
        await run(vendor, "GET", checks.get),
        await run(vendor, "paginate", checks.paginate),
        await run(vendor, "retried 503", checks.retried),
        await run(vendor, "typed error", checks.typedError),
        await run(vendor, "redirect refused", redirectCheck(config, checks.redirected)),
        ...others,
      ];
    }),
  );
  const navigator = (globalThis as { navigator?: { userAgent?: string } }).navigator;
  return {
    runtime: config.runtime,
    userAgent: navigator?.userAgent,
    results: perVendor.flat(),
  };
}
