// Credentials are checked when a client is created, so that a bad one fails at once with a message
// that names the option and never the value: a token read from a secrets file with its line break
// would otherwise reach `new Headers()`, whose TypeError quotes it.
import { base64 } from "./base64.js";

/**
 * A credential sent as a header value as it is (a bearer or access token): visible ASCII only.
 * Returns it unchanged.
 */
export function requireToken(value: unknown, name: string): string {
  const text = requireText(value, name);
  if (!isToken(text)) {
    throw new TypeError(
      `${name} may only hold visible ASCII characters (no spaces, line breaks or other control characters; was it read with a trailing newline?)`,
    );
  }
  return text;
}

/** Whether `value` can be sent as a token header value as it is: visible ASCII, nothing else. */
export function isToken(value: unknown): value is string {
  return typeof value === "string" && /^[\x21-\x7e]+$/.test(value);
}

/** A credential that is encoded before it is sent (a Basic password, a form field). */
export function requireSecretText(value: unknown, name: string): string {
  const text = requireText(value, name);
  // C0 controls and DEL: a line break from a secrets file, a NUL from a bad copy.
  if (/[\x00-\x1f\x7f]/.test(text)) {
    throw new TypeError(
      `${name} contains a control character (a line break read from a secrets file?)`,
    );
  }
  if (text.trim() !== text) throw new TypeError(`${name} starts or ends with white space`);
  return text;
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== "string") throw new TypeError(`${name} must be a string`);
  if (value === "") throw new TypeError(`${name} is empty`);
  return value;
}

/**
 * `Basic base64(user:password)` of UTF-8 text, with web standards only (no Buffer). `userOption`
 * names the user's option in the error for a user name that Basic cannot carry.
 */
export function basicAuthorization(user: string, password: string, userOption: string): string {
  if (user.includes(":"))
    throw new TypeError(`${userOption} cannot contain ':' (Basic splits on it)`);
  return `Basic ${base64(`${user}:${password}`)}`;
}
