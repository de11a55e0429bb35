// The precompiled response validators of a vendor (generated/<vendor>/validators/, written by the
// build: scripts/lib/response-validators.ts), as the clients load them: the index (statuses,
// headers, one loader per operation, and the drift runtime) on the first answer of a client that
// records or validates, each operation's module on its first 2xx.
import type { AjvErrorLike } from "./findings.js";
import type { Observer, ObserverSettings } from "./observer.js";

export interface ResponseValidator {
  validate: { (data: unknown): boolean; errors?: AjvErrorLike[] | null };
  /** The body schema's JSON pointer in the description. */
  schemaPath: string;
  /** The body's (or each list item's) property names, when cheap to check. */
  fields?: { list: boolean; names: readonly string[] };
}

export interface OperationEntry {
  operationId: string;
  /** The statuses the description documents (`200`, `4XX`, `default`). */
  statuses: readonly string[];
  /** Declared header names (lower case), by status. */
  headers?: Readonly<Record<string, readonly string[]>>;
  /** Loads the validators of its success bodies; absent when none has a JSON schema. */
  load?: () => Promise<{ responses: Readonly<Record<string, ResponseValidator>> }>;
}

/** What `commerce-openapi/<vendor>/validators` exports. */
export interface ValidatorIndex {
  /** By `METHOD /path/template`. */
  operations: Readonly<Record<string, OperationEntry>>;
  /** The drift runtime (src/core/drift/observer.ts), bundled in by the build. */
  createObserver(settings: ObserverSettings): Observer;
}

/**
 * The loader of the validators shipped in the package, next to dist/ (the same place from src/ and
 * from dist/core/drift/). The specifier is computed on purpose: a literal `import("…")` would make
 * every bundler put all the validators into every app that uses a client, validating or not. So
 * this loads in Node, Deno and Bun (the package's files on disk); a bundled app (a Worker, a
 * browser) passes the option `validators: () => import("commerce-openapi/<vendor>/validators")`
 * instead, which its bundler sees and splits off.
 */
export function packagedValidators(vendor: string): () => Promise<ValidatorIndex> {
  return () => {
    const url = new URL(`../../../generated/${vendor}/validators/index.js`, import.meta.url);
    return import(/* @vite-ignore */ /* webpackIgnore: true */ url.href) as Promise<ValidatorIndex>;
  };
}

/** The key of `status` among the documented ones (`404`, else `4XX`, else `default`); or undefined. */
export function documentedStatus(status: number, statuses: readonly string[]): string | undefined {
  const exact = String(status);
  if (statuses.includes(exact)) return exact;
  const range = `${exact[0]}XX`;
  if (statuses.includes(range)) return range;
  return statuses.includes("default") ? "default" : undefined;
}
