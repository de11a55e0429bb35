// Base64 of UTF-8 text with web standards only (btoa, TextEncoder): no Buffer, so that what the
// vendor entries import runs in browsers and Workers as well as in Node.
export function base64(text: string): string {
  return base64OfBytes(new TextEncoder().encode(text));
}

/** Base64url without padding (RFC 4648 §5) of `bytes`: safe in a URL's query as it is. */
export function base64url(bytes: Uint8Array): string {
  return base64OfBytes(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64OfBytes(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
