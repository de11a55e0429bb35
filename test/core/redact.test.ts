import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/core/errors.js";
import { base64 } from "../../src/core/base64.js";
import { REDACTED, Secrets } from "../../src/core/redact.js";

const SECRET = "tok/en+ 9f3a=c0de";

describe("Secrets (redaction)", () => {
  it("removes a secret in every form a server may echo it in", () => {
    const secrets = new Secrets([SECRET]);
    const forms = [
      SECRET,
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).toLowerCase(),
      new URLSearchParams({ t: SECRET }).toString().slice(2),
      base64(SECRET),
      JSON.stringify(SECRET).slice(1, -1),
    ];
    for (const form of forms) {
      expect(secrets.redact(`a ${form} b ${form}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
    }
  });

  it("redacts before it cuts, so no cut leaves the start of a secret behind", () => {
    const secrets = new Secrets([SECRET]);
    for (let at = 0; at < 40; at++) {
      const text = `${"x".repeat(at)}${SECRET}${"y".repeat(40)}`;
      const cut = secrets.cut(text, 30);
      expect(cut.length).toBeLessThanOrEqual(31 + REDACTED.length);
      for (let k = 6; k <= SECRET.length; k++) expect(cut).not.toContain(SECRET.slice(0, k));
    }
  });

  it("drops a secret's start (6 characters or more) at the end of a text the server cut", () => {
    const secrets = new Secrets([SECRET]);
    expect(secrets.redact(`token=${SECRET.slice(0, 9)}`)).toBe(`token=${REDACTED}`);
    expect(secrets.redact(`token=${SECRET.slice(0, 5)}`)).toBe(`token=${SECRET.slice(0, 5)}`);
  });

  it("redacts nested JSON values, copying only when something was found", () => {
    const secrets = new Secrets([SECRET]);
    const clean = { m: ["nothing"], n: 1 };
    expect(secrets.redactValue(clean)).toBe(clean);
    expect(
      secrets.redactValue({ m: [`x ${SECRET}`], n: 1, cut: `echo ${SECRET.slice(0, 8)}` }),
    ).toEqual({ m: [`x ${REDACTED}`], n: 1, cut: `echo ${REDACTED}` });
  });

  it("learns secrets later (a refreshed token) and ignores strings too short to be one", () => {
    const secrets = new Secrets(["abc", undefined]);
    expect(secrets.redact("abc")).toBe("abc");
    secrets.add("fresh-token-123");
    expect(secrets.redact("bearer fresh-token-123")).toBe(`bearer ${REDACTED}`);
  });

  it("keeps a secret out of ApiError's message, body and body text, cut or not", () => {
    const secrets = new Secrets([SECRET]);
    const err = new ApiError(
      { vendor: "V", operation: "GET /x", secrets },
      {
        status: 401,
        body: { message: `bad ${SECRET}`, padding: "p".repeat(290) },
        bodyText: `${"<p>".repeat(164)}${SECRET}</p>`, // straddles the 500-character cut
      },
    );
    const printed = JSON.stringify({ ...err, message: err.message, stack: err.stack });
    for (let k = 6; k <= SECRET.length; k++) expect(printed).not.toContain(SECRET.slice(0, k));
  });
});
