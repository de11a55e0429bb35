import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyHubriseSignature } from "../../src/hubrise/index.js";

// The event sample of HubRise's Callbacks documentation, as raw bytes.
const body =
  '{"id":"ks8f6","resource_type":"customer","event_type":"update","created_at":"2020-06-25T11:43:51+02:00",' +
  '"customer_id":"ve343","customer_list_id":"sdakm","previous_state":{"first_name":"Thomas"},"new_state":{"first_name":"Tom"}}';
const secret = "client-secret-123";
const signature = createHmac("sha256", secret).update(body).digest("hex");

describe("verifyHubriseSignature", () => {
  it("accepts the hex HMAC-SHA256 of the raw body keyed with the client secret (string or bytes, any hex case)", async () => {
    expect(await verifyHubriseSignature(body, signature, secret)).toBe(true);
    expect(
      await verifyHubriseSignature(new TextEncoder().encode(body), signature.toUpperCase(), secret),
    ).toBe(true);
  });

  it("rejects another body, another secret, and missing or malformed headers", async () => {
    expect(await verifyHubriseSignature(body.replace("Tom", "Tim"), signature, secret)).toBe(false);
    expect(await verifyHubriseSignature(body, signature, "other-secret")).toBe(false);
    expect(
      await verifyHubriseSignature(JSON.stringify(JSON.parse(body), null, 2), signature, secret),
    ).toBe(false); // re-serialized
    for (const header of [
      undefined,
      null,
      "",
      "zz",
      signature.slice(0, 63),
      `${signature}00`,
      `sha256=${signature}`,
    ]) {
      expect(await verifyHubriseSignature(body, header, secret), String(header)).toBe(false);
    }
  });
});

describe("verifyHubriseSignature without a secret", () => {
  it("is a configuration error, never true, even for a signature made with an empty key", async () => {
    const signedWithEmptyKey = createHmac("sha256", "").update(body).digest("hex");
    for (const missing of ["", undefined, null]) {
      await expect(
        verifyHubriseSignature(body, signedWithEmptyKey, missing as unknown as string),
      ).rejects.toThrow(TypeError);
    }
  });
});
