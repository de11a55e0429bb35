// One sandbox and one client per vendor behind a common face, so that the fault matrix can send
// the same request faults to every vendor: an idempotent read (GET of one record), a write that must
// never be retried (POST), and a list through paginate(). The sandboxes answer each fault in their
// vendor's own shape (HubRise's `too_many_requests` body, Hiboutik's `{error, code,
// error_description}`, Hike's text 429 with X-Rate-Limit-Problem, SO's envelope), and cut or drop
// their own normal answers: the harness only names the fault.
import { type Clock, acceleratedClock, systemClock } from "../../src/core/clock.js";
import { ApiError } from "../../src/core/errors.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { RATE_LIMIT_TEXT, startHikeSandbox } from "../../src/hike/sandbox/index.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import {
  createSubscriptionsOnlyClient,
  SubscriptionsOnlyApiError,
} from "../../src/subscriptions-only/index.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";
import type { SandboxFault } from "../../src/sandbox/faults.js";
import type { SandboxServer } from "../../src/sandbox/server.js";
import { expect } from "vitest";

export const VENDORS = ["HubRise", "Hiboutik", "Subscriptions Only", "Hike"] as const;
export type Vendor = (typeof VENDORS)[number];
export type Method = "GET" | "POST";

/** Request faults, in the matrix's vocabulary: sandbox faults, plus a proxy's HTML page. */
export type RequestFault =
  /** The vendor's own error answer (its 429 for 429). */
  | { kind: "status"; status: number; retryAfter?: string }
  /** An HTML page (a proxy's error page, a maintenance page) with this status. */
  | { kind: "html"; status: number }
  /** The normal answer, its JSON cut in half (a complete HTTP response). */
  | { kind: "truncated-json" }
  /** The normal answer's headers and half its body, then the connection drops. */
  | { kind: "cut-body" }
  | { kind: "reset" }
  | { kind: "hang" };

export interface Policy {
  /** Hiboutik: a 429 is the spent monthly quota, never retried, always QuotaExhaustedError. */
  quota429: boolean;
  /** How a retried 429 without Retry-After is waited out, and the earliest clock time it may end. */
  without429RetryAfter?: { what: string; earliestEnd(start: number): number };
  /** The class of a JSON error answer (Subscriptions Only: its own ApiError subclass). */
  apiError: abstract new (...args: never[]) => ApiError;
  /** Checks that a 429 came in the vendor's own shape (the sandbox's, no longer the harness's). */
  expect429(err: ApiError): void;
}

export interface Harness {
  vendor: Vendor;
  policy: Policy;
  /** Queues `fault` for the next request. */
  inject(fault: RequestFault): void;
  /** The idempotent read; resolves once it has returned the expected record. */
  read(signal?: AbortSignal): Promise<void>;
  /** The write that is never retried. */
  write(signal?: AbortSignal): Promise<void>;
  /** paginate() of a list, with `signal` where the vendor's paging takes it. */
  list(signal?: AbortSignal): AsyncIterable<unknown>;
  /** API requests the sandbox received with this method (OAuth routes and token calls aside). */
  sends(method: Method): number;
  /** The clock the client and sandbox share (sandbox ms). */
  now(): number;
  /** Closes the sandbox, then checks that every answer it built fitted the description. */
  close(): Promise<void>;
}

// ---- credentials: canaries, so that a leak is unmistakable ------------------------------------

export const HUBRISE_TOKEN = "canary-fm-hubrise-4c1d9e";
export const HIBOUTIK_LOGIN = "owner@example.com";
export const HIBOUTIK_KEY = "canary-fm-hiboutik-7a2f0b";
const HIBOUTIK_BASIC = Buffer.from(`${HIBOUTIK_LOGIN}:${HIBOUTIK_KEY}`).toString("base64");
export const SO_STORE = "STO-12345";
export const SO_KEY = "canary-fm-so-e83b51";
const SO_BASIC = Buffer.from(`${SO_STORE}:${SO_KEY}`).toString("base64");
export const HIKE_ACCESS = "canary-fm-hike-access-90d2c7";
export const HIKE_REFRESH = "canary-fm-hike-refresh-5be41a";
export const HIKE_CLIENT_SECRET = "canary-fm-hike-secret-1f6e38";

/** Every credential of the suite, with the derived Basic headers: none may appear in an error. */
export const ALL_SECRETS = [
  HUBRISE_TOKEN,
  HIBOUTIK_KEY,
  HIBOUTIK_BASIC,
  SO_KEY,
  SO_BASIC,
  HIKE_ACCESS,
  HIKE_REFRESH,
  HIKE_CLIENT_SECRET,
];

/** An HTML page; it echoes the request's credential header, as careless proxy pages do. */
export function htmlPage(status: number, echoedHeader: string): string {
  const title = status === 200 ? "Down for maintenance" : `${status} Bad Gateway`;
  return (
    `<html><head><title>${title}</title></head><body><h1>${title}</h1>` +
    `<p>Request headers: ${echoedHeader}</p><hr><center>nginx</center></body></html>`
  );
}

/** 60 sandbox seconds pass in one real second (windows, backoff, Retry-After). */
export const SCALE = 60;

/**
 * The parts of a harness every vendor shares: faults as the sandbox takes them (an HTML page is a
 * status fault with the page as its body), the count of API sends, and a close that checks the
 * sandbox's `violations` (answers shaped by a fault are never checked by the engine, so none of
 * the matrix's faults can land there: any entry is a sandbox answer that broke its description).
 */
function sandboxFace(
  sandbox: SandboxServer,
  credentialHeader: string,
  /** The description's OAuth operations: the client's token traffic, not its API calls. */
  tokenOperations: readonly string[] = [],
): Pick<Harness, "inject" | "sends" | "close"> {
  return {
    inject(fault) {
      const sandboxFault: SandboxFault =
        fault.kind === "html"
          ? {
              kind: "status",
              status: fault.status,
              contentType: "text/html",
              body: htmlPage(fault.status, credentialHeader),
            }
          : fault;
      sandbox.inject(sandboxFault);
    },
    sends: (method) =>
      sandbox.requests.filter(
        (r) =>
          r.method === method &&
          r.operationId !== undefined &&
          !tokenOperations.includes(r.operationId),
      ).length,
    async close() {
      await sandbox.close();
      expect(sandbox.violations, "answers that do not fit the description").toEqual([]);
    },
  };
}

// ---- HubRise ----------------------------------------------------------------------------------

export async function startHubrise() {
  // Just after a window boundary, so that no case straddles one by accident.
  const clock = acceleratedClock(SCALE, Math.ceil(Date.now() / 60_000) * 60_000 + 2_000);
  const sandbox = await startHubriseSandbox({
    clock,
    credentials: { accessToken: HUBRISE_TOKEN },
    validate: true,
  });
  const client = createHubriseClient(
    { accessToken: HUBRISE_TOKEN },
    { baseUrl: sandbox.url, clock, throwOnError: true },
  );
  const location = sandbox.state.locations[0]!;
  const harness: Harness = {
    vendor: "HubRise",
    policy: {
      quota429: false,
      without429RetryAfter: {
        what: "waited for the next fixed minute window",
        earliestEnd: (start) => Math.ceil(start / 60_000) * 60_000,
      },
      apiError: ApiError,
      expect429: (err) => expect(err.body).toEqual({ error_type: "too_many_requests" }),
    },
    ...sandboxFace(sandbox, `X-Access-Token: ${HUBRISE_TOKEN}`, [
      "exchangeAuthorizationCode",
      "revokeToken",
    ]),
    async read(signal) {
      const { data } = await client.GET("/location", { signal });
      expect(data?.id).toBe(location.id);
      expect(data?.name).toBe(location.name);
    },
    async write(signal) {
      await client.POST("/location/orders", { body: { status: "new" }, signal });
    },
    list: (signal) => client.paginate("/location/orders", { signal }),
    now: () => clock.now(),
  };
  return { harness, sandbox, client, clock };
}

// ---- Hiboutik ---------------------------------------------------------------------------------

export async function startHiboutik() {
  // Hiboutik's limits (30 in flight, a monthly quota) need no accelerated clock: the system one.
  const sandbox = await startHiboutikSandbox({
    credentials: { login: HIBOUTIK_LOGIN, apiKey: HIBOUTIK_KEY },
    validate: true,
  });
  const client = createHiboutikClient(
    { account: sandbox.credentials.account, login: HIBOUTIK_LOGIN, apiKey: HIBOUTIK_KEY },
    { baseUrl: sandbox.url, retry: { baseDelayMs: 5 }, throwOnError: true },
  );
  const customer = sandbox.state.customers.at(6)!;
  const storeId = sandbox.state.stores[0]!.store_id;
  const harness: Harness = {
    vendor: "Hiboutik",
    policy: {
      quota429: true,
      apiError: ApiError,
      expect429: (err) =>
        expect(err.body).toEqual({
          error: expect.any(String),
          code: 429,
          error_description: expect.any(String),
        }),
    },
    ...sandboxFace(sandbox, `Authorization: Basic ${HIBOUTIK_BASIC}`, ["createOAuthToken"]),
    async read(signal) {
      const { data } = await client.GET("/customer/{customers_id}", {
        params: { path: { customers_id: customer.customers_id } },
        signal,
      });
      expect(data?.[0]?.customers_id).toBe(customer.customers_id);
      expect(data?.[0]?.last_name).toBe(customer.last_name);
    },
    async write(signal) {
      await client.POST("/sales/", { body: { store_id: storeId, currency_code: "EUR" }, signal });
    },
    list: (signal) => client.paginate("/customers/", {}, { signal }),
    now: () => systemClock.now(),
  };
  return { harness, sandbox, client };
}

// ---- Subscriptions Only -----------------------------------------------------------------------

/** The matrix's SO page size: the 37 seeded add-ons make 3 pages, the last one short. */
export const SO_PAGE_SIZE = 15;

export async function startSubscriptionsOnly() {
  const clock: Clock = acceleratedClock(SCALE);
  const sandbox = await startSubscriptionsOnlySandbox({
    clock,
    credentials: { storeId: SO_STORE, apiKey: SO_KEY },
    validate: true,
  });
  const client = createSubscriptionsOnlyClient(
    { storeId: SO_STORE, apiKey: SO_KEY },
    { baseUrl: sandbox.url, clock },
  );
  const addOn = sandbox.state.addOns.at(0)!;
  const harness: Harness = {
    vendor: "Subscriptions Only",
    policy: {
      quota429: false,
      without429RetryAfter: { what: "retried after a backoff", earliestEnd: (start) => start },
      apiError: SubscriptionsOnlyApiError,
      expect429: (err) =>
        expect((err as SubscriptionsOnlyApiError).envelopeMessage).toBe("Too Many Requests"),
    },
    ...sandboxFace(sandbox, `Authorization: Basic ${SO_BASIC}`),
    async read(signal) {
      const read = await client.GET("/add-ons/{unique_id}", {
        params: { path: { unique_id: addOn.unique_id! } },
        signal,
      });
      expect(read).toEqual(addOn);
    },
    async write(signal) {
      await client.POST("/coupons", { body: { coupon_code: "X", amount: "1.00" }, signal });
    },
    list: (signal) => client.paginate("/add-ons", { signal }, { pageSize: SO_PAGE_SIZE }),
    now: () => clock.now(),
  };
  return { harness, sandbox, client, clock };
}

// ---- Hike -------------------------------------------------------------------------------------

export async function startHike() {
  const clock = acceleratedClock(SCALE);
  const credentials = {
    accessToken: HIKE_ACCESS,
    refreshToken: HIKE_REFRESH,
    clientId: "FaultMatrix-01",
    clientSecret: HIKE_CLIENT_SECRET,
  };
  const sandbox = await startHikeSandbox({ clock, credentials, validate: true });
  const client = createHikeClient(credentials, {
    baseUrl: sandbox.url,
    tokenUrl: sandbox.tokenUrl,
    clock,
    throwOnError: true,
  });
  const product = sandbox.state.products.get("7")!;
  const harness: Harness = {
    vendor: "Hike",
    policy: {
      quota429: false,
      without429RetryAfter: {
        what: "waited out the rolling minute",
        earliestEnd: (start) => start + 60_000,
      },
      apiError: ApiError,
      // Hike's text answer (X-Rate-Limit-Problem: Minute), not JSON.
      expect429: (err) => {
        expect(err.body).toBeUndefined();
        expect(err.bodyText).toBe(RATE_LIMIT_TEXT);
      },
    },
    ...sandboxFace(sandbox, `Authorization: Bearer ${HIKE_ACCESS}`, ["requestOAuthToken"]),
    async read(signal) {
      const { data } = await client.GET("/products/get/{id}", {
        params: { path: { id: product.id } },
        signal,
      });
      expect(data).toEqual(product);
    },
    async write(signal) {
      await client.POST("/products/create", {
        body: { name: "small", bran_name: "Acme" },
        signal,
      });
    },
    list: (signal) => client.paginate("/products/get_all", {}, signal ? { signal } : {}),
    now: () => clock.now(),
  };
  return { harness, sandbox, client, clock };
}

export const startHarness: Record<Vendor, () => Promise<{ harness: Harness }>> = {
  HubRise: () => startHubrise(),
  Hiboutik: () => startHiboutik(),
  "Subscriptions Only": () => startSubscriptionsOnly(),
  Hike: () => startHike(),
};

/** `ApiError 503`, `TransportError`, … for the table. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return `${err.name} ${err.status}`;
  if (err instanceof Error) return err.name;
  return String(err);
}
