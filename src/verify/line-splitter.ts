// NDJSON's framing: a byte stream cut into lines, pushed chunk by chunk. A line is decoded only
// once it is whole; one longer than the bound is dropped as it streams past (never held).
export interface LineSink {
  line(text: string, lineNumber: number): void;
  /** A line over the bound, skipped. */
  tooLong(lineNumber: number): void;
}

const NEWLINE = 0x0a;

export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #overflow = false;
  #lineNumber = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      this.#lineNumber++;
      if (this.#overflow || this.#pendingBytes + (end - start) > this.maxLineBytes) {
        this.sink.tooLong(this.#lineNumber);
      } else if (this.#pendingBytes === 0) {
        if (end > start) this.sink.line(chunk.toString("utf8", start, end), this.#lineNumber);
      } else {
        this.#pending.push(chunk.subarray(start, end));
        this.sink.line(Buffer.concat(this.#pending).toString("utf8"), this.#lineNumber);
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#overflow = false;
      start = end + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (this.#overflow || this.#pendingBytes + rest > this.maxLineBytes) {
        this.#overflow = true;
        this.#pending = [];
        this.#pendingBytes = 0;
      } else {
        // A copy: the stream may reuse its chunk's memory.
        this.#pending.push(Buffer.from(chunk.subarray(start)));
        this.#pendingBytes += rest;
      }
    }
  }

  end(): void {
    if (this.#overflow) this.sink.tooLong(++this.#lineNumber);
    else if (this.#pendingBytes > 0)
      this.sink.line(Buffer.concat(this.#pending).toString("utf8"), ++this.#lineNumber);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#overflow = false;
  }
}
