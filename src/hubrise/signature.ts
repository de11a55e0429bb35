// HubRise signs every callback it POSTs: X-HubRise-Hmac-SHA256 is the hex HMAC-SHA256 of the raw
// request body keyed with the OAuth client secret (Callbacks documentation).
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * True when `signature` (the X-HubRise-Hmac-SHA256 header) matches `rawBody`. Pass the body exactly
 * as received, before any JSON parsing. Compares in constant time; a missing or malformed header is
 * simply not valid. A missing or empty client secret is a configuration error (TypeError): anyone
 * can sign with an empty key, so it must never make a signature valid.
 */
export function verifyHubriseSignature(
  rawBody: string | Uint8Array,
  signature: string | null | undefined,
  clientSecret: string,
): boolean {
  if (typeof clientSecret !== "string" || clientSecret === "") {
    throw new TypeError("verifyHubriseSignature: clientSecret is missing or empty");
  }
  if (typeof signature !== "string") return false;
  const given = signature.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = createHmac("sha256", clientSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(given, "hex"), expected);
}
