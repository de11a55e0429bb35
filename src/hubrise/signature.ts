// HubRise signs every callback it POSTs: X-HubRise-Hmac-SHA256 is the hex HMAC-SHA256 of the raw
// request body keyed with the OAuth client secret (Callbacks documentation). Checked with Web
// Crypto, so it runs wherever the clients run (Node, Deno, Bun, Workers, browsers); Web Crypto is
// asynchronous, and so is this.
const encoder = new TextEncoder();

/**
 * Resolves to true when `signature` (the X-HubRise-Hmac-SHA256 header) matches `rawBody`. Pass the
 * body exactly as received, before any JSON parsing. The comparison is Web Crypto's HMAC verify,
 * in constant time; a missing or malformed header is simply not valid. A missing or empty client
 * secret is a configuration error (rejects with TypeError): anyone can sign with an empty key.
 */
export async function verifyHubriseSignature(
  rawBody: string | Uint8Array,
  signature: string | null | undefined,
  clientSecret: string,
): Promise<boolean> {
  if (typeof clientSecret !== "string" || clientSecret === "") {
    throw new TypeError("verifyHubriseSignature: clientSecret is missing or empty");
  }
  if (typeof signature !== "string") return false;
  const given = signature.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(clientSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const body = typeof rawBody === "string" ? encoder.encode(rawBody) : rawBody;
  return crypto.subtle.verify("HMAC", key, hexBytes(given), body as Uint8Array<ArrayBuffer>);
}

/** The bytes of a hex string already checked to be 64 hex digits. */
function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
