// Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Anything else (a
// fraction, a sign, a date in another format or time zone) is ignored, and the caller falls back to
// its own backoff. Nothing here calls Date.parse: it accepts almost anything, and reads `a 1` as a
// date in 2001, so a garbled header made the client retry at once.

/** Longer values are not Retry-After values; refusing them keeps parsing bounded. */
const RETRY_AFTER_LIMIT = 64;
/** A day: callers cap their waits far below it. The cap keeps a huge delay-seconds finite. */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000;

/** Milliseconds to wait from `now` (0 for a past date, at most a day); undefined when malformed. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.length > RETRY_AFTER_LIMIT) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_WAIT_MS);
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.min(Math.max(0, date - now), MAX_WAIT_MS);
}

const DAY_NAMES = "Mon|Tue|Wed|Thu|Fri|Sat|Sun";
const LONG_DAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = `(${MONTHS.join("|")})`;
const TIME = String.raw`(\d\d):(\d\d):(\d\d)`;

// The three forms of RFC 9110 §5.6.7, case-sensitive as it says. Fixed-width fields and no
// repetition: matching cannot backtrack.
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(String.raw`^(?:${DAY_NAMES}), (\d\d) ${MONTH} (\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete) */
const RFC850_DATE = new RegExp(
  String.raw`^(?:${LONG_DAY_NAMES}), (\d\d)-${MONTH}-(\d\d) ${TIME} GMT$`,
);
/** `Sun Nov  6 08:49:37 1994` (obsolete; the day is padded with a space) */
const ASCTIME_DATE = new RegExp(String.raw`^(?:${DAY_NAMES}) ${MONTH} ([ \d]\d) ${TIME} (\d{4})$`);

/** An HTTP-date as milliseconds since the epoch; undefined when malformed or impossible. */
function parseHttpDate(text: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utcTime(Number(m[3]), m[2]!, Number(m[1]), m.slice(4));
  m = RFC850_DATE.exec(text);
  if (m) return utcTime(fullYear(Number(m[3]), now), m[2]!, Number(m[1]), m.slice(4));
  m = ASCTIME_DATE.exec(text);
  if (m) return utcTime(Number(m[6]), m[1]!, Number(m[2]), m.slice(3, 6));
  return undefined;
}

/**
 * The year with these last two digits nearest to now: RFC 9110 §5.6.7 reads one that would be more
 * than 50 years in the future as the most recent past year with those digits.
 */
function fullYear(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  const year = thisYear - (thisYear % 100) + twoDigits;
  if (year > thisYear + 50) return year - 100;
  if (year <= thisYear - 50) return year + 100;
  return year;
}

/** 400 Gregorian years hold exactly 146,097 days. */
const FOUR_CENTURIES_MS = 146_097 * 24 * 60 * 60 * 1000;

function utcTime(year: number, monthName: string, day: number, time: string[]): number | undefined {
  const month = MONTHS.indexOf(monthName);
  const [hour, minute, second] = time.map(Number) as [number, number, number];
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined; // 60: a leap second
  // Date.UTC reads years 0–99 as 1900–1999: take the same day 400 years later (same calendar).
  if (year < 100) return Date.UTC(year + 400, month, day, hour, minute, second) - FOUR_CENTURIES_MS;
  return Date.UTC(year, month, day, hour, minute, second);
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;
}
