// What every check of the portable suite is built with: the deadline that turns a hang into a
// failed check, the assertion that names what was wrong, and the leak check on an error's texts.
// Web standards only, like the suite (it is bundled for every runtime).

/**
 * A check gives up after this long (the clients' own timeouts are shorter), so that a runtime whose
 * every check hangs still reports, within the runner's bound, which ones did.
 */
const CHECK_DEADLINE_MS = 8_000;
export const TIMEOUTS = { headersMs: 5_000, idleMs: 5_000, totalMs: 6_000 };
export const RETRY = { baseDelayMs: 10 };

export class CheckFailed extends Error {}

export function expectThat(condition: boolean, what: string): asserts condition {
  if (!condition) throw new CheckFailed(what);
}

export const describe = (err: unknown): string =>
  err instanceof CheckFailed
    ? err.message
    : err instanceof Error
      ? `${err.name}: ${err.message}`
      : `threw ${String(err)}`;

export interface Outcome<V, C> {
  vendor: V;
  check: C;
  ok: boolean;
  /** What was seen: a summary when it passed, the first thing that was wrong when it failed. */
  detail: string;
  ms: number;
}

/** Runs one check to its outcome: it never throws, and gives up at the deadline. */
export async function run<V, C>(
  vendor: V,
  check: C,
  body: () => Promise<string>,
): Promise<Outcome<V, C>> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CheckFailed(`no result after ${CHECK_DEADLINE_MS} ms`)),
      CHECK_DEADLINE_MS,
    );
  });
  try {
    const detail = await Promise.race([body(), deadline]);
    return { vendor, check, ok: true, detail, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      vendor,
      check,
      ok: false,
      detail: describe(err),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The error `call` ends with (it must end with one). */
export async function caught(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new CheckFailed("resolved where an error was expected");
}

/** Every text of `err` a caller could log, none of which may hold a secret. */
function textsOf(err: unknown): string {
  const e = err as Error;
  return [String(e), e.message, e.stack ?? "", JSON.stringify(err)].join("\n");
}

export function expectNoSecret(err: unknown, secrets: readonly string[]): void {
  const texts = textsOf(err);
  for (const secret of secrets) expectThat(!texts.includes(secret), "the error quotes a secret");
}
