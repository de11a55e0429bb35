// One line of an NDJSON recording as an exchange to check. The lines a client's `record` option
// writes (RecordedExchange, src/core/drift/exchange.ts: format "commerce-openapi.exchange/1")
// carry the operation's id and path template, the URL as sent (origin and path, never the query),
// the status, the headers and the parsed body (a non-JSON body as text). Lines of the same idea
// from elsewhere (`method`, `url`, `status`, `headers`, `body`) are read too.
import { isRecordedExchange } from "../core/drift/exchange.js";
import { type BodyState, isJsonMediaType, mediaTypeOf, type Observed } from "./observed.js";

type Json = any;

export type LineResult = { observed: Observed } | { skipped: string };

const NO_BODY_STATUS = new Set([204, 205, 304]);

function headersOf(raw: Json): Record<string, string> {
  const headers: Record<string, string> = {};
  if (Array.isArray(raw)) {
    // [[name, value], …] or [{name, value}, …] (HAR's form)
    for (const h of raw) {
      const [name, value] = Array.isArray(h) ? h : [h?.name, h?.value];
      if (typeof name === "string" && typeof value === "string") {
        const lower = name.toLowerCase();
        headers[lower] = lower in headers ? `${headers[lower]}, ${value}` : value;
      }
    }
  } else if (raw && typeof raw === "object") {
    for (const name of Object.keys(raw)) {
      const value = raw[name];
      const text = Array.isArray(value) ? value.join(", ") : value;
      if (typeof text === "string") headers[name.toLowerCase()] = text;
    }
  }
  return headers;
}

function timeOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export function lineToObserved(text: string, file: number, line: number): LineResult {
  let x: Json;
  try {
    x = JSON.parse(text);
  } catch {
    return text.trim() === "" ? { skipped: "empty line" } : { skipped: "line that is not JSON" };
  }
  if (x === null || typeof x !== "object" || Array.isArray(x))
    return { skipped: "line that is not an exchange" };
  const status = x.status;
  const method = typeof x.method === "string" ? x.method.toUpperCase() : undefined;
  if (method === undefined || typeof status !== "number" || status < 100 || status > 599)
    return { skipped: "line without method and status" };
  const recorded = isRecordedExchange(x);
  const headers = headersOf(x.headers);
  const mediaType = mediaTypeOf(headers["content-type"]);
  let bodyState: BodyState;
  let body: unknown;
  if (x.body !== undefined) {
    // A client records JSON parsed and other bodies as text.
    const text = typeof x.body === "string" && !isJsonMediaType(mediaType);
    bodyState = text ? "not-json" : "json";
    body = text ? undefined : x.body;
  } else if (method === "HEAD" || NO_BODY_STATUS.has(status) || recorded) {
    // A client's recording leaves `body` out only when there was none.
    bodyState = "empty";
  } else {
    bodyState = headers["content-length"] === "0" ? "empty" : "not-recorded";
  }
  const url = recorded ? `${x.origin}${x.urlPath}` : typeof x.url === "string" ? x.url : undefined;
  const template = x.path ?? x.template;
  return {
    observed: {
      file,
      at: line,
      method,
      url,
      template: typeof template === "string" && template.startsWith("/") ? template : undefined,
      operationId: typeof x.operationId === "string" ? x.operationId : undefined,
      status,
      headers,
      mediaType,
      bodyState,
      body,
      timestamp: timeOf(x.timestamp),
      personal:
        recorded && (x.personal === "drop" || x.personal === "hash") ? x.personal : undefined,
    },
  };
}
