// The shared webhook machinery: header lookup from a web Headers or a Node headers object, the
// bounded raw-body read, and constructHubriseEvent over arbitrary signed bodies and headers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ErrorContext, WebhookError } from "../../src/core/errors.js";
import { Secrets } from "../../src/core/redact.js";
import { headerValue } from "../../src/core/webhooks/headers.js";
import { readRawBody } from "../../src/core/webhooks/raw-body.js";
import { constructHubriseEvent } from "../../src/hubrise/index.js";
import { CLIENT_SECRET, sign } from "./support/hubrise.js";

const ctx: ErrorContext = { vendor: "Test", operation: "webhook", secrets: new Secrets() };

describe("headerValue", () => {
  it("reads a web Headers and a Node headers object, whatever the name's case", () => {
    const headers = new Headers({ "X-HubRise-Hmac-SHA256": "abc" });
    expect(headerValue(headers, "x-hubrise-hmac-sha256")).toBe("abc");
    expect(headerValue(headers, "X-Other")).toBeUndefined();
    expect(headerValue({ "x-hubrise-hmac-sha256": "abc" }, "X-HubRise-Hmac-SHA256")).toBe("abc");
    expect(headerValue({ "X-HUBRISE-HMAC-SHA256": "abc" }, "x-hubrise-hmac-sha256")).toBe("abc");
    expect(headerValue({ a: undefined }, "a")).toBeUndefined();
    expect(headerValue({ a: [] }, "a")).toBeUndefined();
    expect(headerValue({}, "a")).toBeUndefined();
  });

  it("joins repeated values as Headers.get does", () => {
    expect(headerValue({ a: ["1", "2"] }, "a")).toBe("1, 2");
    expect(headerValue({ a: "1", A: "2" }, "a")).toBe("1, 2");
    const headers = new Headers();
    headers.append("a", "1");
    headers.append("a", "2");
    expect(headerValue(headers, "a")).toBe("1, 2");
  });

  it("is not fooled by a header named get", () => {
    expect(headerValue({ get: "x", forEach: "y", a: "1" }, "a")).toBe("1");
  });
});

describe("readRawBody", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
    new Request("https://app.example/hook", { method: "POST", body, headers });

  it("reads the bytes as sent, up to the cap included", async () => {
    const bytes = new Uint8Array([0, 255, 10, 13, 0xe2, 0x82]);
    expect(await readRawBody(post(bytes), 6, ctx)).toEqual(bytes);
    expect(await readRawBody(post(null), 6, ctx)).toEqual(new Uint8Array(0));
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of [[1, 2], [3], [4, 5, 6]]) controller.enqueue(new Uint8Array(c));
        controller.close();
      },
    });
    const streamed = new Request("https://app.example/hook", {
      method: "POST",
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(await readRawBody(streamed, 6, ctx)).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6]));
  });

  it("refuses a declared Content-Length over the cap before reading, and a longer stream as it reads", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(100));
      },
    });
    const declared = new Request("https://app.example/hook", {
      method: "POST",
      body,
      headers: { "content-length": "1000" },
      duplex: "half",
    } as RequestInit);
    await expect(readRawBody(declared, 999, ctx)).rejects.toMatchObject({ reason: "too-large" });
    expect(pulled).toBeLessThanOrEqual(1);
    await expect(readRawBody(post(new Uint8Array(7)), 6, ctx)).rejects.toBeInstanceOf(WebhookError);
  });
});

describe("constructHubriseEvent on arbitrary input", () => {
  const anyText = fc.string({ unit: "binary", maxLength: 2000 });
  const json = fc.json({ maxDepth: 4 });

  it("returns an event or refuses with a WebhookError, for any signed body", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyText, json), async (body) => {
        try {
          const event = await constructHubriseEvent(
            body,
            { "x-hubrise-hmac-sha256": sign(body) },
            CLIENT_SECRET,
          );
          expect(typeof event.resource_type).toBe("string");
          expect(typeof event.event_type).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(WebhookError);
          expect((error as WebhookError).reason).toBe("malformed-body");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses any other signature header as missing or bad", async () => {
    const body = '{"resource_type":"order","event_type":"create"}';
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 200 }), async (signature) => {
        fc.pre(signature.trim().toLowerCase() !== sign(body));
        const error = await constructHubriseEvent(
          body,
          { "x-hubrise-hmac-sha256": signature },
          CLIENT_SECRET,
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WebhookError);
        expect((error as WebhookError).status).toBe(401);
      }),
      { numRuns: 300 },
    );
  });
});
