import { describe, expect, it } from "vitest";
import { redact, redactValue } from "../../src/core/redact.js";
import { ApiError } from "../../src/core/errors.js";

describe("redaction", () => {
  it("removes every occurrence of a secret from text and from nested bodies", () => {
    expect(redact("a tok-123 b tok-123", ["tok-123"])).toBe("a [redacted] b [redacted]");
    expect(redactValue({ m: ["x tok-123"], n: 1 }, ["tok-123"])).toEqual({
      m: ["x [redacted]"],
      n: 1,
    });
  });
  it("keeps a secret out of ApiError's message, body and body text", () => {
    const secret = "s3cr3t-token";
    const err = new ApiError(
      { vendor: "V", operation: "GET /x", secrets: [secret] },
      { status: 401, body: { message: `bad ${secret}` }, bodyText: `<p>${secret}</p>` },
    );
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(
      secret,
    );
  });
});
