// What a sandbox sends out: webhook deliveries to the URLs an app registered, one at a time and in
// the order the state changed (as a vendor's queue does), each with a timeout, each recorded with
// the receiver's status. `settled()` resolves when everything queued so far has been answered, so a
// test can write, then wait, then look at what its receiver got.

export interface Delivery {
  url: string;
  /** The body as sent (the receiver's signature check is over these bytes). */
  body: string;
  headers: Record<string, string>;
  /** The receiver's status; undefined when it did not answer (`error` says why). */
  status: number | undefined;
  error: string | undefined;
}

export interface OutboxOptions {
  /** Per delivery, from the request to the end of the answer. Default 10,000 ms. */
  timeoutMs?: number;
  /** What is kept of the deliveries log: the last ones. Default 1,000. */
  keep?: number;
}

export class Outbox {
  readonly deliveries: Delivery[] = [];
  readonly #timeoutMs: number;
  readonly #keep: number;
  #tail: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #closing = new AbortController();

  constructor(options: OutboxOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#keep = options.keep ?? 1_000;
  }

  /** Queues a POST of `body` to `url`; resolves to the delivery once answered (or failed). */
  post(url: string, body: string, headers: Record<string, string>): Promise<Delivery> {
    const delivery: Delivery = { url, body, headers, status: undefined, error: undefined };
    const sent = this.#tail.then(async () => {
      if (this.#closed) {
        delivery.error = "the sandbox closed";
        return delivery;
      }
      try {
        const response = await fetch(url, {
          method: "POST",
          headers,
          body,
          redirect: "manual",
          signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#closing.signal]),
        });
        await response.arrayBuffer();
        delivery.status = response.status;
      } catch (err) {
        delivery.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      this.deliveries.push(delivery);
      if (this.deliveries.length > this.#keep) this.deliveries.shift();
      return delivery;
    });
    this.#tail = sent.then(() => undefined);
    return sent;
  }

  /** Resolves when every delivery queued so far has been answered or has failed. */
  settled(): Promise<void> {
    return this.#tail;
  }

  /** Deliveries not yet sent are dropped and the one under way is aborted (all end as failed). */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort();
    return this.#tail;
  }
}
