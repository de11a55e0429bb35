// The fetch wrapper handed to openapi-fetch (`createClient({ fetch })`). A request flows one way:
// rate-limit windows → in-flight slot → one send (timeouts, size cap, body read in full) → the
// redirect policy (each hop goes round again, scheduled and counted like any request) → the retry
// policy.
//
// Retried: idempotent methods only (a POST may have been applied even if its answer was lost), on
// the configured statuses, on transport failures, timeouts and bodies cut short, with exponential
// backoff and jitter, honouring Retry-After, and bounded by a cap on attempts and on total time.
// Never retried: what cannot succeed (a redirect refused, a body over the size cap, headers too
// large for the transport). Aborts end it at once.
import { type Clock, sleep, systemClock } from "../clock.js";
import { errorCode, type ErrorContext } from "../errors.js";
import type { InFlightLimiter, WindowLimiter } from "../limits/store.js";
import type { Secrets } from "../redact.js";
import {
  DEFAULT_REDIRECTS,
  type Hop,
  isRedirect,
  nextHop,
  type RedirectOptions,
} from "./redirects.js";
import { parseRetryAfter } from "./retry-after.js";
import { ClientRequest } from "./client-request.js";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUTS,
  SendFailure,
  type SendSettings,
  sendable,
  sendableAsIs,
  sendOnce,
  type TimeoutOptions,
} from "./send.js";

export interface RetryOptions {
  /** Total sends of one request, the first included. Default 4. */
  maxAttempts?: number;
  /** First backoff step; doubles each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest single wait, whatever Retry-After says. Default 65 s (just over a 1-minute window). */
  maxDelayMs?: number;
  /** Give up when the next wait would end later than this after the first send. Default 120 s. */
  maxTotalWaitMs?: number;
  /** Statuses that are retried. Default 429, 500, 502, 503, 504. */
  statuses?: readonly number[];
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 65_000,
  maxTotalWaitMs: 120_000,
  statuses: [429, 500, 502, 503, 504],
};

/** RFC 9110 idempotent methods: sending them twice has the effect of sending them once. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/**
 * Transport failures that the same request can never get past: the answer's headers are larger
 * than the transport accepts (undici's 16 KB), so sending again only costs another attempt.
 */
const PERMANENT_TRANSPORT_CODES = new Set([
  "UND_ERR_HEADERS_OVERFLOW",
  "HPE_HEADER_OVERFLOW",
  "UND_ERR_RES_EXCEEDED_MAX_SIZE",
]);

export interface RateLimiting<B extends string> {
  scheduler: WindowLimiter<B>;
  /** The buckets a request (or a redirect hop) counts against; on 429 the last one is paused unless… */
  bucketsFor(request: { method: string; url: string }): readonly B[];
  /** …the vendor says which limit refused it (Hike's X-Rate-Limit-Problem). */
  refusedBucket?(response: Response, buckets: readonly B[]): B | undefined;
}

/** What every client lets its users set about how requests travel. */
export interface TransportOptions {
  /** The fetch to send requests with (tests, proxies, instrumentation). */
  fetch?: (request: Request) => Promise<Response>;
  /** Per-attempt timeouts; `false` turns them all off. */
  timeouts?: TimeoutOptions | false;
  /** The largest response body read, in bytes (success or error). Default 32 MB. */
  maxResponseBytes?: number;
  /** Redirect policy: same-origin hops only, by default. */
  redirects?: RedirectOptions;
}

export interface ResilientFetchOptions<B extends string> extends TransportOptions {
  vendor: string;
  clock?: Clock;
  /** `false` sends every request once. */
  retry?: RetryOptions | false;
  rateLimiting?: RateLimiting<B>;
  /**
   * Caps the requests in flight (e.g. Hiboutik's 30 concurrent calls per shop). A slot is held for
   * each send until its body has been read, never during a backoff wait.
   */
  concurrency?: InFlightLimiter;
  /** Credentials to keep out of error messages. */
  secrets: Secrets;
  /** For tests of the jitter; defaults to Math.random. */
  random?: () => number;
}

/**
 * How many sends produced a response, for the attempts count in errors. Only retried responses are
 * recorded: the common first-attempt success stays off the WeakMap (cheaper for the GC).
 */
const attemptsByResponse = new WeakMap<Response, number>();
export const attemptsOf = (response: Response): number => attemptsByResponse.get(response) ?? 1;
const recordAttempts = (response: Response, attempt: number) => {
  if (attempt > 1) attemptsByResponse.set(response, attempt);
};

/** The transport options out of a client's options (which also hold its credentials). */
export function transportOptions(options: TransportOptions): TransportOptions {
  const { fetch, timeouts, maxResponseBytes, redirects } = options;
  return { fetch, timeouts, maxResponseBytes, redirects };
}

/** The send settings a client's transport options stand for. */
export function sendSettings(options: TransportOptions): SendSettings {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(Number.isInteger(maxResponseBytes) && maxResponseBytes > 0)) {
    throw new RangeError("maxResponseBytes must be a whole number of bytes > 0");
  }
  const timeouts =
    options.timeouts === false
      ? { headersMs: false as const, idleMs: false as const, totalMs: false as const }
      : { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  for (const [name, ms] of Object.entries(timeouts)) {
    if (ms !== false && !(typeof ms === "number" && ms > 0 && ms <= 2 ** 31 - 1)) {
      throw new RangeError(`timeouts.${name} must be a number of ms > 0, or false`);
    }
  }
  return { fetch: options.fetch, timeouts, maxResponseBytes };
}

export function createResilientFetch<B extends string>(
  options: ResilientFetchOptions<B>,
): (request: Request) => Promise<Response> {
  const settings = sendSettings(options);
  const redirects = { ...DEFAULT_REDIRECTS, ...options.redirects };
  const clock = options.clock ?? systemClock;
  const policy =
    options.retry === false
      ? { ...DEFAULT_RETRY, maxAttempts: 1 }
      : { ...DEFAULT_RETRY, ...options.retry };
  const retryStatuses = new Set(policy.statuses);
  const random = options.random ?? Math.random;
  const limits = options.rateLimiting;
  const inFlight = options.concurrency;

  const backoff = (retry: number) => {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
    return ceiling / 2 + (random() * ceiling) / 2; // "equal jitter": spread out, never near zero
  };

  return async function resilientFetch(request: Request): Promise<Response> {
    const signal = ClientRequest.callerSignalOf(request);
    const retryable = IDEMPOTENT.has(request.method) && policy.maxAttempts > 1;
    const ctx = new RequestContext(options.vendor, request, options.secrets);
    // A request without a body goes out as it is the first time, when the runtime's own fetch
    // sends it (see client-request.ts).
    let asIs = !settings.fetch && request.body === null && ClientRequest.takeUnsent(request);
    const first: Hop = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      // Read once, so that every retry and redirect hop can carry it again.
      body: request.body === null ? null : await request.arrayBuffer(),
      credentials: true,
    };
    const firstBuckets = limits?.bucketsFor(request) ?? [];
    // The retry budget starts at the first send: time queued behind the rate limits is not a retry.
    let started = 0;
    const withinBudget = (resumeAt: number) => resumeAt - started <= policy.maxTotalWaitMs;

    /** One send of one hop, inside the rate limits and the in-flight cap. */
    const sendHop = (hop: Hop, buckets: readonly B[]): Promise<Response> => {
      // The common case (room in every window, no in-flight cap) adds no promise of its own.
      if (limits && buckets.length > 0 && !limits.scheduler.tryAcquire(buckets)) {
        return limits.scheduler.acquire(buckets, signal).then(() => sendInSlot(hop));
      }
      return sendInSlot(hop);
    };
    const sendInSlot = (hop: Hop): Promise<Response> => {
      signal?.throwIfAborted();
      if (inFlight) return holdingSlot(hop);
      if (started === 0) started = clock.now();
      return sendOnce(sendableFor(hop), signal, settings, ctx);
    };
    const holdingSlot = async (hop: Hop): Promise<Response> => {
      const lease = inFlight!.tryAcquire() ?? (await inFlight!.acquire(signal));
      if (started === 0) started = clock.now();
      try {
        return await sendOnce(sendableFor(hop), signal, settings, ctx);
      } finally {
        lease.release();
      }
    };
    const sendableFor = (hop: Hop) => {
      const send = hop === first && asIs ? sendableAsIs(request) : sendable(hop);
      asIs = false;
      return send;
    };

    /** The answer at the end of the redirects, each hop scheduled and counted like a request. */
    const followRedirects = async (response: Response): Promise<Response> => {
      let hop = first;
      for (let hops = 0; isRedirect(response); hops++) {
        const next = nextHop(response, hop, new URL(request.url).origin, hops, redirects, ctx);
        if (next === undefined) return response;
        hop = next;
        response = await sendHop(hop, limits?.bucketsFor(hop) ?? []);
      }
      return response;
    };

    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await sendHop(first, firstBuckets);
        if (isRedirect(response)) response = await followRedirects(response);
      } catch (err) {
        if (!(err instanceof SendFailure)) throw err; // typed errors and aborts end the call
        const delay = backoff(attempt);
        if (
          !retryable ||
          isPermanent(err) ||
          attempt >= policy.maxAttempts ||
          !withinBudget(clock.now() + delay)
        ) {
          throw err.toError(ctx, attempt);
        }
        await sleep(clock, delay, signal);
        continue;
      }

      // Hiboutik's 429 is the shop's monthly quota: a shared store stops every process sending.
      if (response.status === 429) inFlight?.quotaSpent?.();
      if (!retryStatuses.has(response.status)) {
        recordAttempts(response, attempt);
        return response;
      }

      const now = clock.now();
      const retryAfter = parseRetryAfter(response.headers.get("Retry-After"), now);
      // A Retry-After of 0 or a past date must not turn the retries into a burst.
      const step = backoff(attempt);
      const wait = Math.max(retryAfter ?? 0, step);
      let resumeAt: number;
      if (response.status === 429 && limits && firstBuckets.length > 0) {
        // Pause the whole bucket: every queued request of this class would be refused too.
        const bucket =
          limits.refusedBucket?.(response, firstBuckets) ?? firstBuckets[firstBuckets.length - 1]!;
        resumeAt =
          retryAfter !== undefined
            ? now + wait
            : Math.max(limits.scheduler.nextWindowStart(bucket, now), now + step);
        resumeAt = Math.min(resumeAt, now + policy.maxDelayMs);
        limits.scheduler.pause(bucket, resumeAt);
      } else {
        resumeAt = now + Math.min(wait, policy.maxDelayMs);
      }

      if (!retryable || attempt >= policy.maxAttempts || !withinBudget(resumeAt)) {
        recordAttempts(response, attempt);
        return response;
      }
      // With a scheduler, a 429's wait happens in acquire() (the bucket is paused).
      if (!(response.status === 429 && limits && firstBuckets.length > 0))
        await sleep(clock, resumeAt - now, signal);
    }
  };
}

/** The context of a request's errors; its operation is worked out only if an error needs it. */
class RequestContext implements ErrorContext {
  #operation: string | undefined;
  constructor(
    readonly vendor: string,
    private readonly request: Request,
    readonly secrets: Secrets,
  ) {}
  get operation(): string {
    return (this.#operation ??= `${this.request.method} ${new URL(this.request.url).pathname}`);
  }
}

function isPermanent(failure: SendFailure): boolean {
  return (
    failure.kind === "network" && PERMANENT_TRANSPORT_CODES.has(errorCode(failure.cause) ?? "")
  );
}
