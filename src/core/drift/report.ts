// Where failures beside a call go (a record sink that throws, an onDrift that throws, validators
// that do not load): to `onObserverError`, or, without one, to one console.warn per source, the
// message redacted. Never to the call, which goes on. A load that failed fails again with the same
// error object (it is not tried again), and that error is reported once.
import type { DriftOptions, ObserverFailure } from "./options.js";

const WHAT: Record<ObserverFailure, string> = {
  record: "the record sink failed",
  onDrift: "onDrift threw",
  validators: "the validators did not load",
};

export type Reporter = (error: unknown, source: ObserverFailure) => void;

export function observerErrorReporter(
  vendor: string,
  /** Redacts, then cuts to `max` characters (the client's `Secrets.cut`). */
  cut: (text: string, max: number) => string,
  handler: DriftOptions["onObserverError"],
): Reporter {
  const seen = new WeakSet<object>();
  const warned = new Set<ObserverFailure>();
  return (error, source) => {
    if (typeof error === "object" && error !== null) {
      if (seen.has(error)) return;
      seen.add(error);
    }
    if (handler) {
      try {
        handler(error, source);
      } catch {
        // a failing error handler has nowhere left to report to; the call goes on
      }
      return;
    }
    if (warned.has(source)) return;
    warned.add(source);
    const message = cut(error instanceof Error ? error.message : String(error), 500);
    console.warn(
      `[commerce-openapi] ${vendor}: ${WHAT[source]}: ${message} ` +
        "(the call went on; option onObserverError; reported once)",
    );
  };
}

/** Why a validating call fails when its validators cannot be had, and what to do about it. */
export function unavailable(
  settings: {
    vendor: string;
    vendorName: string;
    secrets: { cut(text: string, max: number): string };
  },
  cause: unknown,
): Error {
  const what = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    settings.secrets.cut(
      `${settings.vendorName}: validateResponses could not load the validators (${what}); a ` +
        `bundled app passes validators: () => import("commerce-openapi/${settings.vendor}/validators")`,
      1_000,
    ),
  );
}
