// A response body from its recorded text: base64 undone, compression undone when the producer
// left it compressed (the HAR format says `content.text` is decoded, but not every tool does
// it), then parsed if it is JSON. Each step is bounded by VERIFY_LIMITS.maxBodyBytes.
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { VERIFY_LIMITS } from "./limits.js";
import { type BodyState, isJsonMediaType } from "./observed.js";

export interface DecodedBody {
  state: BodyState;
  body: unknown;
}

const NOT_JSON: DecodedBody = { state: "not-json", body: undefined };
const EMPTY: DecodedBody = { state: "empty", body: undefined };

/** Whether a text may be JSON, from its first character (a cheap test before parsing). */
function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length && i < 64; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
    return c === 0x7b || c === 0x5b; // { [
  }
  return false;
}

/**
 * Parses a body's text. A body whose media type is JSON is parsed; one with no media type, or a
 * text one, is parsed when it looks like a JSON object or array (servers that send JSON as
 * `text/html` exist); anything else is `not-json`.
 */
export function parseBodyText(raw: string, mediaType: string | undefined): DecodedBody {
  // A byte order mark is not JSON; some servers send one.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0) return EMPTY;
  const json = isJsonMediaType(mediaType);
  if (!json && mediaType !== undefined && !mediaType.startsWith("text/")) return NOT_JSON;
  if (!json && !looksLikeJson(text)) return NOT_JSON;
  try {
    return { state: "json", body: JSON.parse(text) };
  } catch {
    return NOT_JSON;
  }
}

const GZIP = [0x1f, 0x8b];

/**
 * Bytes as recorded (base64-decoded) to text: gunzipped when they carry gzip's magic number, or
 * inflated as `content-encoding` says when they are not already readable text.
 */
export function bytesToText(
  bytes: Buffer,
  contentEncoding: string | undefined,
): { text: string } | { state: BodyState } {
  const max = VERIFY_LIMITS.maxBodyBytes;
  if (bytes.length > max) return { state: "too-large" };
  const encoding = contentEncoding?.trim().toLowerCase();
  let raw = bytes;
  try {
    if (bytes[0] === GZIP[0] && bytes[1] === GZIP[1])
      raw = gunzipSync(bytes, { maxOutputLength: max });
    else if (encoding && encoding !== "identity" && !printable(bytes)) {
      if (encoding === "br") raw = brotliDecompressSync(bytes, { maxOutputLength: max });
      else if (encoding === "deflate") {
        // "deflate" is zlib-wrapped by the RFC, raw in some servers.
        try {
          raw = inflateSync(bytes, { maxOutputLength: max });
        } catch {
          raw = inflateRawSync(bytes, { maxOutputLength: max });
        }
      } else if (encoding === "gzip" || encoding === "x-gzip")
        raw = gunzipSync(bytes, { maxOutputLength: max });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { state: code === "ERR_BUFFER_TOO_LARGE" ? "too-large" : "undecodable" };
  }
  return { text: raw.toString("utf8") };
}

/** Whether the first bytes are text (JSON, HTML…): no control characters but whitespace. */
function printable(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, 64);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}
