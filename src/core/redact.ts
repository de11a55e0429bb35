// Credentials must never reach an error message, a log line or a snapshot. Vendor error bodies can
// echo what they were sent, so every text an error carries goes through here.
export const REDACTED = "[redacted]";

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "secrets" would shred ordinary text; they are not credentials anyway.
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Redacts every string inside a JSON-like value (only copies it when something was found). */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (value === undefined) return value;
  const json = JSON.stringify(value);
  if (json === undefined) return value;
  const cleaned = redact(
    json,
    secrets.map((s) => JSON.stringify(s).slice(1, -1)),
  );
  return cleaned === json ? value : (JSON.parse(cleaned) as T);
}
