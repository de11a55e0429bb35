import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/core/http/retry-after.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-23T10:00:00Z");
  it.each([
    ["30", 30_000],
    [" 0 ", 0],
    ["Mon, 23 Nov 2026 10:01:30 GMT", 90_000],
    ["Mon, 23 Nov 2026 09:00:00 GMT", 0], // a date in the past means "now"
  ])("%j → %d ms", (value, ms) => expect(parseRetryAfter(value, now)).toBe(ms));
  it.each([null, "", "1.5", "-3", "soon", "30s"])("ignores %j", (value) =>
    expect(parseRetryAfter(value, now)).toBeUndefined(),
  );
});
