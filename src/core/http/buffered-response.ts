// The answer handed back after its body has been read in full (send.ts reads it, to cap its size,
// time its chunks and hold the in-flight slot until it has arrived). It is a Response to its
// users (`instanceof Response`, every property and body method) whose body methods serve the
// bytes already read, and whose headers are those of the answer as fetch gave them (read-only, as
// fetch's are).
//
// Why it does not run Response's constructor: building a Response over the bytes and reading them
// again through a stream cost ~15 µs a request; even `new Response(null, init)` converts and
// validates its init, and makes a Headers and an internal state of its own, for every request.
// So it inherits Response's prototype and answers every accessor itself: nothing reads the
// internal state its constructor would have made.
const decoder = new TextDecoder(); // UTF-8, and drops a byte-order mark as Response.text() does

class Buffered {
  readonly #bytes: Uint8Array;
  readonly #from: Response;
  #used = false;
  #stream: ReadableStream<Uint8Array> | undefined;

  constructor(bytes: Uint8Array, from: Response) {
    // What Response's constructor would refuse (fetch itself passes any 3-digit status on).
    if (!(from.status >= 200 && from.status <= 599)) {
      throw new RangeError(`status ${from.status} is outside 200-599`);
    }
    this.#bytes = bytes;
    this.#from = from;
  }

  get status(): number {
    return this.#from.status;
  }
  get statusText(): string {
    return this.#from.statusText;
  }
  get ok(): boolean {
    return this.#from.ok;
  }
  get type(): Response["type"] {
    return this.#from.type;
  }
  get headers(): Headers {
    return this.#from.headers;
  }
  get url(): string {
    return this.#from.url;
  }
  get redirected(): boolean {
    return this.#from.redirected;
  }
  get bodyUsed(): boolean {
    return this.#used;
  }
  get body(): ReadableStream<Uint8Array> {
    this.#stream ??= new ReadableStream<Uint8Array>({
      pull: (controller) => {
        controller.enqueue(this.#take().slice());
        controller.close();
      },
    });
    return this.#stream;
  }

  async text(): Promise<string> {
    return decoder.decode(this.#take());
  }
  async json(): Promise<unknown> {
    return JSON.parse(decoder.decode(this.#take()));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#take().slice().buffer;
  }
  async bytes(): Promise<Uint8Array> {
    return this.#take().slice();
  }
  async blob(): Promise<Blob> {
    return new Blob([this.#take().slice()], { type: this.headers.get("Content-Type") ?? "" });
  }
  async formData(): Promise<FormData> {
    return new Response(this.#take().slice(), { headers: this.headers }).formData();
  }
  clone(): Response {
    if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    return new Buffered(this.#bytes, this.#from) as unknown as Response;
  }

  #take(): Uint8Array {
    if (this.#used) throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    return this.#bytes;
  }
}
// `instanceof Response`, and Response's own methods for anything not answered above.
Object.setPrototypeOf(Buffered.prototype, Response.prototype);

/** `from`'s status, headers and URL over `bytes` (its body, already read). */
export function bufferedResponse(bytes: Uint8Array, from: Response): Response {
  return new Buffered(bytes, from) as unknown as Response;
}
