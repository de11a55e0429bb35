// The answer handed back after its body has been read in full (send.ts reads it, to cap its size,
// time its chunks and hold the in-flight slot until it has arrived). It is a real Response (status,
// headers, `instanceof Response`) whose body methods serve the bytes already read: building a
// Response over the bytes and reading them again through a stream cost ~15 µs a request, more
// than all the client's other layers together. Its headers are those of the answer as fetch gave
// them (read-only, as fetch's are): copying them into a Headers of its own validated and stored
// every header again, for every request.
const decoder = new TextDecoder(); // UTF-8, and drops a byte-order mark as Response.text() does

export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array;
  readonly #headers: Headers;
  readonly #url: string;
  readonly #redirected: boolean;
  #used = false;
  #stream: ReadableStream<Uint8Array> | undefined;

  /** `from`'s status, headers and URL over `bytes` (its body, already read). */
  constructor(bytes: Uint8Array, from: Response) {
    super(null, { status: from.status, statusText: from.statusText });
    this.#bytes = bytes;
    this.#headers = from.headers;
    this.#url = from.url;
    this.#redirected = from.redirected;
  }

  #take(): Uint8Array {
    if (this.#used) throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    return this.#bytes;
  }

  static {
    // Response's body methods and accessors are declared as properties by the Node types, so
    // they are redefined on the prototype here rather than overridden in the class body.
    Object.defineProperties(BufferedResponse.prototype, {
      text: {
        async value(this: BufferedResponse) {
          return decoder.decode(this.#take());
        },
      },
      json: {
        async value(this: BufferedResponse) {
          return JSON.parse(decoder.decode(this.#take()));
        },
      },
      arrayBuffer: {
        async value(this: BufferedResponse) {
          return this.#take().slice().buffer;
        },
      },
      blob: {
        async value(this: BufferedResponse) {
          const type = this.headers.get("Content-Type") ?? "";
          return new Blob([this.#take().slice()], { type });
        },
      },
      formData: {
        async value(this: BufferedResponse) {
          return new Response(this.#take().slice(), { headers: this.headers }).formData();
        },
      },
      clone: {
        value(this: BufferedResponse) {
          if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
          return new BufferedResponse(this.#bytes, this);
        },
      },
      headers: {
        get(this: BufferedResponse) {
          return this.#headers;
        },
      },
      url: {
        get(this: BufferedResponse) {
          return this.#url;
        },
      },
      redirected: {
        get(this: BufferedResponse) {
          return this.#redirected;
        },
      },
      bodyUsed: {
        get(this: BufferedResponse) {
          return this.#used;
        },
      },
      bytes: {
        async value(this: BufferedResponse) {
          return this.#take().slice();
        },
      },
      body: {
        get(this: BufferedResponse) {
          this.#stream ??= new ReadableStream<Uint8Array>({
            pull: (controller) => {
              controller.enqueue(this.#take().slice());
              controller.close();
            },
          });
          return this.#stream;
        },
      },
    });
  }
}
