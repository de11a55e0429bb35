// One exchange as verify reads it, whichever file it came from (an NDJSON recording, a HAR
// entry): the response as seen, and what is known of the request.
export type BodyState =
  /** Parsed JSON: `body` holds it. */
  | "json"
  /** No body (204, 304, HEAD, an empty text). */
  | "empty"
  /** A body that is not JSON (HTML error page, image…): not checked. */
  | "not-json"
  /** The producer did not save the body (devtools "content not available"). */
  | "not-recorded"
  /** Larger than the decoded-body bound (limits.ts). */
  | "too-large"
  /** base64 or compression that could not be undone. */
  | "undecodable";

export interface Observed {
  /** The recording it came from (an index into the files verified) and its line or entry. */
  file: number;
  at: number;
  method: string;
  /** The request's URL as sent (HAR, and NDJSON recordings that keep it). */
  url: string | undefined;
  /** What an NDJSON recording knows already: the operation's path template and id. */
  template: string | undefined;
  operationId: string | undefined;
  status: number;
  /** Response headers, names in lower case (several values of one name joined with ", "). */
  headers: Record<string, string>;
  /** The media type of the body (`application/json`), without parameters, in lower case. */
  mediaType: string | undefined;
  bodyState: BodyState;
  body: unknown;
  /** When the request was sent, ms since the epoch, if the recording says. */
  timestamp: number | undefined;
  /**
   * A client's recording whose personal fields were dropped or hashed (`recordPersonal`): a
   * missing required or a broken pattern on such a field is the recording's doing, not drift.
   */
  personal: "drop" | "hash" | undefined;
}

/** What one file yielded, besides its exchanges. */
export interface FileStats {
  name: string;
  format: "ndjson" | "har";
  /** The HAR's `log.creator` ("Firefox 128", "mitmproxy 10.1"): a tool, not data. */
  producer: string | undefined;
  exchanges: number;
  first: number | undefined;
  last: number | undefined;
  /** Lines or entries skipped, by reason ("not JSON", "over 64 MiB"…). */
  skipped: Record<string, number>;
  /** Bodies not checked, by reason (the exchange itself still is: status, headers). */
  bodies: Record<string, number>;
}

/** The counts of a file (or of exchanges held in memory) before anything was read. */
export const emptyFileStats = (name: string): FileStats => ({
  name,
  format: "ndjson",
  producer: undefined,
  exchanges: 0,
  first: undefined,
  last: undefined,
  skipped: {},
  bodies: {},
});

export const count = (tally: Record<string, number>, key: string, n = 1) => {
  tally[key] = (tally[key] ?? 0) + n;
};

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const semi = contentType.indexOf(";");
  const essence = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return essence === "" ? undefined : essence;
}

/** JSON media types: application/json, text/json, anything `+json`. */
export const isJsonMediaType = (mediaType: string | undefined) =>
  mediaType !== undefined &&
  (mediaType === "application/json" || mediaType === "text/json" || mediaType.endsWith("+json"));
