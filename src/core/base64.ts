// Base64 of UTF-8 text with web standards only (btoa, TextEncoder): no Buffer, so that what the
// vendor entries import runs in browsers and Workers as well as in Node.
export function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
