// What a store does when Redis cannot be asked. "fail" (the default): the request is refused with
// LimitsStoreError, because without the other processes' counts sending could overrun the vendor.
// "local": the limiters fall back to this process's own in-memory limits, with one warning per
// outage, and try Redis again every `retryMs`; the first answer ends the outage.
import type { LimitsStoreError } from "../core/errors.js";

export type OnStoreError = "fail" | "local";

export class Outage {
  #localUntil = 0;
  #ongoing = false;

  constructor(
    readonly mode: OnStoreError,
    private readonly warn: (message: string) => void,
    private readonly retryMs: number,
  ) {}

  /** Whether to count locally now rather than ask Redis (only in "local" mode, during an outage). */
  get local(): boolean {
    return this.#localUntil > 0 && Date.now() < this.#localUntil;
  }

  /** A call failed: in "local" mode, counts locally for the next `retryMs`. */
  failed(error: LimitsStoreError): void {
    if (this.mode !== "local") return;
    this.#localUntil = Date.now() + this.retryMs;
    if (this.#ongoing) return;
    this.#ongoing = true;
    this.warn(
      `${error.message.replace(/; nothing was sent$/, "")}. Falling back to this process's own ` +
        `rate limits until it answers again: processes sharing the connection may now overrun it.`,
    );
  }

  /** A call succeeded: the outage, if any, is over. */
  succeeded(): void {
    if (!this.#ongoing) return;
    this.#ongoing = false;
    this.#localUntil = 0;
    this.warn("The shared limits store answers again: rate limits are shared again.");
  }
}
