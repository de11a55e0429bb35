// One simulator and one client per vendor behind a common face, so that the fault matrix can send
// the same request faults to every vendor: an idempotent read (GET of one record), a write that must
// never be retried (POST), and a list through paginate(). Each vendor's faults are shaped as that
// vendor sends them (its own error bodies, Hike's text 429 with X-Rate-Limit-Problem, …).
import { type Clock, acceleratedClock, systemClock } from "../../src/core/clock.js";
import { ApiError } from "../../src/core/errors.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import {
  createSubscriptionsOnlyClient,
  SubscriptionsOnlyApiError,
} from "../../src/subscriptions-only/index.js";
import * as hiboutikSim from "../hiboutik/simulator.js";
import * as hikeSim from "../hike/simulator.js";
import * as hubriseSim from "../hubrise/simulator.js";
import * as soSim from "../subscriptions-only/simulator.js";
import { expect } from "vitest";
import type { CommonFault } from "../support/faults.js";

export const VENDORS = ["HubRise", "Hiboutik", "Subscriptions Only", "Hike"] as const;
export type Vendor = (typeof VENDORS)[number];
export type Method = "GET" | "POST";

/** Request faults, in the matrix's vocabulary; each harness shapes them as its vendor would. */
export type RequestFault =
  /** The vendor's own error answer (its 429 for 429). */
  | { kind: "status"; status: number; retryAfter?: string }
  /** An HTML page (a proxy's error page, a maintenance page) with this status. */
  | { kind: "html"; status: number }
  /** The success answer of `method`, its JSON cut short (a complete HTTP response). */
  | { kind: "truncated"; method: Method }
  /** The success answer's headers and half its body, then the connection drops. */
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
}

export interface Harness {
  vendor: Vendor;
  policy: Policy;
  inject(fault: RequestFault, onUrl?: RegExp): void;
  /** The idempotent read; resolves once it has returned the expected record. */
  read(signal?: AbortSignal): Promise<void>;
  /** The write that is never retried. */
  write(signal?: AbortSignal): Promise<void>;
  /** paginate() of a list, with `signal` where the vendor's paging takes it. */
  list(signal?: AbortSignal): AsyncIterable<unknown>;
  /** API requests the simulator received with this method. */
  sends(method: Method): number;
  /** The clock the client and simulator share (simulated ms). */
  now(): number;
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

// ---- fault bodies -----------------------------------------------------------------------------

/** An HTML page; it echoes the request's credential header, as careless proxy pages do. */
export function htmlPage(status: number, echoedHeader: string): string {
  const title = status === 200 ? "Down for maintenance" : `${status} Bad Gateway`;
  return (
    `<html><head><title>${title}</title></head><body><h1>${title}</h1>` +
    `<p>Request headers: ${echoedHeader}</p><hr><center>nginx</center></body></html>`
  );
}

/** The first half of a JSON text: a complete HTTP answer whose JSON stops short. */
export const cutJson = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.slice(0, Math.ceil(text.length / 2));
};

/** 60 simulated seconds pass in one real second (windows, backoff, Retry-After). */
export const SCALE = 60;

/**
 * A request fault as a vendor's simulator sends it: a status as the vendor answers it (its own 429
 * where `vendorStatus` says so), an HTML error page that echoes the credential header (which no
 * error may repeat), or the success answer of the method cut short.
 */
function simulatorFault(
  fault: RequestFault,
  vendor: {
    credentialHeader: string;
    success: Record<Method, unknown>;
    /** The status of a successful POST (200 or 201). */
    created: number;
    vendorStatus?: (status: number, retryAfter?: string) => CommonFault | undefined;
  },
): CommonFault {
  switch (fault.kind) {
    case "status":
      return (
        vendor.vendorStatus?.(fault.status, fault.retryAfter) ?? {
          kind: "status",
          status: fault.status,
          retryAfter: fault.retryAfter,
        }
      );
    case "html":
      return {
        kind: "status",
        status: fault.status,
        contentType: "text/html",
        body: htmlPage(fault.status, vendor.credentialHeader),
      };
    case "truncated":
      return {
        kind: "status",
        status: fault.method === "GET" ? 200 : vendor.created,
        body: cutJson(vendor.success[fault.method]),
      };
    default:
      return fault;
  }
}

// ---- HubRise ----------------------------------------------------------------------------------

export async function startHubrise(simOptions: Partial<hubriseSim.SimulatorOptions> = {}) {
  // Just after a window boundary, so that no case straddles one by accident.
  const clock = acceleratedClock(SCALE, Math.ceil(Date.now() / 60_000) * 60_000 + 2_000);
  const sim = await hubriseSim.startHubriseSimulator({
    clock,
    accessToken: HUBRISE_TOKEN,
    ...simOptions,
  });
  const client = createHubriseClient(
    { accessToken: HUBRISE_TOKEN },
    { baseUrl: sim.baseUrl, clock, throwOnError: true },
  );
  const success = {
    GET: { id: "3r4s3-1", name: "Paris", account: { id: "3r4s3", name: "Bella Pizza" } },
    POST: hubriseSim.makeOrder(250),
  };
  const harness: Harness = {
    vendor: "HubRise",
    policy: {
      quota429: false,
      without429RetryAfter: {
        what: "waited for the next fixed minute window",
        earliestEnd: (start) => Math.ceil(start / 60_000) * 60_000,
      },
      apiError: ApiError,
    },
    inject(fault, onUrl) {
      sim.inject(
        simulatorFault(fault, {
          credentialHeader: `X-Access-Token: ${HUBRISE_TOKEN}`,
          success,
          created: 200,
        }),
        onUrl,
      );
    },
    async read(signal) {
      const { data } = await client.GET("/location", { signal });
      expect(data?.id).toBe("3r4s3-1");
    },
    async write(signal) {
      await client.POST("/location/orders", { body: { status: "new" }, signal });
    },
    list: (signal) => client.paginate("/location/orders", { signal }),
    sends: (method) => sim.stats.methods.filter((m) => m === method).length,
    now: () => clock.now(),
    close: () => sim.close(),
  };
  return { harness, sim, client, clock };
}

// ---- Hiboutik ---------------------------------------------------------------------------------

export async function startHiboutik(simOptions: Partial<hiboutikSim.SimulatorOptions> = {}) {
  const sim = await hiboutikSim.startHiboutikSimulator({
    auth: { login: HIBOUTIK_LOGIN, apiKey: HIBOUTIK_KEY },
    ...simOptions,
  });
  const client = createHiboutikClient(
    { account: "myshop", login: HIBOUTIK_LOGIN, apiKey: HIBOUTIK_KEY },
    { baseUrl: sim.baseUrl, retry: { baseDelayMs: 5 }, throwOnError: true },
  );
  const success = { GET: [hiboutikSim.makeCustomer(7)], POST: { sale_id: 45 } };
  const harness: Harness = {
    vendor: "Hiboutik",
    policy: { quota429: true, apiError: ApiError },
    inject(fault, onUrl) {
      sim.inject(
        simulatorFault(fault, {
          credentialHeader: `Authorization: Basic ${HIBOUTIK_BASIC}`,
          success,
          created: 200,
          vendorStatus: (status, retryAfter) =>
            status === 429
              ? {
                  kind: "status",
                  status,
                  retryAfter,
                  body: JSON.stringify({
                    error: "error",
                    code: 429,
                    error_description: "Too Many Requests",
                  }),
                }
              : undefined,
        }),
        onUrl,
      );
    },
    async read(signal) {
      const { data } = await client.GET("/customer/{customers_id}", {
        params: { path: { customers_id: 7 } },
        signal,
      });
      expect(data?.[0]?.customers_id).toBe(7);
    },
    async write(signal) {
      await client.POST("/sales/", { body: { store_id: 1, currency_code: "EUR" }, signal });
    },
    list: (signal) => client.paginate("/customers/", {}, { signal }),
    sends: (method) => sim.stats.log.filter((l) => l.startsWith(`${method} `)).length,
    now: () => systemClock.now(),
    close: () => sim.close(),
  };
  return { harness, sim, client };
}

// ---- Subscriptions Only -----------------------------------------------------------------------

export async function startSubscriptionsOnly(simOptions: Partial<soSim.SimulatorOptions> = {}) {
  const clock: Clock = acceleratedClock(SCALE);
  const sim = await soSim.startSubscriptionsOnlySimulator({
    storeId: SO_STORE,
    apiKey: SO_KEY,
    ...simOptions,
  });
  const client = createSubscriptionsOnlyClient(
    { storeId: SO_STORE, apiKey: SO_KEY },
    { baseUrl: sim.baseUrl, clock },
  );
  const success = {
    GET: { status: "200", message: "OK", body: { data: soSim.makeAddOn(0) } },
    POST: { status: "201", message: "Created" },
  };
  const harness: Harness = {
    vendor: "Subscriptions Only",
    policy: {
      quota429: false,
      without429RetryAfter: { what: "retried after a backoff", earliestEnd: (start) => start },
      apiError: SubscriptionsOnlyApiError,
    },
    inject(fault, onUrl) {
      sim.inject(
        simulatorFault(fault, {
          credentialHeader: `Authorization: Basic ${SO_BASIC}`,
          success,
          created: 201,
        }),
        onUrl,
      );
    },
    async read(signal) {
      const addOn = await client.GET("/add-ons/{unique_id}", {
        params: { path: { unique_id: "SAO-000000" } },
        signal,
      });
      expect(addOn.unique_id).toBe("SAO-000000");
    },
    async write(signal) {
      await client.POST("/coupons", { body: { coupon_code: "X", amount: "1.00" }, signal });
    },
    list: (signal) => client.paginate("/add-ons", { signal }, { pageSize: 15 }),
    sends: (method) => sim.stats.log.filter((l) => l.startsWith(`${method} `)).length,
    now: () => clock.now(),
    close: () => sim.close(),
  };
  return { harness, sim, client, clock };
}

// ---- Hike -------------------------------------------------------------------------------------

const HIKE_429_TEXT =
  "oauth_problem=rate limit exceeded&oauth_problem_advice=please wait before retrying the Hike api";

export async function startHike(simOptions: Partial<hikeSim.SimulatorOptions> = {}) {
  const clock = acceleratedClock(SCALE);
  const sim = await hikeSim.startHikeSimulator({
    clock,
    accessToken: HIKE_ACCESS,
    refreshToken: HIKE_REFRESH,
    clientId: "FaultMatrix-01",
    clientSecret: HIKE_CLIENT_SECRET,
    ...simOptions,
  });
  const client = createHikeClient(
    {
      accessToken: HIKE_ACCESS,
      refreshToken: HIKE_REFRESH,
      clientId: "FaultMatrix-01",
      clientSecret: HIKE_CLIENT_SECRET,
    },
    { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, clock, throwOnError: true },
  );
  const success = { GET: hikeSim.makeProduct(6), POST: { id: 1235 } };
  const harness: Harness = {
    vendor: "Hike",
    policy: {
      quota429: false,
      without429RetryAfter: {
        what: "waited out the rolling minute",
        earliestEnd: (start) => start + 60_000,
      },
      apiError: ApiError,
    },
    inject(fault, onUrl) {
      sim.inject(
        simulatorFault(fault, {
          credentialHeader: `Authorization: Bearer ${HIKE_ACCESS}`,
          success,
          created: 201,
          vendorStatus: (status, retryAfter) =>
            status === 429
              ? {
                  kind: "status",
                  status,
                  retryAfter,
                  contentType: "text/plain",
                  body: HIKE_429_TEXT,
                  headers: { "X-Rate-Limit-Problem": "Minute" },
                }
              : { kind: "status", status },
        }),
        onUrl,
      );
    },
    async read(signal) {
      const { data } = await client.GET("/products/get/{id}", {
        params: { path: { id: 7 } },
        signal,
      });
      expect(data?.id).toBe(7);
    },
    async write(signal) {
      await client.POST("/products/create", {
        body: { name: "small", bran_name: "Acme" },
        signal,
      });
    },
    list: (signal) => client.paginate("/products/get_all", {}, signal ? { signal } : {}),
    sends: (method) => sim.stats.log.filter((l) => l.startsWith(`${method} /api/`)).length,
    now: () => clock.now(),
    close: () => sim.close(),
  };
  return { harness, sim, client, clock };
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
