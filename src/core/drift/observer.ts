// The drift runtime: each call of a client that records or validates goes through it. It is not
// part of the client: the build bundles it into each vendor's validators index
// (generated/<vendor>/validators/index.js, scripts/lib/response-validators.ts), which the client
// loads before its first call only when `record` or `validateResponses` is set
// (src/core/http/observed-client.ts), so that a client that does neither carries none of this
// code. Hence it imports nothing outside src/core/drift/ (the build checks): the client hands over
// what it needs of its own (its secrets, its clock, how to make its ResponseDriftError).
import type { Client } from "openapi-fetch";
import type { DriftFinding } from "./findings.js";
import type { DriftOptions } from "./options.js";
import { exchangeOf, type SecretsLike } from "./record.js";
import { observerErrorReporter, unavailable } from "./report.js";
import { ResponseValidation } from "./validation.js";
import type { ValidatorIndex } from "./validators.js";

export interface ObserverSettings {
  /** The openapi-fetch client: a middleware tells each answer's request URL. */
  client: Pick<Client<{}>, "use">;
  /** The package subpath (`hubrise`): the exchanges' `vendor`. */
  vendor: string;
  /** The vendor's name in messages (`HubRise`). */
  vendorName: string;
  operations: ValidatorIndex["operations"];
  secrets: SecretsLike;
  /** What a redacted value reads (`[redacted]`). */
  redacted: string;
  clock: { now(): number };
  /** The client's ResponseDriftError for `operation` (`GET /location/orders`). */
  driftError(operation: string, status: number, findings: DriftFinding[]): Error;
  options: DriftOptions;
}

export type Result = { data?: unknown; error?: unknown; response: Response };
export type Send = (path: string, init?: unknown) => Promise<Result>;

export interface Observer {
  /**
   * Sends a call with `send` (openapi-fetch's method), then records and validates its answer.
   * Throws the client's ResponseDriftError with "throw" when a 2xx does not fit, and an Error
   * when the operation's validators do not load.
   */
  call(method: string, path: string, init: unknown, send: Send): Promise<Result>;
}

export function createObserver(settings: ObserverSettings): Observer {
  const { options, secrets } = settings;
  const mode = options.validateResponses ?? "off";
  const personal = options.recordPersonal ?? "drop";
  const report = observerErrorReporter(
    settings.vendorName,
    (text, max) => secrets.cut(text, max),
    options.onObserverError,
  );
  const onDrift = options.onDrift ?? warnDrift(settings.vendorName);
  const validation =
    mode === "off"
      ? undefined
      : new ResponseValidation(
          mode,
          (finding) => {
            try {
              onDrift(finding);
            } catch (err) {
              report(err, "onDrift");
            }
          },
          (text) => secrets.redact(text),
        );
  // The URL each call was sent to (the wrapper only knows the template), for the recordings.
  const sentTo = new WeakMap<Response, string>();
  if (options.record) {
    settings.client.use({
      onResponse: ({ request, response }) => void sentTo.set(response, request.url),
    });
  }

  return {
    async call(method, path, init, send) {
      const startedAt = settings.clock.now();
      const started = performance.now();
      const result = await send(path, init);
      const durationMs = performance.now() - started;
      const { response } = result;
      const entry = settings.operations[`${method} ${path}`];

      let thrown: DriftFinding[] = [];
      let failure: Error | undefined;
      if (validation && entry) {
        try {
          thrown = await validation.check({ entry, method, path, response, body: result.data });
        } catch (err) {
          if (mode === "throw") failure = unavailable(settings, err);
          else report(err, "validators");
        }
      }
      if (options.record) {
        const answered = {
          vendor: settings.vendor,
          method,
          path,
          operationId: entry?.operationId,
          url: sentTo.get(response) ?? response.url,
          response,
          body: response.ok ? result.data : result.error,
          startedAt,
          durationMs,
        };
        try {
          await options.record(await exchangeOf(answered, personal, secrets, settings.redacted));
        } catch (err) {
          report(err, "record");
        }
      }
      if (failure) throw failure;
      if (thrown.length > 0)
        throw settings.driftError(`${method} ${path}`, response.status, thrown);
      return result;
    },
  };
}

/** The default `onDrift`: one line per finding (they come once per operation and kind). */
function warnDrift(vendor: string): (finding: DriftFinding) => void {
  return (f) =>
    console.warn(
      `[commerce-openapi] ${vendor} drift: ${f.method} ${f.path} (${f.operationId}) ${f.status}: ` +
        `${f.message} [${f.kind}, ${f.rule} at ${f.schemaPath}]`,
    );
}
