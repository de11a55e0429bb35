// HubRise's value formats (General Concepts §5): money is text with two decimals and the currency
// (`"8.90 EUR"`), quantities and balances are decimal text (`"1.0"`, `"-2.5"`), times are ISO 8601
// with the location's UTC offset (`"2021-06-24T17:07:53+02:00"`). Arithmetic runs on integers
// (cents, thousandths) so that totals add up exactly.

/** `"8.90 EUR"` → 890 cents and the currency; undefined when it is not money. */
export function parseMoney(text: string): { cents: number; currency: string } | undefined {
  const m = /^(-?)(\d+)\.(\d{2}) ([A-Z]{3})$/.exec(text);
  if (!m) return undefined;
  const cents = Number(m[2]) * 100 + Number(m[3]);
  return { cents: m[1] ? -cents : cents, currency: m[4]! };
}

/** 890 cents → `"8.90 EUR"`. */
export function money(cents: number, currency: string): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${currency}`;
}

/** A decimal text in thousandths (`"2.5"` → 2500); three decimals are kept, the rest rounded. */
export function parseDecimal(text: string): number {
  return Math.round(Number(text) * 1000);
}

/** Thousandths as HubRise writes decimals: at least one decimal (`2500` → `"2.5"`, `0` → `"0.0"`). */
export function decimal(thousandths: number): string {
  const sign = thousandths < 0 ? "-" : "";
  const abs = Math.abs(Math.round(thousandths));
  const fraction = String(abs % 1000)
    .padStart(3, "0")
    .replace(/0+$/, "");
  return `${sign}${Math.floor(abs / 1000)}.${fraction || "0"}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone, hour index → the zone's UTC offset in that hour (zones change offset on whole hours). */
const offsets = new Map<string, Map<number, { text: string; ms: number }>>();
const MAX_OFFSETS = 200_000;

function offsetAt(ms: number, timeZone: string): { text: string; ms: number } {
  let zone = offsets.get(timeZone);
  if (zone === undefined) offsets.set(timeZone, (zone = new Map()));
  const key = Math.floor(ms / 3_600_000);
  let offset = zone.get(key);
  if (offset === undefined) {
    let format = formatters.get(timeZone);
    if (format === undefined) {
      format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
      formatters.set(timeZone, format);
    }
    const name = format.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value;
    const text = (name ?? "GMT").replace("GMT", "") || "+00:00";
    const sign = text.startsWith("-") ? -1 : 1;
    offset = {
      text,
      ms: sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * 60_000,
    };
    if (zone.size >= MAX_OFFSETS) zone.clear();
    zone.set(key, offset);
  }
  return offset;
}

/** `ms` as HubRise writes a time: the wall clock of `timeZone` with its UTC offset (to the second). */
export function hubriseTime(ms: number, timeZone: string): string {
  const offset = offsetAt(ms, timeZone);
  return new Date(ms + offset.ms).toISOString().slice(0, 19) + offset.text;
}

/** A calendar date (`YYYY-MM-DD`) of `ms` in UTC. */
export const calendarDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Custom fields merged as HubRise merges them: a `null` value removes its key (Extensions). */
export function mergeCustomFields(
  before: Record<string, unknown> | undefined,
  update: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...before };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
