// One send of one request, and nothing else: fetch with redirects left to the caller, a deadline for
// the status and headers, for each body chunk and for the whole answer, and a cap on the body's
// size. The body is read in full before this returns, so whatever the caller holds while it waits
// (a slot of the in-flight cap) is held until the answer has really arrived, and a body cut short
// is known here, where the retry loop can still send the request again.
//
// Failures the retry loop may retry come out as a `SendFailure`, never seen by users; the caller's
// abort comes out as its reason; everything else is a typed error.
import {
  type ErrorContext,
  InvalidResponseError,
  ResponseTooLargeError,
  TimeoutError,
  type TimeoutPhase,
  TransportError,
  type VendorClientError,
} from "../errors.js";
import { whenAborted } from "../abort.js";
import { bufferedResponse } from "./buffered-response.js";

export interface TimeoutOptions {
  /** Time to the response's status and headers. Default 30 s; `false`: no limit. */
  headersMs?: number | false;
  /** Longest pause between two chunks of the body. Default 30 s; `false`: no limit. */
  idleMs?: number | false;
  /** Time to the last byte of the body: ends a server that drips. Default 60 s; `false`: no limit. */
  totalMs?: number | false;
}

export const DEFAULT_TIMEOUTS: Required<TimeoutOptions> = {
  headersMs: 30_000,
  idleMs: 30_000,
  totalMs: 60_000,
};

/** The largest response body a client reads, unless configured otherwise (`maxResponseBytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** A request as the pipeline sends it, once or several times (retries, redirect hops). */
export interface Outgoing {
  url: string;
  method: string;
  headers: Headers;
  /** Read once from the caller's Request, so that any send can carry it again. */
  body: ArrayBuffer | null;
}

export interface SendSettings {
  /** The fetch given in the options; undefined: the runtime's own. */
  fetch: ((request: Request) => Promise<Response>) | undefined;
  timeouts: Required<TimeoutOptions>;
  maxResponseBytes: number;
}

/** Why a send produced no usable answer; the retry loop decides whether to send again. */
export class SendFailure {
  constructor(
    readonly kind: "network" | "timeout" | "cut-body",
    /** The transport's error (network, cut-body). */
    readonly cause?: unknown,
    readonly phase?: TimeoutPhase,
    readonly timeoutMs?: number,
  ) {}

  /** The typed error the call ends with, after `attempts` sends. */
  toError(ctx: ErrorContext, attempts: number): VendorClientError {
    switch (this.kind) {
      case "timeout":
        return new TimeoutError(ctx, this.phase!, this.timeoutMs!, attempts);
      case "cut-body":
        return new InvalidResponseError(
          ctx,
          undefined,
          "the connection dropped before the end of the body" +
            (attempts > 1 ? ` (${attempts} attempts)` : ""),
        );
      default:
        return new TransportError(ctx, this.cause, attempts);
    }
  }
}

/**
 * A Request ready to go out, with the controller that aborts it: its signal is either the
 * request's own or, when `signalInInit`, given to fetch beside it (`fetch(request, { signal })`).
 */
export interface Sendable {
  request: Request;
  controller: AbortController;
  signalInInit: boolean;
}

/** A new Request for `outgoing`, with a controller of its own and redirects left to the caller. */
export function sendable(outgoing: Outgoing): Sendable {
  const controller = new AbortController();
  const request = new Request(outgoing.url, {
    method: outgoing.method,
    headers: outgoing.headers,
    body: outgoing.body,
    signal: controller.signal,
    redirect: "manual",
  });
  return { request, controller, signalInInit: false };
}

/**
 * `request` as it is, its abort signal given to fetch beside it: only for the runtime's own fetch,
 * which honours that argument (a fetch given in the options may not, so it gets `sendable()`).
 */
export function sendableAsIs(request: Request): Sendable {
  return { request, controller: new AbortController(), signalInInit: true };
}

/**
 * Sends `request` once. `signal` is the caller's: it aborts the send while it is in flight, and
 * has no listener of ours left afterwards.
 */
export async function sendOnce(
  { request, controller, signalInInit }: Sendable,
  signal: AbortSignal | null,
  settings: SendSettings,
  ctx: ErrorContext,
): Promise<Response> {
  signal?.throwIfAborted();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Aborting the send also ends a pending body read, even where a fetch ignores its signal.
  const stop = (reason?: unknown) => {
    controller.abort(reason);
    reader?.cancel().catch(() => undefined);
  };
  const watchdog = new Watchdog(settings.timeouts, () => stop(), !settings.fetch);
  const stopWaiting = signal && whenAborted(signal, () => stop(signal.reason));
  /** What an interrupted send becomes: the caller's abort, a timeout, or `otherwise`. */
  const interrupted = (otherwise: SendFailure) => {
    if (signal?.aborted) return signal.reason;
    const { expired } = watchdog;
    if (expired) return new SendFailure("timeout", undefined, expired.phase, expired.ms);
    return otherwise;
  };

  try {
    let response: Response;
    try {
      response = await (settings.fetch
        ? settings.fetch(request)
        : globalThis.fetch(request, signalInInit ? { signal: controller.signal } : undefined));
    } catch (err) {
      throw interrupted(new SendFailure("network", err));
    }
    if (controller.signal.aborted) throw interrupted(new SendFailure("network"));
    watchdog.headersArrived();
    if (response.body === null) return response;

    const max = settings.maxResponseBytes;
    const announced = contentLength(response.headers);
    if (announced !== undefined && announced > max) {
      await response.body.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(ctx, response.status, max, announced);
    }
    // With the runtime's fetch, the body is complete once the announced length has arrived: the
    // transport delivers no byte past Content-Length. Reading on until the stream also says "done"
    // cost ~9% of a loopback request. Not where fetch decodes a Content-Encoding (the length is
    // the encoded one) nor beside a Transfer-Encoding (which overrides it); a fetch given in the
    // options may serve a body of any length whatever its headers.
    const complete =
      !settings.fetch &&
      announced !== undefined &&
      !response.headers.has("Content-Encoding") &&
      !response.headers.has("Transfer-Encoding")
        ? announced
        : -1;
    reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw interrupted(new SendFailure("cut-body", err));
      }
      if (controller.signal.aborted) throw interrupted(new SendFailure("cut-body"));
      if (chunk.done) break;
      watchdog.bodyArrived();
      size += chunk.value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        throw new ResponseTooLargeError(ctx, response.status, max);
      }
      chunks.push(chunk.value);
      if (size === complete) break;
    }
    return buffered(response, concat(chunks, size), ctx);
  } finally {
    watchdog.stop();
    stopWaiting?.();
  }
}

/**
 * The three timeouts of one send. Progress (the headers, a body chunk) only moves a timestamp; a
 * timer, when it fires, checks which deadline has really passed and, if none has, waits for the
 * next one. Re-arming a timer per chunk costs more than the chunk.
 *
 * With the runtime's own fetch, where timers can be unref'd (Node, Bun), every send in flight shares
 * one unref'd timer (`sharedTimer`), set again only when it fires: a ref'd timer set and cleared
 * per send cost 1.5-3% of a loopback request (a new Timeout, and the event loop's count of ref'd
 * handles going up and down each time). The unref'd timer never keeps the process alive, and needs
 * not: a send in flight holds its socket (or its DNS lookup), which does. A fetch given in the
 * options may hold nothing, so its sends keep a ref'd timer of their own, as do sends in runtimes
 * without unref (Deno, workerd, browsers), where a timer shared by the sends of different requests
 * could also outlive the request that set it.
 */
class Watchdog {
  expired: { phase: TimeoutPhase; ms: number } | undefined;
  readonly #started = performance.now();
  #lastProgress = this.#started;
  #headersArrived = false;
  /** Its own timer, when it has one; undefined when on the shared one (or none runs). */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #shared = false;

  constructor(
    private readonly timeouts: Required<TimeoutOptions>,
    private readonly onExpired: () => void,
    shareTimer: boolean,
  ) {
    const next = this.#next();
    if (next === undefined) return;
    if (shareTimer && sharedTimer.watch(this, next.at, this.#started)) this.#shared = true;
    else this.#arm(this.#started);
  }

  headersArrived(): void {
    this.#headersArrived = true;
    this.#lastProgress = performance.now();
  }

  bodyArrived(): void {
    this.#lastProgress = performance.now();
  }

  stop(): void {
    if (this.#shared) sharedTimer.unwatch(this);
    else clearTimeout(this.#timer);
  }

  /**
   * At `now`: when the next deadline passes, or undefined once one has passed (the send is then
   * stopped) or none runs.
   */
  check(now: number): number | undefined {
    const next = this.#next();
    if (next === undefined || next.at > now) return next?.at;
    this.expired = { phase: next.phase, ms: next.ms };
    this.onExpired();
    return undefined;
  }

  /** The running deadline that passes first, or undefined when none runs. */
  #next(): { phase: TimeoutPhase; ms: number; at: number } | undefined {
    const { headersMs, idleMs, totalMs } = this.timeouts;
    let next: { phase: TimeoutPhase; ms: number; at: number } | undefined;
    const consider = (phase: TimeoutPhase, ms: number | false, from: number) => {
      if (ms !== false && (next === undefined || from + ms < next.at))
        next = { phase, ms, at: from + ms };
    };
    consider("total", totalMs, this.#started);
    if (this.#headersArrived) consider("idle", idleMs, this.#lastProgress);
    else consider("headers", headersMs, this.#started);
    return next;
  }

  #arm(now: number): void {
    const next = this.#next();
    if (next) this.#timer = setTimeout(() => this.#fire(), Math.max(1, next.at - now));
  }

  #fire(): void {
    const now = performance.now();
    if (this.check(now) !== undefined) this.#arm(now);
  }
}

/**
 * The one unref'd timer of the sends that share it. It stays set while sends come and go, for the
 * earliest deadline of those in flight when it was set; when it fires it checks every send in
 * flight and is set again only if some remain.
 */
const sharedTimer = {
  watching: new Set<Watchdog>(),
  timer: undefined as ReturnType<typeof setTimeout> | undefined,
  at: Infinity,
  /** False once this runtime's timers turned out to have no unref(). */
  available: true,

  /** Watches `watchdog`, whose first deadline is `at`; false when this runtime cannot share. */
  watch(watchdog: Watchdog, at: number, now: number): boolean {
    if (!this.available) return false;
    if (at < this.at && !this.arm(at, now)) return false;
    this.watching.add(watchdog);
    return true;
  },

  unwatch(watchdog: Watchdog): void {
    this.watching.delete(watchdog);
  },

  arm(at: number, now: number): boolean {
    clearTimeout(this.timer);
    const timer: unknown = setTimeout(() => this.fire(), Math.max(1, at - now));
    if (typeof (timer as { unref?: unknown } | null)?.unref !== "function") {
      clearTimeout(timer as ReturnType<typeof setTimeout>);
      this.available = false;
      this.timer = undefined;
      this.at = Infinity;
      return false;
    }
    (timer as { unref(): void }).unref();
    this.timer = timer as ReturnType<typeof setTimeout>;
    this.at = at;
    return true;
  },

  fire(): void {
    this.timer = undefined;
    this.at = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const watchdog of this.watching) {
      const at = watchdog.check(now);
      if (at === undefined) this.watching.delete(watchdog);
      else next = Math.min(next, at);
    }
    if (next !== Infinity) this.arm(next, now);
  },
};

/** Content-Length as a whole number, or undefined when absent or not one. */
function contentLength(headers: Headers): number | undefined {
  const value = headers.get("Content-Length");
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The answer over the bytes already read; a status no Response can carry is an invalid answer. */
function buffered(response: Response, bytes: Uint8Array, ctx: ErrorContext): Response {
  try {
    return bufferedResponse(bytes, response);
  } catch {
    throw new InvalidResponseError(ctx, response.status, "the status is not a valid HTTP status");
  }
}
