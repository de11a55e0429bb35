// How Hiboutik writes values on the wire: dates in the store's local time without a zone
// (`2021-06-02 11:53:55`, the zero date `0000-00-00 00:00:00` for "none", never null), amounts as
// decimal strings with two decimals (kept here in integer cents, so totals never drift), VAT rates
// as fraction strings (`"0.200"`) and, in sale lines only, as percent numbers (`20`).

export const ZERO_DATE = "0000-00-00";
export const ZERO_DATE_TIME = "0000-00-00 00:00:00";

/** The zone the sandbox's stores keep their local times in (a French shop's, by default). */
export const DEFAULT_TIME_ZONE = "Europe/Paris";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD HH:MM:SS` of an instant in `timeZone`. */
export function localDateTime(ms: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(new Date(ms))) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** `YYYY-MM-DD` of day `n` after `start` (`YYYY-MM-DD`), calendar arithmetic only. */
export function addDays(start: string, n: number): string {
  const [y, m, d] = start.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The day of the week of a date, 1 (Monday) to 7 (Sunday). */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The number of days of a month (`mm` 1–12). */
export function daysInMonth(yyyy: number, mm: number): number {
  return new Date(Date.UTC(yyyy, mm, 0)).getUTCDate();
}

/** The date part parts of a local date-time, zero date included (`"0000"`, `"00"`). */
export function dateParts(dateTime: string) {
  return {
    date: dateTime.slice(0, 10),
    yyyy: dateTime.slice(0, 4),
    mm: dateTime.slice(5, 7),
    dd: dateTime.slice(8, 10),
    hh: dateTime.slice(11, 13),
    min: dateTime.slice(14, 16),
    ss: dateTime.slice(17, 19),
  };
}

/** `20210602` for `2021-06-02 …`: the Z day as Hiboutik writes it. */
export const zDay = (dateTime: string) => Number(dateTime.slice(0, 10).replaceAll("-", ""));

/** Cents as Hiboutik's Money (`"-12.50"`). */
export function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A decimal string (`"9.6667"`, `"-10"`) in cents, rounded half away from zero; undefined if not one. */
export function cents(text: string): number | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const whole = Number(m[2]);
  const fraction = m[3] ?? "";
  const value =
    whole * 100 + Number((fraction + "00").slice(0, 2)) + (Number(fraction[2] ?? 0) >= 5 ? 1 : 0);
  return Number.isSafeInteger(value) ? (m[1] ? -value : value) : undefined;
}

/** A VAT fraction (`"0.200"`) as a number of ten-thousandths of a percent, exact (`200000`). */
export function vatMillionths(vat: string): number {
  const [whole, fraction = ""] = vat.split(".");
  return Number(whole) * 1_000_000 + Number((fraction + "000000").slice(0, 6));
}

/** The rate of a fraction in percent, as a JSON number (`"0.05500"` → 5.5). */
export const vatPercent = (vat: string) => vatMillionths(vat) / 10_000;

/** A gross amount's net part at a VAT fraction, rounded to the cent. */
export function netOf(grossCents: number, vat: string): number {
  return Math.round((grossCents * 1_000_000) / (1_000_000 + vatMillionths(vat)));
}

/** A net amount with its VAT added, rounded to the cent. */
export function grossOf(netCents: number, vat: string): number {
  return Math.round((netCents * (1_000_000 + vatMillionths(vat))) / 1_000_000);
}

/** An EAN-13 from its first 12 digits. */
export function ean13(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return twelve + String((10 - (sum % 10)) % 10);
}

/** Hiboutik's own barcode of a product (`2430000000232` for product 23), or of one of its sizes. */
export function productBarcode(productId: number, sizeId = 0): string {
  return sizeId === 0
    ? ean13(`243${String(productId).padStart(9, "0")}`)
    : ean13(
        `24${String(productId % 10_000_000).padStart(7, "0")}${String(sizeId % 1000).padStart(3, "0")}`,
      );
}

/** A 0/1 flag as the API writes it. */
export const flag = (value: unknown): 0 | 1 => (value === 1 || value === "1" ? 1 : 0);
