// The answer the clients hand back after reading its body: a Response to its users without running
// Response's constructor (see buffered-response.ts). Every accessor a user or openapi-fetch reads
// must answer, each body method once, and what Response's constructor refuses is refused.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { bufferedResponse } from "../../src/core/http/buffered-response.js";

const from = (status = 200, headers: Record<string, string> = {}) =>
  new Response(null, { status, statusText: "Fine", headers });
const bytes = new TextEncoder().encode('{"a":1}');

describe("bufferedResponse", () => {
  it("is a Response with the answer's status, headers and URL", () => {
    const original = from(201, { "Content-Type": "application/json" });
    const response = bufferedResponse(bytes, original);
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.statusText, response.ok, response.type]).toEqual([
      201,
      "Fine",
      true,
      original.type,
    ]);
    expect(response.headers).toBe(original.headers);
    expect([response.url, response.redirected, response.bodyUsed]).toEqual(["", false, false]);
    expect(() => inspect(response)).not.toThrow();
  });

  it("serves the bytes once, through any body method or the stream", async () => {
    expect(await bufferedResponse(bytes, from()).json()).toEqual({ a: 1 });
    expect(await bufferedResponse(bytes, from()).text()).toBe('{"a":1}');
    expect(new Uint8Array(await bufferedResponse(bytes, from()).arrayBuffer())).toEqual(bytes);
    expect(await bufferedResponse(bytes, from()).bytes()).toEqual(bytes);
    expect(await new Response(bufferedResponse(bytes, from()).body).text()).toBe('{"a":1}');
    const once = bufferedResponse(bytes, from());
    const copy = once.clone();
    await once.text();
    expect(once.bodyUsed).toBe(true);
    await expect(once.json()).rejects.toThrow(TypeError);
    expect(() => once.clone()).toThrow(TypeError);
    expect(await copy.json()).toEqual({ a: 1 });
  });

  it("refuses a status no Response can carry", () => {
    const odd = { ...from(), status: 999 } as unknown as Response;
    expect(() => bufferedResponse(bytes, odd)).toThrow(RangeError);
    const informational = { ...from(), status: 101 } as unknown as Response;
    expect(() => bufferedResponse(bytes, informational)).toThrow(RangeError);
  });
});
