// One HAR 1.2 entry (http://www.softwareishard.com/blog/har-12-spec/) as an exchange. What the
// producers differ in, and how each is read:
// - `response.content.text` is the decoded body, or its base64 when `content.encoding` is
//   "base64" (devtools for binary types, Charles and mitmproxy for anything not UTF-8); bytes that
//   still carry gzip's magic number, or that `content-encoding` says are compressed and are not
//   text, are decompressed (some tools store the wire bytes);
// - `content.size` is the decoded length and `content.compression` the bytes compression saved
//   (mitmproxy, Charles); `response.bodySize` is what crossed the wire (-1: unknown). Only the
//   decoded text is read; sizes are not trusted for anything but the bound;
// - a body the producer did not keep (no `text`) is "not recorded", not empty, unless nothing
//   was sent (size 0, 204, 304, HEAD).
import { bytesToText, parseBodyText } from "./body.js";
import { VERIFY_LIMITS } from "./limits.js";
import { type BodyState, mediaTypeOf, type Observed } from "./observed.js";

type Json = any;

export type EntryResult = { observed: Observed } | { skipped: string };

const NO_BODY_STATUS = new Set([204, 205, 304]);

export function harEntryToObserved(entry: Json, file: number, index: number): EntryResult {
  const request = entry?.request;
  const response = entry?.response;
  if (typeof request?.method !== "string" || typeof request.url !== "string")
    return { skipped: "entry without request method and URL" };
  const status = Number(response?.status);
  // Status 0: the request failed or was blocked (devtools), nothing came back.
  if (!Number.isInteger(status) || status < 100 || status > 599)
    return { skipped: "entry without a response (status 0: failed or blocked)" };

  const headers: Record<string, string> = {};
  if (Array.isArray(response.headers))
    for (const h of response.headers) {
      if (typeof h?.name !== "string" || typeof h.value !== "string") continue;
      // HTTP/2 pseudo-headers (":status") some producers list are not headers.
      if (h.name.startsWith(":")) continue;
      const name = h.name.toLowerCase();
      headers[name] = name in headers ? `${headers[name]}, ${h.value}` : h.value;
    }

  const method = request.method.toUpperCase();
  const content = response.content ?? {};
  const mediaType = mediaTypeOf(
    typeof content.mimeType === "string" && content.mimeType !== ""
      ? content.mimeType
      : headers["content-type"],
  );
  let bodyState: BodyState;
  let body: unknown;
  const text = content.text;
  if (typeof text !== "string" || text === "") {
    const nothingSent =
      method === "HEAD" || NO_BODY_STATUS.has(status) || content.size === 0 || text === "";
    bodyState = nothingSent ? "empty" : "not-recorded";
  } else if (typeof content.size === "number" && content.size > VERIFY_LIMITS.maxBodyBytes) {
    bodyState = "too-large";
  } else if (content.encoding === "base64") {
    const decoded = bytesToText(Buffer.from(text, "base64"), headers["content-encoding"]);
    if ("state" in decoded) bodyState = decoded.state;
    else ({ state: bodyState, body } = parseBodyText(decoded.text, mediaType));
  } else if (content.encoding !== undefined && content.encoding !== "") {
    bodyState = "undecodable";
  } else {
    ({ state: bodyState, body } = parseBodyText(text, mediaType));
  }

  const started =
    typeof entry.startedDateTime === "string" ? Date.parse(entry.startedDateTime) : NaN;
  return {
    observed: {
      file,
      at: index + 1,
      method,
      url: request.url,
      template: undefined,
      operationId: undefined,
      status,
      headers,
      mediaType,
      bodyState,
      body,
      timestamp: Number.isNaN(started) ? undefined : started,
      personal: undefined,
    },
  };
}
