// OAuth's `state` (RFC 6749 §10.12): an unguessable value the app keeps in the user's session when
// it sends the user to the authorize page, and compares with the one the redirect brings back, so
// that a callback forged by another site (with the attacker's own code) is refused.
import { base64url } from "../base64.js";

/** 32 random bytes: 256 bits, twice what RFC 6749 §10.10 asks of a guess-proof value. */
const STATE_BYTES = 32;

/** A fresh state: 32 bytes from Web Crypto's CSPRNG, base64url (43 characters). */
export function newState(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(STATE_BYTES)));
}

/**
 * Whether the `state` a callback brought back is the one the app sent. The comparison takes the
 * same time wherever the first difference is (no early exit), so that timing cannot reveal a
 * prefix. A missing or empty value, or one of another length, is never valid.
 */
export function verifyState(received: unknown, expected: unknown): boolean {
  if (typeof received !== "string" || typeof expected !== "string") return false;
  if (expected.length === 0 || received.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) {
    difference |= received.charCodeAt(i) ^ expected.charCodeAt(i);
  }
  return difference === 0;
}
