import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/core/http/retry-after.js";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-23T10:00:00Z");

  it.each([
    ["30", 30_000],
    [" 0 ", 0],
    ["0030", 30_000],
    ["86400", DAY_MS],
    ["86401", DAY_MS], // capped at a day
    ["9".repeat(64), DAY_MS], // still a finite number
    ["Mon, 23 Nov 2026 10:01:30 GMT", 90_000],
    ["Mon, 23 Nov 2026 09:00:00 GMT", 0], // a date in the past means "now"
    ["Mon, 23 Nov 2026 10:00:60 GMT", 60_000], // a leap second
    ["Monday, 23-Nov-26 10:01:30 GMT", 90_000],
    ["Mon Nov 23 10:01:30 2026", 90_000],
    ["\tMon Nov 23 10:01:30 2026 ", 90_000],
    ["Sat, 29 Feb 2020 00:00:00 GMT", 0], // a leap day, in the past
    ["Sun, 06 Nov 1994 08:49:37 GMT", 0],
    ["Sunday, 06-Nov-94 08:49:37 GMT", 0], // 1994, not 2094
    ["Sunday, 06-Nov-77 08:49:37 GMT", 0], // 2077 is more than 50 years away: 1977
    ["Friday, 06-Nov-76 08:49:37 GMT", DAY_MS], // 2076
    ["Sun Nov  6 08:49:37 1994", 0],
  ])("%j → %d ms", (value, ms) => expect(parseRetryAfter(value, now)).toBe(ms));

  it.each([
    ["Tue Dec  1 10:00:00 2026", "2026-12-01T09:59:00Z", 60_000],
    ["Tue Dec 01 10:00:00 2026", "2026-12-01T09:59:00Z", 60_000],
    ["Saturday, 01-Jan-00 00:00:30 GMT", "1999-12-31T23:59:30Z", 60_000], // 2000, not 1900
    ["Wednesday, 01-Jan-70 00:00:30 GMT", "2070-01-01T00:00:00Z", 30_000], // 2070, not 1970
    ["Mon, 01 Jan 0001 00:00:30 GMT", "0001-01-01T00:00:00Z", 30_000], // not 1901
  ])("%j at %s → %d ms", (value, at, ms) =>
    expect(parseRetryAfter(value, Date.parse(at))).toBe(ms),
  );

  it.each([
    null,
    "",
    " ",
    "1.5",
    "-3",
    "+3",
    "1e3",
    "0x10",
    "soon",
    "30s",
    "3 0",
    "a 1", // Date.parse reads it as 2001-01-01
    "1 2",
    "9".repeat(400), // over the length bound
    "２０", // full-width digits
    "Sun, 06 Nov 1994 08:49:37 PST",
    "Sun, 06 Nov 1994 08:49:37 +0000",
    "Sun, 06 Nov 1994 08:49:37",
    "sun, 06 nov 1994 08:49:37 gmt", // HTTP-date is case-sensitive
    "Sun, 6 Nov 1994 08:49:37 GMT",
    "Sun,  06 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 94 08:49:37 GMT",
    "Sun, 06 November 1994 08:49:37 GMT",
    "Sunday, 06 Nov 1994 08:49:37 GMT",
    "Sun, 06-Nov-94 08:49:37 GMT",
    "Sunday, 06-Nov-1994 08:49:37 GMT",
    "Sun Nov 6 08:49:37 1994",
    "Sun Nov  6 08:49:37 1994 GMT",
    "Mon, 30 Feb 2026 10:00:00 GMT",
    "Sun, 29 Feb 2026 10:00:00 GMT", // 2026 is not a leap year
    "Thu, 29 Feb 1900 10:00:00 GMT", // nor is 1900
    "Mon, 31 Apr 2026 10:00:00 GMT",
    "Mon, 00 Nov 2026 10:00:00 GMT",
    "Mon, 32 Nov 2026 10:00:00 GMT",
    "Mon, 23 Nov 2026 24:00:00 GMT",
    "Mon, 23 Nov 2026 10:60:00 GMT",
    "Mon, 23 Nov 2026 10:00:61 GMT",
    "Mon, 23 Nov 2026 1:00:00 GMT",
    "2026-11-23T10:01:30Z",
    "Nov 23 2026",
    "23 Nov 2026 10:01:30 GMT",
  ])("ignores %j", (value) => expect(parseRetryAfter(value, now)).toBeUndefined());
});
