// `verify` without the command line: recordings in, grouped findings out. A verifier is made
// once per vendor (its description loaded, its router and servers built, each schema compiled on
// first use) and takes exchanges one at a time, from files (recording-file.ts) or directly.
import { type Json, indexDescription, loadDescription } from "../sandbox/description.js";
import { FindingCollector, type FindingGroup } from "./collector.js";
import { type CheckSink, type ExchangeChecker, exchangeChecker } from "./exchange-check.js";
import { VERIFY_LIMITS } from "./limits.js";
import { count, emptyFileStats, type FileStats, type Observed } from "./observed.js";
import { operationMatcher } from "./operations.js";
import { declaredNames } from "./pointers.js";
import { readRecording } from "./recording-file.js";
import { serverPatterns } from "./servers.js";

export interface VerifyOptions {
  /** Base URLs to read as the description's servers too (a sandbox, a staging host). */
  servers?: readonly string[];
  /** A description to verify against instead of the bundled one (an overlay applied, say). */
  doc?: Json;
}

export interface VerifyResult {
  vendor: string;
  /** The description's title and version, as the report cites them. */
  description: { title: string; version: string };
  files: FileStats[];
  /** Exchanges read, and those matched to an operation (the others: skipped or unknown). */
  exchanges: number;
  matched: number;
  groups: FindingGroup[];
  /** Exchanges per operationId. */
  exchangesByOperation: Record<string, number>;
  /** Error-class groups (the exit code is non-zero when there is one). */
  errors: number;
  limits: typeof VERIFY_LIMITS;
}

export class Verifier {
  readonly files: FileStats[] = [];
  #collector: FindingCollector;
  #match: ReturnType<typeof operationMatcher>;
  #checker: ExchangeChecker;
  #description: ReturnType<typeof loadDescription>;
  #exchanges = 0;
  #matched = 0;
  /** Where the exchange being checked came from: the sink (made once) reports there. */
  #currentFile = 0;
  #currentAt = 0;
  #currentStats: FileStats = emptyFileStats("");
  #sink: CheckSink = {
    finding: (f) => this.#collector.add(f, this.#currentFile, this.#currentAt),
    setAside: () =>
      count(this.#currentStats.bodies, "violations set aside: redacted or personal fields"),
  };

  constructor(
    readonly vendor: string,
    options: VerifyOptions = {},
  ) {
    this.#description =
      options.doc === undefined ? loadDescription(vendor) : indexDescription(vendor, options.doc);
    const doc = this.#description.doc;
    this.#collector = new FindingCollector(declaredNames(doc));
    this.#match = operationMatcher(this.#description, serverPatterns(doc, options.servers ?? []));
    this.#checker = exchangeChecker(this.#description);
  }

  /** The description's document (the bundle, or the one given). */
  get doc(): Json {
    return this.#description.doc;
  }

  /** Checks one exchange; `stats` is the file it belongs to, for its counts. */
  exchange(exchange: Observed, stats: FileStats): void {
    this.#exchanges++;
    const match = this.#match(exchange);
    const collector = this.#collector;
    if (match.kind === "skip") {
      count(stats.skipped, match.reason);
      return;
    }
    if (match.kind === "unknown") {
      collector.add(
        {
          kind: "unknown-path",
          operationId: undefined,
          method: match.method,
          path: match.pattern,
          status: exchange.status,
          pointer: "",
          rule: "paths",
          message: "no operation of the description has this path and method",
          schemaPath: "#/paths",
        },
        exchange.file,
        exchange.at,
      );
      return;
    }
    this.#matched++;
    collector.seen(match.operation.operationId);
    this.#currentFile = exchange.file;
    this.#currentAt = exchange.at;
    this.#currentStats = stats;
    const unchecked = this.#checker.check(exchange, match.operation, this.#sink);
    if (unchecked !== undefined) count(stats.bodies, unchecked);
  }

  /** Reads a recording file and checks each of its exchanges. */
  async file(file: string): Promise<FileStats> {
    const index = this.files.length;
    // What the checks count (other hosts, bodies not checked) until the reader's counts exist.
    const checks = emptyFileStats(file);
    this.files.push(checks);
    const stats = await readRecording(file, index, (exchange) => this.exchange(exchange, checks));
    for (const [k, v] of Object.entries(checks.skipped)) count(stats.skipped, k, v);
    for (const [k, v] of Object.entries(checks.bodies)) count(stats.bodies, k, v);
    this.files[index] = stats;
    return stats;
  }

  result(): VerifyResult {
    const groups = this.#collector.finish();
    const info = (this.#description.doc.info ?? {}) as { title?: string; version?: string };
    return {
      vendor: this.vendor,
      description: { title: info.title ?? this.vendor, version: info.version ?? "" },
      files: this.files,
      exchanges: this.#exchanges,
      matched: this.#matched,
      groups,
      exchangesByOperation: Object.fromEntries(this.#collector.exchangesByOperation),
      errors: groups.filter((g) => g.severity === "error").length,
      limits: VERIFY_LIMITS,
    };
  }
}

/** Verifies recording files of `vendor`'s API. */
export async function verifyRecordings(
  vendor: string,
  files: readonly string[],
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const verifier = new Verifier(vendor, options);
  for (const file of files) await verifier.file(file);
  return verifier.result();
}
