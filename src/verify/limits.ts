// The bounds verify works within: a recording is read once, as a stream, and nothing in it can
// make verify hold more than one exchange (one NDJSON line, one HAR entry) in memory at a time.
// Whatever exceeds a bound is skipped and counted; the summary prints both.
const MiB = 2 ** 20;

export const VERIFY_LIMITS = {
  /** One NDJSON line (one exchange, its body included). */
  maxLineBytes: 64 * MiB,
  /** One HAR entry (request and response, bodies included). */
  maxEntryBytes: 64 * MiB,
  /** A body once decoded (base64, then gzip/deflate/br when the producer left it compressed). */
  maxBodyBytes: 32 * MiB,
  /** Distinct enum values proposed for one schema; more: the field is not an enum (review). */
  maxEnumValues: 20,
  /**
   * Distinct undocumented names under one object of one operation; more: the object is a map
   * keyed by data (ids…), proposed as `additionalProperties`, its keys never printed.
   */
  maxExtraNames: 16,
  /** Re-validations after removing undocumented fields (see extra-fields.ts). */
  maxStrictRounds: 4,
  /** Schema violations kept for one body (Ajv's first ones: the useful ones). */
  maxViolationsPerBody: 1_000,
} as const;

export const formatBytes = (n: number) =>
  n >= MiB ? `${(n / MiB).toFixed(0)} MiB` : `${(n / 1024).toFixed(0)} KiB`;
