// What a caller can read of a value — String(), stack, JSON.stringify, util.inspect, and the cause
// chain — and the check that none of it holds a canary secret, nor its first 6 characters (a cut
// must not leave the start of a secret behind).
import { inspect } from "node:util";
import { expect } from "vitest";

/** Every way a caller (or their logger) may print `value`. */
export function printed(value: unknown): string {
  const out: string[] = [];
  for (let v = value, depth = 0; v !== undefined && v !== null && depth < 5; depth++) {
    out.push(
      String(v),
      (v as Error).stack ?? "",
      JSON.stringify(v) ?? "",
      inspect(v, { depth: 8, showHidden: true }),
    );
    v = (v as { cause?: unknown }).cause;
  }
  return out.join("\n");
}

/** Shorter starts of a secret may occur by chance; this many characters may not. */
const PREFIX = 6;

export function expectNoSecret(value: unknown, secrets: readonly string[], what = ""): void {
  const text = printed(value);
  for (const secret of secrets) {
    expect(text, `${what}: holds the start of a secret`).not.toContain(secret.slice(0, PREFIX));
  }
}
