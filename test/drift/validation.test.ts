// Response validation in the clients (issue 18, part 3), against the sandboxes: "off" loads no
// validator; "warn" reports each kind of finding once per operation however many requests show
// it; "throw" makes a 2xx that does not fit throw ResponseDriftError (redacted); and what the
// sandboxes answer (which fits the descriptions: `validate: true`) passes, for every vendor.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createHubriseClient,
  type DriftFinding,
  type DriftOptions,
  type HubriseClientOptions,
  ResponseDriftError,
  type ValidatorIndex,
  VendorClientError,
} from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { startHikeSandbox } from "../../src/hike/sandbox/index.js";
import { createSubscriptionsOnlyClient } from "../../src/subscriptions-only/index.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";
import { ManualClock } from "../support/manual-clock.js";

const CANARY = "canary-validation-3d9a61b0f4";
const sandboxes: { close(): Promise<void>; violations: readonly unknown[] }[] = [];

afterEach(async () => {
  for (const sb of sandboxes.splice(0)) {
    await sb.close();
    expect(sb.violations).toEqual([]);
  }
  vi.restoreAllMocks();
});

/** The HubRise validators, with a count of how often the index and the modules were loaded. */
function countedValidators() {
  const loads = { index: 0, operations: [] as string[] };
  const validators = async (): Promise<ValidatorIndex> => {
    loads.index++;
    const { operations, createObserver } =
      await import("../../generated/hubrise/validators/index.js");
    return {
      createObserver,
      operations: Object.fromEntries(
        Object.entries(operations).map(([key, entry]) => [
          key,
          entry.load
            ? { ...entry, load: () => (loads.operations.push(entry.operationId), entry.load!()) }
            : entry,
        ]),
      ),
    };
  };
  return { loads, validators };
}

async function hubrise(options: HubriseClientOptions) {
  const sb = await startHubriseSandbox({
    limits: false,
    validate: true,
    credentials: { accessToken: CANARY },
  });
  sandboxes.push(sb);
  const findings: DriftFinding[] = [];
  const client = createHubriseClient(sb.credentials, {
    baseUrl: sb.url,
    limits: false,
    retry: false,
    onDrift: (f) => findings.push(f),
    ...options,
  });
  return { sb, client, findings };
}

/** A page of orders as HubRise must never send it: one of each mutation class. */
const WRONG_ORDERS = JSON.stringify([
  {
    id: 42, // a number where a string is described
    location_id: "3r4s3-1",
    status: "teleported", // not in the enum
    created_at: "2026-01-12T10:00:00+01:00",
    created_by: "app",
    total: "12.5 EUR", // the money pattern wants two decimals
    brand_new_field: true, // undocumented
  },
]);

describe('validateResponses: "off" (the default)', () => {
  it("loads no validator and reports nothing", async () => {
    const { loads, validators } = countedValidators();
    const { sb, client, findings } = await hubrise({ validators });
    sb.inject({ status: 200, body: WRONG_ORDERS });
    await client.GET("/location/orders");
    await client.GET("/location");
    expect(loads).toEqual({ index: 0, operations: [] });
    expect(findings).toEqual([]);
  });
});

describe('validateResponses: "warn"', () => {
  it("reports each kind once per operation, however many requests show it", async () => {
    const { loads, validators } = countedValidators();
    const { sb, client, findings } = await hubrise({ validateResponses: "warn", validators });
    sb.inject({
      status: 200,
      body: WRONG_ORDERS,
      headers: { "X-Brand-New": "1" },
      times: 5,
      on: { path: "/location/orders" },
    });
    sb.inject({ status: 418, times: 3, on: { path: "/location" } });
    for (let i = 0; i < 5; i++) {
      const { data } = await client.GET("/location/orders");
      expect(data).toHaveLength(1); // the answer is still handed over
    }
    for (let i = 0; i < 3; i++) await client.GET("/location");
    for (let i = 0; i < 3; i++) await client.GET("/account"); // fits: nothing to report

    const byOperationAndKind = new Map<string, number>();
    for (const f of findings) {
      const key = `${f.operationId} ${f.kind}`;
      byOperationAndKind.set(key, (byOperationAndKind.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(byOperationAndKind)).toEqual({
      "listCurrentLocationOrders undocumented-header": 1,
      "listCurrentLocationOrders schema": 1,
      "listCurrentLocationOrders enum": 1,
      "listCurrentLocationOrders pattern": 1,
      "listCurrentLocationOrders undocumented-field": 1,
      "getCurrentLocation undocumented-status": 1,
    });
    // Loaded once each, on first need.
    expect(loads.index).toBe(1);
    expect(loads.operations.sort()).toEqual(["getCurrentAccount", "listCurrentLocationOrders"]);
  });

  it("names the value's pointer, the rule and its place in the description", async () => {
    const { sb, client, findings } = await hubrise({ validateResponses: "warn" });
    sb.inject({ status: 200, body: WRONG_ORDERS, headers: { "X-Brand-New": "1" } });
    await client.GET("/location/orders");
    const common = {
      operationId: "listCurrentLocationOrders",
      method: "GET",
      path: "/location/orders",
      status: 200,
    };
    expect(findings).toEqual(
      expect.arrayContaining([
        {
          ...common,
          kind: "schema",
          pointer: "/0/id",
          rule: "type",
          schemaPath: "#/components/schemas/Order/properties/id/type",
          message: "/0/id must be string",
        },
        {
          ...common,
          kind: "enum",
          pointer: "/0/status",
          rule: "enum",
          schemaPath: "#/components/schemas/OrderStatus/enum",
          message: expect.stringContaining('"teleported" is not one of the'),
        },
        {
          ...common,
          kind: "pattern",
          pointer: "/0/total",
          rule: "pattern",
          schemaPath: "#/components/schemas/Money/pattern",
          message: expect.stringContaining("/0/total does not match the pattern"),
        },
        expect.objectContaining({
          ...common,
          kind: "undocumented-field",
          pointer: "/0/brand_new_field",
          field: "brand_new_field",
        }),
        expect.objectContaining({
          ...common,
          kind: "undocumented-header",
          header: "x-brand-new",
          schemaPath: "#/paths/~1location~1orders/get/responses/200/headers",
        }),
      ]),
    );
  });

  it("keeps going when onDrift throws, and when the validators do not load", async () => {
    const failures: [string, string][] = [];
    const { sb, client } = await hubrise({
      validateResponses: "warn",
      onDrift: () => {
        throw new Error("hook broke");
      },
      onObserverError: (e, source) => failures.push([(e as Error).message, source]),
    });
    sb.inject({ status: 200, body: WRONG_ORDERS });
    expect((await client.GET("/location/orders")).data).toHaveLength(1);
    expect(failures[0]).toEqual(["hook broke", "onDrift"]);

    const missing = await hubrise({
      validateResponses: "warn",
      validators: () => Promise.reject(new Error("no such module")),
      onObserverError: (e, source) => failures.push([(e as Error).message, source]),
    });
    for (let i = 0; i < 3; i++) expect((await missing.client.GET("/location")).data).toBeDefined();
    // Reported once: a load that failed is not tried again.
    expect(failures.filter(([, source]) => source === "validators")).toEqual([
      ["no such module", "validators"],
    ]);
  });

  it("warns on the console by default", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { sb, client } = await hubrise({ validateResponses: "warn", onDrift: undefined });
    sb.inject({ status: 200, body: WRONG_ORDERS, times: 2 });
    await client.GET("/location/orders");
    await client.GET("/location/orders");
    const lines = warn.mock.calls.map(([line]) => String(line));
    expect(lines.length).toBe(4); // schema, enum, pattern, undocumented-field: once each
    expect(lines.join("\n")).toContain("HubRise drift: GET /location/orders");
  });
});

describe('validateResponses: "throw"', () => {
  it("throws ResponseDriftError for a 2xx that does not fit, its findings redacted", async () => {
    const { sb, client, findings } = await hubrise({ validateResponses: "throw" });
    const echoing = JSON.parse(WRONG_ORDERS) as Record<string, unknown>[];
    echoing[0]!.status = `echo ${CANARY}`;
    sb.inject({ status: 200, body: JSON.stringify(echoing) });
    const error = await client.GET("/location/orders").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseDriftError);
    expect(error).toBeInstanceOf(VendorClientError);
    const drift = error as ResponseDriftError;
    expect(drift).toMatchObject({
      name: "ResponseDriftError",
      status: 200,
      operation: "GET /location/orders",
      operationId: "listCurrentLocationOrders",
    });
    expect(drift.findings.map((f) => f.kind).sort()).toEqual(["enum", "pattern", "schema"]);
    const texts = [String(drift), drift.message, drift.stack, JSON.stringify(drift)].join("\n");
    expect(texts).not.toContain(CANARY);
    expect(texts).toContain("[redacted]");
    // Undocumented fields never throw (the schemas are open): reported once instead.
    expect(findings.map((f) => f.kind)).toEqual(["undocumented-field"]);
  });

  it("throws for an undocumented 2xx status, not for an undocumented error status", async () => {
    const { sb, client, findings } = await hubrise({ validateResponses: "throw" });
    sb.inject({ status: 203, body: "[]" });
    await expect(client.GET("/location/orders")).rejects.toBeInstanceOf(ResponseDriftError);
    sb.inject({ status: 418 });
    const { error, response } = await client.GET("/location/orders");
    expect(response.status).toBe(418);
    expect(error).toBeDefined();
    expect(findings.map((f) => [f.kind, f.status])).toEqual([["undocumented-status", 418]]);
  });

  it("fails the call when the validators do not load", async () => {
    const { client } = await hubrise({
      validateResponses: "throw",
      validators: () => Promise.reject(new Error("no such module")),
    });
    await expect(client.GET("/location")).rejects.toThrow(/could not load the validators/);
  });

  it("passes what the HubRise sandbox answers, pages included", async () => {
    const { client, findings } = await hubrise({ validateResponses: "throw" });
    let orders = 0;
    for await (const _ of client.paginate("/location/orders")) orders++;
    expect(orders).toBeGreaterThan(100);
    await everyGetWithoutParameters(client.GET, "hubrise");
    expect(findings).toEqual([]);
  });
});

/** Calls every GET of `vendor` that has no path parameter. */
async function everyGetWithoutParameters(get: unknown, vendor: string): Promise<void> {
  const { operations } = (await import(
    `../../generated/${vendor}/validators/index.js`
  )) as ValidatorIndex;
  const paths = Object.keys(operations)
    .filter((key) => key.startsWith("GET ") && !key.includes("{"))
    .map((key) => key.slice(4));
  expect(paths.length).toBeGreaterThan(0);
  for (const path of paths) await (get as (path: string) => Promise<unknown>)(path);
}

describe("what every sandbox answers fits its description", () => {
  it("HubRise, Hiboutik, Hike and Subscriptions Only: no finding in throw mode", async () => {
    const findings: DriftFinding[] = [];
    /** The 2xx answers each vendor's client validated. */
    const validated: Record<string, number> = {};
    const drift: DriftOptions = {
      validateResponses: "throw",
      onDrift: (f) => void findings.push(f),
      record: (e) => {
        if (e.status < 300) validated[e.vendor] = (validated[e.vendor] ?? 0) + 1;
      },
    };

    const hiboutik = await startHiboutikSandbox({
      validate: true,
      clock: new ManualClock(Date.UTC(2026, 0, 12, 9)),
    });
    sandboxes.push(hiboutik);
    const hiboutikClient = createHiboutikClient(hiboutik.credentials, {
      baseUrl: hiboutik.url,
      retry: false,
      ...drift,
    });
    await everyGetWithoutParameters(hiboutikClient.GET, "hiboutik");

    const hike = await startHikeSandbox({ validate: true });
    sandboxes.push(hike);
    const hikeClient = createHikeClient(
      { ...hike.credentials },
      { baseUrl: hike.url, tokenUrl: hike.tokenUrl, retry: false, ...drift },
    );
    // Hike's lists need their paging parameters, which paginate() sends.
    for await (const _ of hikeClient.paginate("/products/get_all")) break;
    for await (const _ of hikeClient.paginate("/customers/get_all")) break;
    await everyGetWithoutParameters(hikeClient.GET, "hike");

    const so = await startSubscriptionsOnlySandbox({ validate: true });
    sandboxes.push(so);
    const soClient = createSubscriptionsOnlyClient(so.credentials, {
      baseUrl: so.url,
      retry: false,
      ...drift,
    });
    await everyGetWithoutParameters(soClient.raw.GET, "subscriptions-only");

    expect(findings).toEqual([]);
    console.log(`2xx answers validated: ${JSON.stringify(validated)}`);
    expect(Object.keys(validated).sort()).toEqual(["hiboutik", "hike", "subscriptions-only"]);
  });
});
