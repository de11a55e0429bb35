/**
 * A recorded exchange: one answered call of a client, as its `record` sink receives it and as
 * `commerce-openapi/recording` writes it (one JSON object per line, NDJSON). `commerce-openapi
 * verify` reads these lines: keep the shape stable (a change is a major changeset), and add fields
 * rather than change them.
 *
 * Before a sink sees an exchange: the client's credentials are redacted from the headers and the
 * body (`[redacted]`, through the same redaction as its errors), credential headers (cookies,
 * tokens) are `[redacted]` whatever their value, and personal fields are dropped or hashed as
 * `personal` says (personal.ts). A verifier should therefore not report a missing required
 * property or a broken pattern on a personal field of a `drop` or `hash` recording.
 *
 * @module
 */
import type { PersonalFieldsMode } from "./personal.js";

/** The value of every exchange's `format`; another value is another format. */
export const EXCHANGE_FORMAT = "commerce-openapi.exchange/1";

export interface RecordedExchange {
  format: typeof EXCHANGE_FORMAT;
  /** The package subpath of the client: `hubrise`, `hiboutik`, `hike`, `subscriptions-only`. */
  vendor: string;
  /** When the call started, ISO 8601 (the client's clock). */
  timestamp: string;
  /** From the call to its parsed answer: retries, redirects and rate-limit waits included. */
  durationMs: number;
  /** Upper case. */
  method: string;
  /** The path template the client was called with (`/locations/{location_id}/orders`). */
  path: string;
  /** The operation's id in the description; absent when the client could not load it. */
  operationId?: string;
  /** The request's URL as sent: its origin (`https://api.hubrise.com`)… */
  origin: string;
  /** …and its path (`/v1/locations/3r4s3-1/orders`). The query is never recorded. */
  urlPath: string;
  status: number;
  /** The response headers, names lower case. */
  headers: Record<string, string>;
  /**
   * The parsed body: JSON as parsed, a non-JSON error body as text (cut to 4,000 characters);
   * absent when there was none.
   */
  body?: unknown;
  /** What was done to the personal fields of `body` (option `recordPersonal`). */
  personal: PersonalFieldsMode;
}

/** Whether a parsed line is an exchange of this format (its fields are trusted past that). */
export function isRecordedExchange(value: unknown): value is RecordedExchange {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { format?: unknown }).format === EXCHANGE_FORMAT
  );
}
