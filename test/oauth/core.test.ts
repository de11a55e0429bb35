// The vendor-neutral pieces of the OAuth flow: the state (fresh, unguessable, compared in constant
// time), the authorize URL, the callback's checks and the absolute expiry.
import { describe, expect, it } from "vitest";
import { authorizeUrl, codeFromCallback } from "../../src/core/oauth/authorize.js";
import { newState, verifyState } from "../../src/core/oauth/state.js";
import { expiresAtFrom } from "../../src/core/oauth/tokens.js";
import { OAuthError } from "../../src/core/errors.js";
import { Secrets } from "../../src/core/redact.js";

const ctx = () => ({ vendor: "Test", operation: "callback", secrets: new Secrets() });

describe("state", () => {
  it("is 256 random bits, base64url, never repeated", () => {
    const states = new Set(Array.from({ length: 1_000 }, newState));
    expect(states.size).toBe(1_000);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("verifyState: true only for the same non-empty string", () => {
    const state = newState();
    expect(verifyState(state, state)).toBe(true);
    expect(verifyState(`${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`, state)).toBe(
      false,
    );
    expect(verifyState(state.slice(1), state)).toBe(false);
    expect(verifyState(`${state}x`, state)).toBe(false);
    for (const missing of [undefined, null, "", 42, {}]) {
      expect(verifyState(missing, state)).toBe(false);
      expect(verifyState(state, missing)).toBe(false);
    }
    expect(verifyState("", "")).toBe(false);
  });

  it("verifyState compares every character (no exit at the first difference)", () => {
    // Timing tests are flaky; the shape of the code is not: one loop over every character,
    // accumulating the differences, with no return or break inside it.
    const source = String(verifyState);
    const loop = /for \([^)]*\)\s*\{?([^}]*)\}?/.exec(source);
    expect(loop, source).not.toBeNull();
    expect(loop![1]).toMatch(/\|=/);
    expect(loop![1]).not.toMatch(/\breturn\b|\bbreak\b/);
    expect(source.match(/\breturn\b/g)).toHaveLength(3); // two guards and the final answer
  });
});

describe("authorizeUrl", () => {
  it("adds the parameters given, leaves out undefined ones, and a fresh state", () => {
    const a = authorizeUrl("https://auth.example/authorize?keep=1", {
      client_id: "app",
      scope: "location[orders.read],profile",
      device_id: undefined,
    });
    const b = authorizeUrl("https://auth.example/authorize", { client_id: "app" });
    const url = new URL(a.url);
    expect(url.origin + url.pathname).toBe("https://auth.example/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      keep: "1",
      client_id: "app",
      scope: "location[orders.read],profile",
      state: a.state,
    });
    expect(a.state).not.toBe(b.state);
  });
});

describe("codeFromCallback", () => {
  it("returns the code when the state matches, and remembers it as a secret", () => {
    const c = ctx();
    const code = codeFromCallback("/cb?code=abcdef123456&state=s-1", "s-1", c);
    expect(code).toBe("abcdef123456");
    expect(c.secrets.redact("abcdef123456")).toBe("[redacted]");
    expect(codeFromCallback(new URLSearchParams({ code: "c0de42", state: "s" }), "s", c)).toBe(
      "c0de42",
    );
  });

  it("refuses a denial, a wrong or missing state, and a missing code", () => {
    const denied = () =>
      codeFromCallback(
        "https://app.example/cb?error=access_denied&error_description=No+way",
        "s",
        ctx(),
      );
    expect(denied).toThrow(OAuthError);
    try {
      denied();
    } catch (err) {
      expect(err).toMatchObject({ error: "access_denied", errorDescription: "No way" });
    }
    expect(() => codeFromCallback("/cb?code=c0de42&state=other", "s", ctx())).toThrow(
      /state is not the one sent/,
    );
    expect(() => codeFromCallback("/cb?code=c0de42", "s", ctx())).toThrow(/state/);
    expect(() => codeFromCallback("/cb?state=s", "s", ctx())).toThrow(/no code/);
    expect(() => codeFromCallback(`/cb?x=${"a".repeat(20_000)}`, "s", ctx())).toThrow(OAuthError);
  });
});

describe("expiresAtFrom", () => {
  it("is the send time plus expires_in seconds; undefined without a usable lifetime", () => {
    expect(expiresAtFrom(3_600, 1_000)).toBe(3_601_000);
    expect(expiresAtFrom("16000000", 0)).toBe(16_000_000_000);
    expect(expiresAtFrom(0, 5)).toBe(5);
    for (const none of [undefined, null, -1, "soon", Number.NaN, Infinity, "1e3"])
      expect(expiresAtFrom(none, 0)).toBeUndefined();
  });
});
