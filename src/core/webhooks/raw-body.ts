// The raw bytes of a webhook delivery, read with a size cap: a signature covers the exact bytes,
// and a receiver must not buffer whatever a stranger sends. A declared Content-Length over the cap
// is refused before reading; a streamed body is counted chunk by chunk and refused as soon as it
// passes the cap, without reading the rest.
import { type ErrorContext, WebhookError } from "../errors.js";

/** The default cap on a delivery's body: 1 MiB. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/** A positive integer option, or its default; anything else is a TypeError naming the option. */
export function limitOption(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive integer`);
  }
  return value;
}

/** The bytes of a body given as text (UTF-8) or bytes, refused when over `maxBytes`. */
export function rawBytes(
  rawBody: string | Uint8Array,
  maxBytes: number,
  ctx: ErrorContext,
): Uint8Array {
  if (typeof rawBody === "string") {
    // Each UTF-16 unit is at least one byte: a longer string is over the cap before encoding it.
    if (rawBody.length > maxBytes) throw tooLarge(ctx, maxBytes);
    const bytes = encoder.encode(rawBody);
    if (bytes.byteLength > maxBytes) throw tooLarge(ctx, maxBytes);
    return bytes;
  }
  if (!(rawBody instanceof Uint8Array)) {
    throw new TypeError("rawBody must be the body as received: a string or a Uint8Array");
  }
  if (rawBody.byteLength > maxBytes) throw tooLarge(ctx, maxBytes);
  return rawBody;
}

/** Reads a request's whole body, at most `maxBytes` of it (WebhookError `too-large` beyond). */
export async function readRawBody(
  request: Request,
  maxBytes: number,
  ctx: ErrorContext,
): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > maxBytes) {
    throw tooLarge(ctx, maxBytes);
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // The rest is never read: the runtime discards it or closes the connection after the
      // answer. (Cancelling the body here makes some runtimes, workerd among them, drop the
      // connection before the 413 goes out.)
      reader.releaseLock();
      throw tooLarge(ctx, maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(ctx: ErrorContext, maxBytes: number): WebhookError {
  return new WebhookError(
    ctx,
    "too-large",
    `the body is over the ${maxBytes}-byte limit (option maxBytes)`,
  );
}
