// HubRise callbacks, from the description's `webhooks` section: every event (its example, or one
// openapi-sampler builds from its schema) is signed as HubRise signs it, verified and parsed to its
// type; one changed byte fails the signature; what the description does not know is passed
// through, never refused; and the handler answers each case as documented.
import { describe, expect, it, vi } from "vitest";
import {
  constructHubriseEvent,
  type HubriseEvent,
  type HubriseUnknownEvent,
  hubriseWebhookHandler,
  isKnownHubriseEvent,
  WebhookError,
} from "../../src/hubrise/index.js";
import { schemaValidator } from "../support/bundled.js";
import { describedWebhooks, resolve } from "./support/description.js";
import { CLIENT_SECRET, callbackRequest, sign } from "./support/hubrise.js";

const { doc, webhooks } = describedWebhooks("hubrise");
const validate = schemaValidator(doc);

/** Each webhook's event: the example, or the sampled one with its own resource and event type. */
const events = webhooks.map((w) => {
  const [resource_type, event_type] = w.name.split(".") as [string, string];
  const event: Record<string, unknown> = { ...w.payload, resource_type, event_type };
  return { ...w, event, body: JSON.stringify(event) };
});

async function refusal(promise: Promise<unknown>): Promise<WebhookError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookError);
  return error as WebhookError;
}

describe("the description's callbacks", () => {
  it("lists the 12 events HubRise documents, each with a body schema", () => {
    expect(events.map((e) => e.name).sort()).toEqual(
      [
        "catalog.create",
        "catalog.delete",
        "catalog.update",
        "customer.create",
        "customer.update",
        "delivery.create",
        "delivery.update",
        "inventory.patch",
        "inventory.update",
        "location.update",
        "order.create",
        "order.update",
      ].sort(),
    );
    expect(events.filter((e) => e.fromExample).map((e) => e.name)).toEqual(["customer.update"]);
  });

  it.each(events)("$name: the payload validates against its schema", ({ schemaPointer, event }) => {
    expect(validate(schemaPointer, event)).toEqual([]);
  });
});

describe("constructHubriseEvent", () => {
  it.each(events)(
    "$name: signed, verified and parsed to its type",
    async ({ name, event, body }) => {
      const headers = { "x-hubrise-hmac-sha256": sign(body) };
      for (const raw of [body, new TextEncoder().encode(body)]) {
        const parsed = await constructHubriseEvent(raw, headers, CLIENT_SECRET);
        expect(parsed).toEqual(event);
        expect(isKnownHubriseEvent(parsed)).toBe(true);
        expect(`${parsed.resource_type}.${parsed.event_type}`).toBe(name);
      }
      // A web Headers, and a header name in HubRise's own spelling.
      const viaHeaders = await constructHubriseEvent(
        body,
        new Headers({ "X-HubRise-Hmac-SHA256": sign(body) }),
        CLIENT_SECRET,
      );
      expect(viaHeaders).toEqual(event);
      expect(
        await constructHubriseEvent(body, { "X-HubRise-Hmac-SHA256": sign(body) }, CLIENT_SECRET),
      ).toEqual(event);
    },
  );

  it.each(events)("$name: any one byte changed fails the signature", async ({ body }) => {
    const signature = sign(body);
    const bytes = new TextEncoder().encode(body);
    for (const at of [0, bytes.length >> 1, bytes.length - 1]) {
      const changed = bytes.slice();
      changed[at] = changed[at]! ^ 0x01;
      const error = await refusal(
        constructHubriseEvent(changed, { "x-hubrise-hmac-sha256": signature }, CLIENT_SECRET),
      );
      expect([error.reason, error.status]).toEqual(["bad-signature", 401]);
    }
    const error = await refusal(
      constructHubriseEvent(`${body} `, { "x-hubrise-hmac-sha256": signature }, CLIENT_SECRET),
    );
    expect(error.reason).toBe("bad-signature");
  });

  it("refuses a missing, malformed or other secret's signature (401)", async () => {
    const { body } = events[0]!;
    const missing = await refusal(constructHubriseEvent(body, {}, CLIENT_SECRET));
    expect([missing.reason, missing.status]).toEqual(["missing-signature", 401]);
    expect((await refusal(constructHubriseEvent(body, new Headers(), CLIENT_SECRET))).reason).toBe(
      "missing-signature",
    );
    for (const signature of ["", "zz", sign(body).slice(1), sign(body, "another-secret")]) {
      const error = await refusal(
        constructHubriseEvent(body, { "x-hubrise-hmac-sha256": signature }, CLIENT_SECRET),
      );
      expect(error.reason, signature).toBe("bad-signature");
    }
    // Two signature headers (a Node array) are one joined value, which no signature matches.
    const twice = await refusal(
      constructHubriseEvent(
        body,
        { "x-hubrise-hmac-sha256": [sign(body), sign(body)] },
        CLIENT_SECRET,
      ),
    );
    expect(twice.reason).toBe("bad-signature");
  });

  it("refuses a signed body that is not a UTF-8 JSON event (400), without quoting it", async () => {
    const bodies: (string | Uint8Array)[] = [
      "not json",
      '{"resource_type":"order"',
      "[]",
      "null",
      "42",
      '"order.create"',
      '{"event_type":"create"}',
      '{"resource_type":"order","event_type":7}',
      new Uint8Array([0x7b, 0xff, 0x7d]),
    ];
    for (const body of bodies) {
      const error = await refusal(
        constructHubriseEvent(body, { "x-hubrise-hmac-sha256": sign(body) }, CLIENT_SECRET),
      );
      expect([error.reason, error.status], String(body)).toEqual(["malformed-body", 400]);
      if (typeof body === "string") expect(error.message).not.toContain(body);
    }
  });

  it("refuses a body over the cap (413): 1 MiB by default, or maxBytes", async () => {
    const { body } = events[0]!;
    const headers = { "x-hubrise-hmac-sha256": sign(body) };
    const small = await refusal(
      constructHubriseEvent(body, headers, CLIENT_SECRET, { maxBytes: body.length - 1 }),
    );
    expect([small.reason, small.status]).toEqual(["too-large", 413]);
    await expect(
      constructHubriseEvent(body, headers, CLIENT_SECRET, { maxBytes: body.length }),
    ).resolves.toMatchObject({ id: "ks8f6" });
    const padded = `${body.slice(0, -1)},"pad":"${"x".repeat(1024 * 1024)}"}`;
    const large = await refusal(
      constructHubriseEvent(padded, { "x-hubrise-hmac-sha256": sign(padded) }, CLIENT_SECRET),
    );
    expect(large.reason).toBe("too-large");
    // UTF-8 bytes count, not characters.
    const euros = `{"resource_type":"x","event_type":"y","t":"${"€".repeat(400)}"}`;
    const error = await refusal(
      constructHubriseEvent(euros, { "x-hubrise-hmac-sha256": sign(euros) }, CLIENT_SECRET, {
        maxBytes: 1000,
      }),
    );
    expect(error.reason).toBe("too-large");
  });

  it("is a TypeError without a usable client secret, and never quotes the secret", async () => {
    const { body } = events[0]!;
    for (const secret of ["", undefined, 42, "secret\n"]) {
      await expect(
        constructHubriseEvent(body, { "x-hubrise-hmac-sha256": sign(body) }, secret as string),
      ).rejects.toThrow(TypeError);
    }
    await expect(constructHubriseEvent(body, {}, CLIENT_SECRET, { maxBytes: 0 })).rejects.toThrow(
      TypeError,
    );
    const error = await refusal(
      constructHubriseEvent(body, { "x-hubrise-hmac-sha256": "0".repeat(64) }, CLIENT_SECRET),
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(CLIENT_SECRET);
  });
});

describe("events the description does not know are passed through", () => {
  const passThrough = async (event: Record<string, unknown>) => {
    const body = JSON.stringify(event);
    const parsed = await constructHubriseEvent(
      body,
      { "x-hubrise-hmac-sha256": sign(body) },
      CLIENT_SECRET,
    );
    expect(parsed).toEqual(event);
    return isKnownHubriseEvent(parsed);
  };
  const order = events.find((e) => e.name === "order.create")!.event;

  it("a resource or event type HubRise added since", async () => {
    expect(await passThrough({ ...order, event_type: "delete" })).toBe(false);
    expect(await passThrough({ ...order, resource_type: "table", event_type: "create" })).toBe(
      false,
    );
    expect(await passThrough({ resource_type: "constructor", event_type: "toString" })).toBe(false);
    expect(await passThrough({ resource_type: "__proto__", event_type: "create" })).toBe(false);
  });

  it.each(events)(
    "$name: without a field its schema requires, or with one it forbids, the event is unknown",
    async ({ name, event }) => {
      expect(await passThrough(event)).toBe(true);
      const schema = resolve(doc, { $ref: `#/components/schemas/${bodySchemaName(name)}` });
      const own = resolve(doc, schema.allOf[1]);
      const base = resolve(doc, schema.allOf[0]);
      const required: string[] = [...base.required, ...own.required].filter(
        (f: string) => f !== "resource_type" && f !== "event_type",
      );
      expect(required.length).toBeGreaterThan(2);
      for (const field of required) {
        const { [field]: _, ...without } = event;
        expect(await passThrough(without), `without ${field}`).toBe(false);
        expect(await passThrough({ ...event, [field]: 7 }), `${field}: 7`).toBe(false);
      }
      const forbidden = Object.entries(own.properties as Record<string, unknown>)
        .filter(([, s]) => s === false)
        .map(([f]) => f);
      for (const field of forbidden) {
        const value = field === "state_change" ? [] : {};
        expect(await passThrough({ ...event, [field]: value }), `with ${field}`).toBe(false);
      }
      // The states the schema allows keep the event known, in their own JSON types only.
      for (const field of ["new_state", "previous_state", "state_change"]) {
        if (forbidden.includes(field)) continue;
        const value = field === "state_change" ? [{ sku_ref: "x", stock: "1.0" }] : { a: 1 };
        expect(await passThrough({ ...event, [field]: value }), `with ${field}`).toBe(true);
        expect(await passThrough({ ...event, [field]: "x" }), `${field}: "x"`).toBe(false);
      }
    },
  );

  it("the pairs known are exactly the ones the per-resource schemas allow", () => {
    const pairs = Object.entries(doc.components.schemas as Record<string, any>)
      .filter(([name]) => /^[A-Z][a-z]+Event$/.test(name) && name !== "CallbackEvent")
      .flatMap(([, schema]) => {
        const own = resolve(doc, schema.allOf[1]);
        const types: string[] = own.properties.event_type.enum ?? [own.properties.event_type.const];
        return types.map((t) => `${own.properties.resource_type.const}.${t}`);
      });
    expect(pairs.sort()).toEqual(events.map((e) => e.name).sort());
  });
});

function bodySchemaName(name: string): string {
  const ref = doc.webhooks[name].post.requestBody.content["application/json"].schema.$ref as string;
  return ref.split("/").pop()!;
}

describe("hubriseWebhookHandler", () => {
  const handlerWith = (extra: Partial<Parameters<typeof hubriseWebhookHandler>[0]> = {}) => {
    const calls: [string, unknown][] = [];
    const on = Object.fromEntries(
      events.map(({ name }) => [name, vi.fn((event: unknown) => void calls.push([name, event]))]),
    );
    const handler = hubriseWebhookHandler({ clientSecret: CLIENT_SECRET, on, ...extra });
    return { handler, calls };
  };

  it.each(events)("$name: answered 200, its callback called once with the event", async (e) => {
    const { handler, calls } = handlerWith();
    const response = await handler(callbackRequest(e.body));
    expect(response.status).toBe(200);
    expect(calls).toEqual([[e.name, e.event]]);
  });

  it("answers 401 to a missing or bad signature, 400 to a body that is not JSON, 413 past the cap", async () => {
    const { body } = events[0]!;
    const { handler, calls } = handlerWith({ maxBytes: 4096 });
    const cases: [Request, number, string][] = [
      [callbackRequest(body, { signature: null }), 401, "missing-signature"],
      [callbackRequest(body, { signature: sign(`${body} `) }), 401, "bad-signature"],
      [callbackRequest(body, { signature: "not hex" }), 401, "bad-signature"],
      [callbackRequest("{not json"), 400, "malformed-body"],
      [callbackRequest("[1,2]"), 400, "malformed-body"],
      [callbackRequest(`{"a":"${"x".repeat(5000)}"}`), 413, "too-large"],
    ];
    for (const [request, status, reason] of cases) {
      const response = await handler(request);
      expect(response.status, reason).toBe(status);
      const text = await response.text();
      expect(text).toBe(`webhook refused: ${reason}`);
      expect(text).not.toContain(CLIENT_SECRET);
    }
    expect(calls).toEqual([]);
  });

  it("answers 413 to a streamed body over the cap, without reading the rest", async () => {
    const { handler } = handlerWith({ maxBytes: 1000 });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(256).fill(0x20));
      },
    });
    const request = new Request("https://app.example/hubrise", {
      method: "POST",
      headers: { "x-hubrise-hmac-sha256": "0".repeat(64) },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it("answers 405 to anything but POST, without reading the body", async () => {
    const { handler } = handlerWith();
    for (const method of ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]) {
      const response = await handler(new Request("https://app.example/hubrise", { method }));
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
  });

  it("passes an unknown event to onUnknown (200); without onUnknown, and for a known event without callback, answers 200", async () => {
    const unknown = { id: "e1", resource_type: "table", event_type: "create", table_id: "t1" };
    const body = JSON.stringify(unknown);
    const seen: HubriseUnknownEvent[] = [];
    const withUnknown = hubriseWebhookHandler({
      clientSecret: CLIENT_SECRET,
      on: {},
      onUnknown: (event) => void seen.push(event),
    });
    expect((await withUnknown(callbackRequest(body))).status).toBe(200);
    expect(seen).toEqual([unknown]);
    const without = hubriseWebhookHandler({ clientSecret: CLIENT_SECRET, on: {} });
    expect((await without(callbackRequest(body))).status).toBe(200);
    expect((await without(callbackRequest(events[0]!.body))).status).toBe(200);
    // A known pair in a shape the description does not give it is unknown too.
    const { location_id: _, ...noLocation } = events.find((e) => e.name === "order.create")!.event;
    expect((await withUnknown(callbackRequest(JSON.stringify(noLocation)))).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it("answers 500 when a callback throws (HubRise sends the event again), and reports the error", async () => {
    const failure = new Error(`database down, ${CLIENT_SECRET}`);
    const reported: unknown[] = [];
    const handler = hubriseWebhookHandler({
      clientSecret: CLIENT_SECRET,
      on: {
        "order.create": async () => {
          throw failure;
        },
      },
      onError: (error) => {
        reported.push(error);
        throw new Error("the logger fails too");
      },
    });
    const order = events.find((e) => e.name === "order.create")!;
    const response = await handler(callbackRequest(order.body));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("the webhook callback failed");
    expect(reported).toEqual([failure]);
    // Refusals are reported too.
    await handler(callbackRequest(order.body, { signature: null }));
    expect(reported[1]).toBeInstanceOf(WebhookError);
  });

  it("answers with the Response a callback returns", async () => {
    const handler = hubriseWebhookHandler({
      clientSecret: CLIENT_SECRET,
      on: { "customer.update": () => new Response("later", { status: 202 }) },
    });
    const e = events.find((x) => x.name === "customer.update")!;
    const response = await handler(callbackRequest(e.body));
    expect([response.status, await response.text()]).toEqual([202, "later"]);
  });

  it("is a TypeError to configure without a secret, with an event HubRise does not send, or a non-function", () => {
    const make = (options: unknown) => () =>
      hubriseWebhookHandler(options as Parameters<typeof hubriseWebhookHandler>[0]);
    expect(make({ clientSecret: "", on: {} })).toThrow(TypeError);
    expect(make({ on: {} })).toThrow(TypeError);
    expect(make({ clientSecret: CLIENT_SECRET })).toThrow(TypeError);
    expect(make({ clientSecret: CLIENT_SECRET, on: { "order.created": () => 1 } })).toThrow(
      /order\.created/,
    );
    expect(make({ clientSecret: CLIENT_SECRET, on: { "order.create": "x" } })).toThrow(TypeError);
    expect(make({ clientSecret: CLIENT_SECRET, on: {}, maxBytes: -1 })).toThrow(TypeError);
  });

  it("narrows at run time as the types say", async () => {
    const e = events.find((x) => x.name === "order.update")!;
    const event = await constructHubriseEvent(
      e.body,
      { "x-hubrise-hmac-sha256": sign(e.body) },
      CLIENT_SECRET,
    );
    if (!isKnownHubriseEvent(event)) throw new Error("known");
    const known: HubriseEvent = event;
    expect(known.resource_type === "order" ? known.order_id : undefined).toBe(e.event.order_id);
  });
});
