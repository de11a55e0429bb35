// Recording (issue 18, part 1): what a `record` sink receives from a client talking to the HubRise
// sandbox. A canary credential echoed by the server in a body and in headers never reaches the
// sink; personal fields are dropped, hashed (SHA-256) or kept as asked; a failing sink never fails
// the call; and the exchange carries what `verify` matches on.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createHubriseClient,
  type HubriseClientOptions,
  type RecordedExchange,
} from "../../src/hubrise/index.js";
import { type HubriseSandbox, startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import {
  createSubscriptionsOnlyClient,
  SubscriptionsOnlyApiError,
} from "../../src/subscriptions-only/index.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";
import { isPersonalField } from "../../src/core/drift/personal.js";
import { ManualClock } from "../support/manual-clock.js";

const CANARY = "canary-recording-5f0b9c2e71";
let sandbox: { close(): Promise<void> } | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  vi.restoreAllMocks();
});

async function hubrise(options: HubriseClientOptions = {}) {
  const sb: HubriseSandbox = await startHubriseSandbox({
    limits: false,
    credentials: { accessToken: CANARY },
  });
  sandbox = sb;
  const exchanges: RecordedExchange[] = [];
  const client = createHubriseClient(sb.credentials, {
    baseUrl: sb.url,
    limits: false,
    retry: false,
    record: (exchange) => void exchanges.push(exchange),
    ...options,
  });
  return { sb, client, exchanges };
}

/** Every object of `value` that has any of `keys`. */
function objectsWith(value: unknown, keys: string[]): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === "object" && node !== null) {
      if (keys.some((k) => k in node)) found.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(value);
  return found;
}

describe("a recorded exchange", () => {
  it("holds what verify matches on: template, operationId, URL as sent without its query, status, headers, body", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 12, 9));
    const { client, exchanges, sb } = await hubrise({ clock, recordPersonal: "keep" });
    const { data } = await client.GET("/location/orders", { params: { query: { count: 5 } } });
    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange).toMatchObject({
      format: "commerce-openapi.exchange/1",
      vendor: "hubrise",
      timestamp: "2026-01-12T09:00:00.000Z",
      method: "GET",
      path: "/location/orders",
      operationId: "listCurrentLocationOrders",
      origin: new URL(sb.url).origin,
      urlPath: `${new URL(sb.url).pathname}/location/orders`,
      status: 200,
      personal: "keep",
    });
    expect(typeof exchange!.durationMs).toBe("number");
    expect(exchange!.headers["x-cursor-next"]).toEqual(expect.any(String));
    expect(exchange!.body).toEqual(data);
    // A copy: what the caller does with its data later does not reach a sink that runs later.
    expect(exchange!.body).not.toBe(data);
  });

  it("records error answers too, under their path template", async () => {
    const { client, exchanges } = await hubrise();
    const { error } = await client.GET("/locations/{location_id}", {
      params: { path: { location_id: "nope-1" } },
    });
    expect(error).toBeDefined();
    expect(exchanges[0]).toMatchObject({
      path: "/locations/{location_id}",
      operationId: "getLocation",
      status: 404,
      urlPath: expect.stringMatching(/\/locations\/nope-1$/),
    });
  });

  it("never holds the canary credential the server echoes in its body and headers", async () => {
    const { sb, client, exchanges } = await hubrise({ recordPersonal: "keep" });
    const echoed = [{ id: CANARY, note: `token=${CANARY}`, cut: `…${CANARY.slice(0, 12)}` }];
    sb.inject({
      status: 200,
      body: JSON.stringify(echoed),
      headers: {
        "X-Access-Token": CANARY,
        "X-Debug": `received ${CANARY}`,
        "X-Debug-Base64": Buffer.from(CANARY).toString("base64"),
        "Set-Cookie": "session=abc",
      },
    });
    sb.inject({ status: 403, body: JSON.stringify({ message: `bad token ${CANARY}` }) });
    await client.GET("/location/orders");
    await client.GET("/location");
    const text = JSON.stringify(exchanges);
    expect(exchanges).toHaveLength(2);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(CANARY.slice(0, 12));
    expect(text).not.toContain(Buffer.from(CANARY).toString("base64"));
    expect(exchanges[0]!.headers["x-access-token"]).toBe("[redacted]");
    expect(exchanges[0]!.headers["set-cookie"]).toBe("[redacted]");
    expect(exchanges[0]!.headers["x-debug"]).toBe("received [redacted]");
  });

  it("never holds a Basic credential echoed in an error body (Subscriptions Only)", async () => {
    const so = await startSubscriptionsOnlySandbox({});
    sandbox = so;
    const exchanges: RecordedExchange[] = [];
    const client = createSubscriptionsOnlyClient(so.credentials, {
      baseUrl: so.url,
      retry: false,
      record: (e) => void exchanges.push(e),
    });
    so.inject({ kind: "echo", status: 400 });
    await expect(client.GET("/add-ons")).rejects.toBeInstanceOf(SubscriptionsOnlyApiError);
    const basic = Buffer.from(`${so.credentials.storeId}:${so.credentials.apiKey}`).toString(
      "base64",
    );
    expect(exchanges).toHaveLength(1);
    expect(JSON.stringify(exchanges)).not.toContain(basic);
    expect(JSON.stringify(exchanges)).not.toContain(so.credentials.apiKey);
    expect(JSON.stringify(exchanges[0]!.body)).toContain("[redacted]");
  });
});

describe("personal fields (recordPersonal)", () => {
  const PERSONAL = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "address_1",
    "postal_code",
    "city",
  ];

  it('"drop" (the default) removes them; other fields stay', async () => {
    const { client, exchanges } = await hubrise();
    const { data } = await client.GET("/location/orders");
    const customers = objectsWith(data, ["first_name"]);
    expect(customers.length).toBeGreaterThan(0);
    expect(exchanges[0]!.personal).toBe("drop");
    // Gone, but where they were null (no data: the shape is kept).
    const left = objectsWith(exchanges[0]!.body, PERSONAL).flatMap((o) =>
      PERSONAL.filter((k) => k in o && o[k] !== null),
    );
    expect(left).toEqual([]);
    expect(objectsWith(exchanges[0]!.body, ["first_name", "phone"])).toEqual([]);
    const recorded = exchanges[0]!.body as { id: string; total: string }[];
    expect(recorded.map((o) => [o.id, o.total])).toEqual(
      (data as { id: string; total: string }[]).map((o) => [o.id, o.total]),
    );
  });

  it('"hash" replaces each by the SHA-256 of its text, so equal values stay equal', async () => {
    const { client, exchanges } = await hubrise({ recordPersonal: "hash" });
    const { data } = await client.GET("/location/orders");
    const original = objectsWith(data, ["first_name"]);
    const hashed = objectsWith(exchanges[0]!.body, ["first_name"]);
    expect(hashed).toHaveLength(original.length);
    const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
    original.forEach((customer, i) => {
      for (const [key, value] of Object.entries(customer)) {
        const got = hashed[i]![key];
        if ((typeof value === "string" || typeof value === "number") && isPersonalField(key))
          expect(got, key).toBe(sha(String(value)));
        else expect(got, key).toEqual(value);
      }
    });
    expect(JSON.stringify(exchanges)).not.toContain(String(original[0]!.last_name));
  });

  it('"keep" leaves them', async () => {
    const { client, exchanges } = await hubrise({ recordPersonal: "keep" });
    const { data } = await client.GET("/location/orders");
    expect(exchanges[0]!.body).toEqual(data);
  });

  it("are recognised by name, with references and bare names left alone", () => {
    for (const name of [
      "first_name",
      "lastName",
      "customers_email",
      "phone",
      "driver_phone",
      "address_1",
      "billing_address",
      "ip_address",
      "postal_code",
      "zip_code",
      "city",
      "latitude",
      "birth_date",
      "driver_name",
    ])
      expect(isPersonalField(name), name).toBe(true);
    for (const name of ["name", "product_name", "address_id", "customer_id", "total", "status"])
      expect(isPersonalField(name), name).toBe(false);
  });
});

describe("a sink that fails", () => {
  it("never fails the call: the error goes to onObserverError", async () => {
    const failures: [unknown, string][] = [];
    let calls = 0;
    const { client } = await hubrise({
      record: () => {
        calls++;
        if (calls === 1) throw new Error("disk full");
        return Promise.reject(new Error("still full"));
      },
      onObserverError: (error, source) => failures.push([error, source]),
    });
    expect((await client.GET("/location")).response.status).toBe(200);
    expect((await client.GET("/location")).response.status).toBe(200);
    expect(failures.map(([e, source]) => [(e as Error).message, source])).toEqual([
      ["disk full", "record"],
      ["still full", "record"],
    ]);
  });

  it("without onObserverError: one console.warn, redacted", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { client } = await hubrise({
      record: () => {
        throw new Error(`cannot write ${CANARY}`);
      },
    });
    await client.GET("/location");
    await client.GET("/location");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain("the record sink failed");
    expect(String(warn.mock.calls[0]![0])).not.toContain(CANARY);
  });

  it("is awaited: the call resolves after the sink's promise", async () => {
    let release!: () => void;
    const written = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const sinkReached = new Promise<void>((resolve) => (reached = resolve));
    let resolved = false;
    const { client } = await hubrise({
      record: () => {
        reached();
        return written;
      },
    });
    const call = client.GET("/location").then(() => (resolved = true));
    await sinkReached;
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    release();
    await call;
    expect(resolved).toBe(true);
  });
});
