// Redaction over arbitrary text: whatever a server sends around a credential, in whatever form it
// echoes it, no redacted text holds the credential, no cut text ends with its start, and nothing
// throws or takes long.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64 } from "../../src/core/base64.js";
import { Secrets } from "../../src/core/redact.js";

/**
 * Generous: catches a quadratic or exponential redaction (seconds on 64 KB), not a performance
 * claim.
 */
const BOUND_MS = 250;
const RUNS = { numRuns: 150 };

/** Credentials as vendors issue them: 8 to 64 characters of a token alphabet. */
const secret = fc.string({
  unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/="),
  minLength: 8,
  maxLength: 64,
});
/** The forms a server may echo a credential in. */
const FORMS: ((s: string) => string)[] = [
  (s) => s,
  encodeURIComponent,
  (s) => new URLSearchParams({ s }).toString().slice(2),
  base64,
  (s) => JSON.stringify(s).slice(1, -1),
];
/** Text around the echoes: anything, including the characters the forms use. */
const noise = fc.string({ unit: "binary", maxLength: 2_048 });
const bigNoise = fc
  .tuple(fc.string({ unit: "grapheme", maxLength: 4_096 }), fc.integer({ min: 1, max: 16 }))
  .map(([chunk, times]) => chunk.repeat(times).slice(0, 64 * 1024));

/** A text with each secret echoed, in a random form, at random places. */
const echoing = fc
  .tuple(
    fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }),
    fc.array(noise, { minLength: 1, maxLength: 6 }),
    fc.nat(),
  )
  .map(([secrets, pieces, seed]) => {
    let text = "";
    pieces.forEach((piece, i) => {
      const s = secrets[(seed + i) % secrets.length]!;
      text += piece + FORMS[(seed + i) % FORMS.length]!(s);
    });
    return { secrets, text };
  });

function timed<T>(fn: () => T): T {
  const started = performance.now();
  const result = fn();
  expect(performance.now() - started).toBeLessThan(BOUND_MS);
  return result;
}

describe("redaction (property)", () => {
  it("leaves no form of any secret in the text", () => {
    fc.assert(
      fc.property(echoing, ({ secrets, text }) => {
        const redacted = timed(() => new Secrets(secrets).redact(text));
        for (const s of secrets) for (const form of FORMS) expect(redacted).not.toContain(form(s));
      }),
      RUNS,
    );
  });

  it("cuts after redacting: no cut ends with 6 or more characters of a secret", () => {
    fc.assert(
      fc.property(echoing, fc.nat({ max: 3_000 }), ({ secrets, text }, max) => {
        const cut = timed(() => new Secrets(secrets).cut(text, max));
        const body = cut.endsWith("…") ? cut.slice(0, -1) : cut;
        for (const s of secrets) {
          for (const form of FORMS.map((f) => f(s))) {
            expect(body).not.toContain(form);
            for (let k = 6; k < form.length; k++)
              expect(body.endsWith(form.slice(0, k))).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it("redacts every string inside JSON values, keeping their shape", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(secret, { minLength: 1, maxLength: 3 }),
        fc.jsonValue(),
        (secrets, value) => {
          const withEcho = { value, echo: [`token ${secrets[0]}`, { nested: secrets.join(" ") }] };
          const redacted = timed(() => new Secrets(secrets).redactValue(withEcho));
          const json = JSON.stringify(redacted);
          for (const s of secrets) expect(json).not.toContain(JSON.stringify(s).slice(1, -1));
          expect(Object.keys(redacted)).toEqual(["value", "echo"]);
        },
      ),
      RUNS,
    );
  });

  it("never throws and stays fast on arbitrary text up to 64 KB", () => {
    fc.assert(
      fc.property(fc.oneof(noise, bigNoise), secret, fc.nat({ max: 70_000 }), (text, s, max) => {
        const secrets = new Secrets([s]);
        timed(() => secrets.redact(text));
        timed(() => secrets.cut(text, max));
      }),
      { numRuns: 100 },
    );
  });
});
