// HAR without holding the file: a HAR is one JSON document (`{"log": {"version", "creator",
// "entries": [ … ]}}`) that browsers, mitmproxy and Charles write with every body inside, so it
// can be hundreds of megabytes. This scanner reads it as pushed bytes, once, tracking only JSON
// structure (depth, strings, the keys of the two outer objects), and hands over each element of
// `log.entries` as its own text, and the other small members of `log` (`version`, `creator`).
// Memory: the largest entry, bounded; an entry over the bound is skipped as it streams past.
export interface HarSink {
  /** An entry's JSON text; `undefined` when it was over the bound (skipped). */
  entry(text: string | undefined, index: number): void;
  /** A member of `log` other than `entries` and `pages`, as JSON text (when small). */
  meta(key: string, text: string): void;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** The members of `log` kept for the summary (`creator`); larger ones are ignored. */
const MAX_META_BYTES = 64 * 1024;
const MAX_KEY_BYTES = 256;

interface Capture {
  kind: "entry" | "meta";
  key: string;
  /** The depth the value starts at: it ends when the structure is back there. */
  depth: number;
  pieces: Buffer[];
  bytes: number;
  over: boolean;
}

export class HarScanner {
  /** Open containers: true for an object. */
  #stack: boolean[] = [];
  #inString = false;
  #escaped = false;
  /** In an object, whether the next string is a key. */
  #expectKey = false;
  /** The key being read (depths 1 and 2 only), and the last complete key at each of them. */
  #keyBytes: number[] | undefined;
  #keys: (string | undefined)[] = [];
  /** What is being captured: an entry (depth 3, in log.entries) or a member of log. */
  #capture: Capture | undefined;
  #captureStart = -1;
  #entries = 0;
  #sawLog = false;
  #done = false;

  constructor(
    private readonly sink: HarSink,
    private readonly maxEntryBytes: number,
  ) {}

  /** Whether the document was complete (its outer object closed), with a `log`. */
  get complete(): boolean {
    return this.#done && this.#sawLog;
  }

  get entries(): number {
    return this.#entries;
  }

  push(chunk: Buffer): void {
    const stack = this.#stack;
    if (this.#capture) this.#captureStart = 0;
    const length = chunk.length;
    for (let i = 0; i < length; i++) {
      if (this.#inString) {
        if (this.#keyBytes) {
          // A key of the two outer objects: short, read byte by byte.
          const c = chunk[i]!;
          if (this.#escaped) this.#escaped = false;
          else if (c === BACKSLASH) this.#escaped = true;
          else if (c === QUOTE) this.#endString();
          else if (this.#keyBytes.length < MAX_KEY_BYTES) this.#keyBytes.push(c);
          continue;
        }
        // Anything else (bodies are most of a HAR): jump from quote to quote. A quote ends the
        // string unless an odd run of backslashes (counting one carried from the last chunk)
        // is before it.
        const end = this.#stringEnd(chunk, i);
        if (end === -1) break;
        i = end;
        this.#endString();
        continue;
      }
      const c = chunk[i]!;
      switch (c) {
        case QUOTE: {
          this.#inString = true;
          const depth = stack.length;
          if (this.#expectKey && stack[depth - 1] === true && depth <= 2) this.#keyBytes = [];
          if (this.#expectKey) this.#expectKey = false;
          else this.#valueStarts(i);
          break;
        }
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.#valueStarts(i);
          stack.push(c === OPEN_OBJECT);
          this.#expectKey = c === OPEN_OBJECT;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          // A scalar that was the container's last value ends before the bracket; a captured
          // container ends with it.
          this.#valueEnds(chunk, i);
          stack.pop();
          this.#expectKey = false;
          this.#valueEnds(chunk, i + 1);
          if (stack.length === 0) this.#done = true;
          break;
        case COMMA:
          this.#valueEnds(chunk, i);
          this.#expectKey = stack[stack.length - 1] === true;
          break;
        case COLON:
          break;
        default:
          // Whitespace, or the bytes of a number, true, false, null.
          if (c > 0x20) this.#valueStarts(i);
      }
    }
    const capture = this.#capture;
    if (capture && !capture.over && this.#captureStart >= 0) {
      this.#keep(capture, chunk.subarray(this.#captureStart));
    }
  }

  /** The index of the quote that ends the string read from `from`, or -1 (the chunk ends first). */
  #stringEnd(chunk: Buffer, from: number): number {
    let at = from;
    for (;;) {
      const quote = chunk.indexOf(QUOTE, at);
      const stop = quote === -1 ? chunk.length : quote;
      let run = 0;
      let k = stop - 1;
      while (k >= at && chunk[k] === BACKSLASH) {
        run++;
        k--;
      }
      if (k < at && this.#escaped) run++;
      this.#escaped = false;
      if (quote === -1) {
        this.#escaped = run % 2 === 1;
        return -1;
      }
      if (run % 2 === 0) return quote;
      at = quote + 1;
    }
  }

  #endString(): void {
    this.#inString = false;
    if (this.#keyBytes) {
      this.#keys[this.#stack.length] = Buffer.from(this.#keyBytes).toString("utf8");
      this.#keyBytes = undefined;
    }
  }

  /** A value begins at `i` (a scalar's first byte, a string's quote, a container's bracket). */
  #valueStarts(i: number): void {
    if (this.#capture) return;
    const stack = this.#stack;
    const depth = stack.length;
    // In log.entries: depth 3 is the entries array, whose elements are the entries.
    if (
      depth === 3 &&
      stack[2] === false &&
      this.#keys[1] === "log" &&
      this.#keys[2] === "entries"
    ) {
      this.#startCapture("entry", "entries", i);
    } else if (depth === 2 && stack[1] === true && this.#keys[1] === "log") {
      const key = this.#keys[2];
      if (key !== "entries" && key !== "pages" && key !== undefined)
        this.#startCapture("meta", key, i);
    } else if (depth === 1 && this.#keys[1] === "log") this.#sawLog = true;
  }

  #startCapture(kind: "entry" | "meta", key: string, i: number): void {
    this.#capture = { kind, key, depth: this.#stack.length, pieces: [], bytes: 0, over: false };
    this.#captureStart = i;
  }

  /**
   * Where a value may end: before a comma, after a closing bracket. The capture ends when the
   * structure is back at the depth it started at.
   */
  #valueEnds(chunk: Buffer, end: number): void {
    const capture = this.#capture;
    if (!capture || this.#stack.length !== capture.depth) return;
    if (!capture.over && this.#captureStart >= 0)
      this.#keep(capture, chunk.subarray(this.#captureStart, end));
    this.#capture = undefined;
    this.#captureStart = -1;
    const text = capture.over ? undefined : Buffer.concat(capture.pieces).toString("utf8").trim();
    if (capture.kind === "entry") this.sink.entry(text, this.#entries++);
    else if (text !== undefined) this.sink.meta(capture.key, text);
  }

  /** The stream ended: an entry still open was cut short (counted by whoever checks `complete`). */
  end(): void {
    this.#capture = undefined;
  }

  #keep(capture: Capture, piece: Buffer): void {
    const max = capture.kind === "entry" ? this.maxEntryBytes : MAX_META_BYTES;
    if (capture.bytes + piece.length > max) {
      capture.over = true;
      capture.pieces = [];
      return;
    }
    capture.pieces.push(piece);
    capture.bytes += piece.length;
  }
}
