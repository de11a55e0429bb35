// Recording and response validation, wired into a client in one place for every vendor. With
// `record` or `validateResponses` set, the methods of the openapi-fetch client are wrapped (under
// the typed errors, so that each call is seen with its path template and its parsed body, whatever
// its status) and each call goes through the drift runtime (src/core/drift/observer.ts), loaded
// with the validators' index before the first call. This file is all a client carries of it: one
// that sets neither option is not wrapped and bundles none of the runtime.
import type { Client } from "openapi-fetch";
import type { Clock } from "../clock.js";
import type { Observer, Send } from "../drift/observer.js";
import type { DriftOptions } from "../drift/options.js";
import { unavailable } from "../drift/report.js";
import { packagedValidators } from "../drift/validators.js";
import { type ErrorContext, ResponseDriftError } from "../errors.js";
import { REDACTED } from "../redact.js";
import { METHODS } from "../typed-client.js";

export interface ObservedVendor {
  /** The package subpath (`hubrise`): where its validators are, and the exchanges' `vendor`. */
  name: string;
  ctx: Omit<ErrorContext, "operation">;
  clock: Clock;
}

/**
 * Wraps `client`'s methods to record and validate its answers as `options` ask; call it before
 * withTypedErrors (whose wrapper then sees a ResponseDriftError as one of its own).
 */
export function observeResponses<Paths extends {}>(
  client: Client<Paths>,
  vendor: ObservedVendor,
  options: DriftOptions,
): void {
  const mode = options.validateResponses ?? "off";
  if (mode !== "off" && mode !== "warn" && mode !== "throw")
    throw new RangeError(`validateResponses must be "off", "warn" or "throw"`);
  if (!["keep", "drop", "hash", undefined].includes(options.recordPersonal))
    throw new RangeError(`recordPersonal must be "keep", "drop" or "hash"`);
  if (options.record === undefined && mode === "off") return;

  const { secrets, vendor: vendorName } = vendor.ctx;
  const load = options.validators ?? packagedValidators(vendor.name);
  let observer: Promise<Observer | undefined> | undefined;
  // Loaded once (a failed load is not tried again). Through a promise from the start: a loader
  // that throws at once fails like one that rejects.
  const observerOf = () =>
    (observer ??= Promise.resolve()
      .then(load)
      .then(
        (index) =>
          index.createObserver({
            client,
            vendor: vendor.name,
            vendorName,
            operations: index.operations,
            secrets,
            redacted: REDACTED,
            clock: vendor.clock,
            driftError: (operation, status, findings) =>
              new ResponseDriftError({ ...vendor.ctx, operation }, status, findings),
            options,
          }),
        (err: unknown) => {
          // A validating client fails its calls; a recording one goes on, unrecorded.
          const failure = unavailable({ vendor: vendor.name, vendorName, secrets }, err);
          if (mode === "throw") throw failure;
          try {
            if (options.onObserverError) options.onObserverError(err, "validators");
            else console.warn(`[commerce-openapi] ${failure.message}; recording is off`);
          } catch {
            // a failing error handler has nowhere left to report to
          }
          return undefined;
        },
      ));

  for (const method of METHODS) {
    const send = client[method].bind(client) as unknown as Send;
    (client as unknown as Record<string, Send>)[method] = async (path, init) => {
      const observing = await observerOf();
      return observing ? observing.call(method, path, init, send) : send(path, init);
    };
  }
}
