// Credentials must never reach anything a caller can read: an error's message, body or body text,
// the `error` a call returns, a log line. A server may echo what it was sent, in any encoding, and
// may cut it short; so every text handed out goes through one `Secrets`, and is redacted *before*
// it is cut, so that no cut can leave the start of a secret behind.
import { base64 } from "./base64.js";
export const REDACTED = "[redacted]";

/** Shorter strings are not credentials, and redacting them would shred ordinary text. */
const MIN_SECRET_LENGTH = 4;
/** A text never ends with this many or more leading characters of a secret. */
const MIN_LEAKED_PREFIX = 6;

/** The forms a secret may come back in: as sent, URL- or form-encoded, base64, JSON-escaped. */
function formsOf(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const forms = [
    secret,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    base64(secret),
  ];
  return forms.flatMap((form) => [form, JSON.stringify(form).slice(1, -1)]);
}

/** The credentials of one client, and the one redaction every text it hands out goes through. */
export class Secrets {
  /** Every form of every secret, longest first (a longer form may contain a shorter one). */
  #forms: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Adds a credential (a refreshed token, say); strings too short to be one are ignored. */
  add(secret: string | undefined): void {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
    const fresh = formsOf(secret).filter((f) => f.length >= MIN_SECRET_LENGTH);
    this.#forms = [...new Set([...this.#forms, ...fresh])].sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret replaced, and without a secret's start at its end. */
  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return this.#withoutLeakedPrefix(out);
  }

  /** Redacts `text`, then cuts it to at most `max` characters (plus an ellipsis). */
  cut(text: string, max: number): string {
    const clean = this.redact(text);
    if (clean.length <= max) return clean;
    return `${this.#withoutLeakedPrefix(clean.slice(0, max))}…`;
  }

  /** Redacts every string inside a JSON-like value; copies it only when something was found. */
  redactValue<T>(value: T): T {
    if (value === undefined || this.#forms.length === 0) return value;
    const json = JSON.stringify(value);
    if (json === undefined) return value;
    let cleaned = json;
    for (const form of this.#forms) {
      const escaped = JSON.stringify(form).slice(1, -1);
      if (cleaned.includes(escaped)) cleaned = cleaned.split(escaped).join(REDACTED);
    }
    // A string value that ends with the start of a secret (the server cut it) is cut there too.
    cleaned = cleaned.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => {
      const inner = literal.slice(1, -1);
      const kept = this.#withoutLeakedPrefix(inner);
      return kept === inner ? literal : `"${kept}"`;
    });
    return cleaned === json ? value : (JSON.parse(cleaned) as T);
  }

  /** Replaces a tail of `text` that is the start (≥ MIN_LEAKED_PREFIX characters) of a secret. */
  #withoutLeakedPrefix(text: string): string {
    let longest = 0;
    for (const form of this.#forms) {
      longest = Math.max(longest, overlap(text, form));
    }
    return longest >= MIN_LEAKED_PREFIX ? text.slice(0, text.length - longest) + REDACTED : text;
  }
}

/**
 * The length of the longest suffix of `text` that is a proper prefix of `secret`, in linear time
 * (the prefix function of `secret + separator + tail`; only the last secret.length - 1 characters
 * of `text` can take part).
 */
function overlap(text: string, secret: string): number {
  const tail = text.slice(Math.max(0, text.length - secret.length + 1));
  // Cheap test first: the tail must at least hold the secret's first characters.
  if (tail.length < MIN_LEAKED_PREFIX || !tail.includes(secret.slice(0, MIN_LEAKED_PREFIX)))
    return 0;
  const s = `${secret}\u0000${tail}`;
  const pi = new Int32Array(s.length);
  for (let i = 1; i < s.length; i++) {
    let k = pi[i - 1]!;
    while (k > 0 && s[i] !== s[k]) k = pi[k - 1]!;
    if (s[i] === s[k]) k++;
    pi[i] = k;
  }
  return Math.min(pi[s.length - 1]!, secret.length - 1);
}

/** For helpers that hold no credential (they quote nothing a server sent them). */
export const NO_SECRETS = new Secrets();
