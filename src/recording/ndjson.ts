// `commerce-openapi/recording` (Node only): a `record` sink that appends each exchange to NDJSON
// files (one JSON object per line, what `commerce-openapi verify` reads), starting a new file when
// the current one would grow past a size, and deleting the oldest past a count if asked.
//
//   const recorder = ndjsonRecorder({ dir: "recordings", maxFileBytes: 10 * 2 ** 20 });
//   const client = createHubriseClient(credentials, { record: recorder.record });
//   …
//   await recorder.close();
//
// Lines are written one after another (never interleaved, in the order the exchanges came), each
// with one write: a process that dies leaves at most its last line cut short.
import { mkdir, open, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { RecordedExchange } from "../core/drift/exchange.js";

export type { RecordedExchange } from "../core/drift/exchange.js";
export { EXCHANGE_FORMAT, isRecordedExchange } from "../core/drift/exchange.js";

export interface NdjsonRecorderOptions {
  /** The folder of the files (created if missing). */
  dir: string;
  /** Files are named `<prefix>-<start time>-<number>.ndjson`. Default `exchanges`. */
  prefix?: string;
  /**
   * A new file is started before a line would take the current one past this many bytes (a
   * single longer line gets a file of its own). Default 10 MiB.
   */
  maxFileBytes?: number;
  /** Keep at most this many of this recorder's files, deleting the oldest. Default: keep all. */
  maxFiles?: number;
}

export interface NdjsonRecorder {
  /** The sink: `record: recorder.record`. Resolves once the line is written. */
  record(exchange: RecordedExchange): Promise<void>;
  /** The files this recorder has written to (those not deleted by `maxFiles`), oldest first. */
  files(): readonly string[];
  /** Waits for the pending lines and closes the current file; later exchanges are refused. */
  close(): Promise<void>;
}

const DEFAULT_MAX_FILE_BYTES = 10 * 2 ** 20;

export function ndjsonRecorder(options: NdjsonRecorderOptions): NdjsonRecorder {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!(Number.isInteger(maxFileBytes) && maxFileBytes > 0))
    throw new RangeError("maxFileBytes must be a whole number of bytes > 0");
  const maxFiles = options.maxFiles ?? Infinity;
  if (!(maxFiles === Infinity || (Number.isInteger(maxFiles) && maxFiles >= 1)))
    throw new RangeError("maxFiles must be a whole number ≥ 1");
  const prefix = options.prefix ?? "exchanges";
  // The start time keeps a later run from writing into an earlier run's files.
  const run = new Date().toISOString().replace(/[:.]/g, "-");
  const files: string[] = [];
  let file: { handle: FileHandle; bytes: number } | undefined;
  let sequence = 0;
  let closed = false;
  /** The writes, one after another. */
  let queue: Promise<void> = Promise.resolve();

  async function nextFile(): Promise<void> {
    await file?.handle.close();
    file = undefined;
    await mkdir(options.dir, { recursive: true });
    for (;;) {
      const name = path.join(
        options.dir,
        `${prefix}-${run}-${String(++sequence).padStart(4, "0")}.ndjson`,
      );
      try {
        // "wx": never into a file that exists already (another recorder's, started the same ms).
        file = { handle: await open(name, "wx"), bytes: 0 };
        files.push(name);
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== "EEXIST") throw err;
      }
    }
    while (files.length > maxFiles) await rm(files.shift()!, { force: true });
  }

  async function write(line: Buffer): Promise<void> {
    if (file === undefined || (file.bytes > 0 && file.bytes + line.byteLength > maxFileBytes))
      await nextFile();
    await file!.handle.write(line);
    file!.bytes += line.byteLength;
  }

  return {
    record(exchange) {
      if (closed) return Promise.reject(new Error("ndjsonRecorder: closed"));
      const line = Buffer.from(`${JSON.stringify(exchange)}\n`, "utf8");
      const written = queue.then(() => write(line));
      // The next line waits for this one, whether it was written or not.
      queue = written.catch(() => undefined);
      return written;
    },
    files: () => [...files],
    async close() {
      closed = true;
      await queue;
      await file?.handle.close();
      file = undefined;
    },
  };
}
