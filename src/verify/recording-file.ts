// A recording file read once, as a stream: NDJSON (one exchange a line: what a client's `record`
// option writes) or HAR 1.2 (browser devtools, mitmproxy, Charles). The format is told by the
// extension (.har; .ndjson, .jsonl), else by the first bytes (`{ "log":` is a HAR). Each
// exchange is handed to `onExchange` as soon as it is read; nothing is kept but the counts.
import { createReadStream } from "node:fs";
import path from "node:path";
import { HarScanner } from "./har-scanner.js";
import { harEntryToObserved } from "./har-entry.js";
import { VERIFY_LIMITS, formatBytes } from "./limits.js";
import { LineSplitter } from "./line-splitter.js";
import { lineToObserved } from "./ndjson-exchange.js";
import { count, emptyFileStats, type FileStats, type Observed } from "./observed.js";

const CHUNK_BYTES = 1024 * 1024;

function formatOf(file: string, first: Buffer): "har" | "ndjson" {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".har") return "har";
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  return /^\uFEFF?\s*\{\s*"log"\s*:/.test(first.toString("utf8", 0, 4096)) ? "har" : "ndjson";
}

export async function readRecording(
  file: string,
  index: number,
  onExchange: (exchange: Observed) => void,
): Promise<FileStats> {
  const stats = emptyFileStats(path.basename(file));
  const take = (result: { observed: Observed } | { skipped: string }) => {
    if ("skipped" in result) {
      count(stats.skipped, result.skipped);
      return;
    }
    const ex = result.observed;
    stats.exchanges++;
    const t = ex.timestamp;
    if (t !== undefined) {
      if (stats.first === undefined || t < stats.first) stats.first = t;
      if (stats.last === undefined || t > stats.last) stats.last = t;
    }
    onExchange(ex);
  };

  let consumer: { push(chunk: Buffer): void; end(): void } | undefined;
  let har: HarScanner | undefined;
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (!consumer) {
      stats.format = formatOf(file, chunk);
      if (stats.format === "har") {
        har = new HarScanner(
          {
            entry(text, i) {
              if (text === undefined) {
                count(stats.skipped, `entry over ${formatBytes(VERIFY_LIMITS.maxEntryBytes)}`);
                return;
              }
              let entry: unknown;
              try {
                entry = JSON.parse(text);
              } catch {
                count(stats.skipped, "entry that is not JSON");
                return;
              }
              take(harEntryToObserved(entry, index, i));
            },
            meta(key, text) {
              if (key !== "creator") return;
              try {
                const creator = JSON.parse(text) as { name?: unknown; version?: unknown };
                if (typeof creator.name === "string")
                  stats.producer =
                    `${creator.name}${typeof creator.version === "string" ? ` ${creator.version}` : ""}`.slice(
                      0,
                      80,
                    );
              } catch {
                // no producer then
              }
            },
          },
          VERIFY_LIMITS.maxEntryBytes,
        );
        consumer = har;
      } else {
        const splitter = new LineSplitter(
          {
            line: (text, n) => take(lineToObserved(text, index, n)),
            tooLong: () =>
              count(stats.skipped, `line over ${formatBytes(VERIFY_LIMITS.maxLineBytes)}`),
          },
          VERIFY_LIMITS.maxLineBytes,
        );
        consumer = splitter;
      }
    }
    consumer.push(chunk);
  }
  consumer?.end();
  if (har && !har.complete) count(stats.skipped, "end of a HAR that is cut short or not a HAR");
  return stats;
}
