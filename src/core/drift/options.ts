// The options every client takes to record its traffic and to check its answers against the
// vendor's description (issue 18). All are off by default, and a client made without them is the
// client it was before: nothing is wrapped, nothing loaded.
import type { RecordedExchange } from "./exchange.js";
import type { DriftFinding } from "./findings.js";
import type { PersonalFieldsMode } from "./personal.js";
import type { ValidatorIndex } from "./validators.js";

export type ValidateResponses = "off" | "warn" | "throw";

/** What failed beside a call, without failing it. */
export type ObserverFailure =
  /** The `record` sink threw or rejected. */
  | "record"
  /** `onDrift` threw. */
  | "onDrift"
  /** The validators (or the operation index recordings take operationIds from) did not load. */
  | "validators";

export interface DriftOptions {
  /**
   * Receives every call that got an answer (any status; not one that ended without: a timeout, a
   * lost connection), credentials redacted and personal fields treated first. The call waits for
   * a returned promise (a slow sink slows the calls rather than piling exchanges up in memory):
   * return nothing to let it run on. A sink that throws or rejects never fails the call: see
   * `onObserverError`. `commerce-openapi/recording` writes rotated NDJSON files (Node).
   */
  record?: (exchange: RecordedExchange) => void | Promise<void>;
  /**
   * Personal fields in recorded bodies (names, emails, phone numbers, addresses, recognised by
   * property name): `"drop"` (default) removes them, `"hash"` replaces each by its SHA-256
   * (`sha256:<hex>`), `"keep"` leaves them.
   */
  recordPersonal?: PersonalFieldsMode;
  /**
   * Checks each answer against the description: its status, its headers and (2xx) its body, with
   * validators compiled at build time and loaded per operation on first use. `"warn"` calls
   * `onDrift` once per operation and kind of finding (not per request); `"throw"` makes a 2xx whose
   * body or status does not fit throw ResponseDriftError (undocumented fields and headers, and an
   * undocumented error status, still go to `onDrift` once: the descriptions are open). Default
   * `"off"`.
   */
  validateResponses?: ValidateResponses;
  /** Called with the findings of `validateResponses`. Default: `console.warn`. */
  onDrift?: (finding: DriftFinding) => void;
  /**
   * Called when the record sink or `onDrift` fails, or the validators do not load; the call goes
   * on (with `validateResponses: "throw"`, a call whose validators do not load fails). Default:
   * one `console.warn` per client and source, the error's message redacted.
   */
  onObserverError?: (error: unknown, source: ObserverFailure) => void;
  /**
   * Where the validators come from. Default: the package's own files (Node, Deno, Bun). A bundled
   * app (a Worker, a browser) passes `() => import("commerce-openapi/<vendor>/validators")`, so
   * that its bundler includes them, split off the client.
   */
  validators?: () => Promise<ValidatorIndex>;
}
