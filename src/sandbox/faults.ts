// Faults a sandbox answers on demand, for integrators' tests of their own retry and error paths:
// queued with `sandbox.inject(fault)` (the next `times` matching requests get it), or asked for by
// one request with the `X-Sandbox-Fault` header (its value: the fault as JSON), for a sandbox in
// another process. A queued fault is taken after authentication and the rate limits, as a vendor's
// failing backend would answer: a 503 still counts against the windows.
import type { OperationSpec } from "./description.js";

export type SandboxFault = FaultKind & {
  /** How many matching requests get it (default 1; `Infinity`: until `clearFaults()`). */
  times?: number;
  /** Which requests get it (default: the next ones, whatever they are). */
  on?: FaultTarget;
};

export interface FaultTarget {
  operationId?: string;
  method?: string;
  /**
   * A string is the path after the base path, exactly (`/location/orders`); a RegExp is tested
   * against the request target as sent, base path and query included.
   */
  path?: string | RegExp;
}

export type FaultKind =
  /**
   * An error status with the vendor's error body for it (or `body` as given). `retryAfter` sets
   * Retry-After (seconds, or an HTTP date as text).
   */
  | {
      kind?: "status";
      status: number;
      retryAfter?: number | string;
      body?: string;
      contentType?: string;
      headers?: Record<string, string>;
    }
  /** The connection is reset before any answer. */
  | { kind: "reset" }
  /** No answer at all, until the client gives up or the sandbox closes. */
  | { kind: "hang" }
  /** The normal answer, `ms` of real time late. */
  | { kind: "delay"; ms: number }
  /** The normal answer's headers at once, then its body in `chunks` pieces, `chunkDelayMs` apart. */
  | { kind: "slow-body"; chunkDelayMs: number; chunks?: number }
  /** The normal answer's headers and half its body, then the connection drops. */
  | { kind: "cut-body" }
  /** The normal answer with its JSON cut in half (a complete, well-framed response). */
  | { kind: "truncated-json" }
  /** The normal answer with the vendor's paging header (or `header`) set to `value`. */
  | { kind: "paging-header"; value: string; header?: string }
  /** A list answers no items while its paging still says there are more. */
  | { kind: "empty-page" }
  /**
   * A list ignores the page it is asked for and answers its first page again, paging included
   * (HubRise: the same X-Cursor-Next every time), as a broken server does.
   */
  | { kind: "paging-ignored" }
  /** A list's announced total (in its body: Hike's `totalCount`) is `value`; undefined drops it. */
  | { kind: "paging-total"; value: unknown }
  /** A redirect (default 307) to `location`, another origin as a rule. */
  | { kind: "redirect"; location: string; status?: number }
  /**
   * An error (default 400) whose JSON body repeats the request's body and Authorization header,
   * as a careless server does: what a client must keep out of its errors.
   */
  | { kind: "echo"; status?: number };

/** The fault header's name (case-insensitive, as every header). */
export const FAULT_HEADER = "x-sandbox-fault";

const KINDS = new Set([
  "status",
  "reset",
  "hang",
  "delay",
  "slow-body",
  "cut-body",
  "truncated-json",
  "paging-header",
  "empty-page",
  "paging-ignored",
  "paging-total",
  "redirect",
  "echo",
]);

/** A fault as given by a caller (the API or the header), checked; a TypeError names what is wrong. */
export function checkFault(value: unknown): SandboxFault {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError('a fault is an object, e.g. { status: 503 } or { kind: "reset" }');
  }
  const f = value as Record<string, unknown>;
  const kind = f.kind ?? (f.status !== undefined ? "status" : undefined);
  if (typeof kind !== "string" || !KINDS.has(kind)) {
    throw new TypeError(`fault kind must be one of ${[...KINDS].join(", ")}`);
  }
  if (
    kind === "status" &&
    !(Number.isInteger(f.status) && (f.status as number) >= 100 && (f.status as number) <= 599)
  ) {
    throw new TypeError("fault status must be an HTTP status (100–599)");
  }
  const ms = kind === "delay" ? f.ms : kind === "slow-body" ? f.chunkDelayMs : 0;
  if (!(typeof ms === "number" && ms >= 0 && ms <= 600_000)) {
    throw new TypeError("fault delays are 0 to 600,000 ms");
  }
  if (kind === "redirect" && typeof f.location !== "string") {
    throw new TypeError("a redirect fault needs its location");
  }
  if (kind === "paging-header" && typeof f.value !== "string") {
    throw new TypeError("a paging-header fault needs the header's value");
  }
  const times = f.times ?? 1;
  if (!(times === Infinity || (Number.isInteger(times) && (times as number) >= 1))) {
    throw new TypeError("fault times must be a positive integer or Infinity");
  }
  return { ...f, kind } as SandboxFault;
}

/** The fault one request asks for with the X-Sandbox-Fault header (JSON), if any. */
export function faultFromHeader(value: string | string[] | undefined): SandboxFault | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value[0]! : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError(`${FAULT_HEADER} must be a fault as JSON, e.g. {"status":503}`);
  }
  return checkFault(parsed);
}

interface Queued {
  fault: SandboxFault;
  left: number;
}

/** Faults waiting for their requests, first queued first served. */
export class FaultQueue {
  #queued: Queued[] = [];

  add(fault: SandboxFault): void {
    const checked = checkFault(fault);
    this.#queued.push({ fault: checked, left: checked.times ?? 1 });
  }

  clear(): void {
    this.#queued = [];
  }

  /** The fault for this request, counted; undefined when none matches. */
  take(request: { method: string; path: string; target: string; operation?: OperationSpec }) {
    const i = this.#queued.findIndex(({ fault: { on } }) => matches(on, request));
    if (i < 0) return undefined;
    const queued = this.#queued[i]!;
    if (--queued.left <= 0) this.#queued.splice(i, 1);
    return queued.fault;
  }
}

function matches(
  on: FaultTarget | undefined,
  request: { method: string; path: string; target: string; operation?: OperationSpec },
): boolean {
  if (on === undefined) return true;
  if (on.operationId !== undefined && request.operation?.operationId !== on.operationId)
    return false;
  if (on.method !== undefined && on.method.toUpperCase() !== request.method.toUpperCase())
    return false;
  if (typeof on.path === "string" && on.path !== request.path) return false;
  if (on.path instanceof RegExp) {
    on.path.lastIndex = 0;
    if (!on.path.test(request.target)) return false;
  }
  return true;
}
