// The fetch wrapper handed to openapi-fetch (`createClient({ fetch })`): schedules each request
// through the vendor's rate-limit buckets and retries what is safe to retry.
//
// Retried: idempotent methods only (a POST may have been applied even if its answer was lost), on
// the configured statuses and on transport failures, with exponential backoff and jitter, honouring
// Retry-After, and bounded by a cap on attempts and on total time. Aborts end it at once.
import { type Clock, sleep, systemClock } from "../clock.js";
import type { ConcurrencyLimiter } from "../limits/concurrency-limiter.js";
import { TransportError } from "../errors.js";
import type { WindowScheduler } from "../limits/window-scheduler.js";
import { parseRetryAfter } from "./retry-after.js";

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

export interface RateLimiting<B extends string> {
  scheduler: WindowScheduler<B>;
  /** The buckets a request counts against; on 429 the last one is paused unless… */
  bucketsFor(request: Request): readonly B[];
  /** …the vendor says which limit refused it (Hike's X-Rate-Limit-Problem). */
  refusedBucket?(response: Response, buckets: readonly B[]): B | undefined;
}

export interface ResilientFetchOptions<B extends string> {
  vendor: string;
  fetch?: (request: Request) => Promise<Response>;
  clock?: Clock;
  /** `false` sends every request once. */
  retry?: RetryOptions | false;
  rateLimiting?: RateLimiting<B>;
  /**
   * Caps the requests in flight (e.g. Hiboutik's 30 concurrent calls per shop). A slot is held for
   * each send until its response headers arrive, never during a backoff wait.
   */
  concurrency?: ConcurrencyLimiter;
  /** Credentials to keep out of error messages. */
  secrets: readonly string[];
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

export function createResilientFetch<B extends string>(
  options: ResilientFetchOptions<B>,
): (request: Request) => Promise<Response> {
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
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
    const signal = request.signal;
    const retryable = IDEMPOTENT.has(request.method) && policy.maxAttempts > 1;
    // A body can be read once: keep an untouched copy to clone for every send. A request without a
    // body (most retried ones: GET, DELETE) can be sent again as it is, and cloning costs.
    const needsCopy = retryable && request.body !== null;
    const original = needsCopy ? request.clone() : request;
    const buckets = limits?.bucketsFor(request) ?? [];
    // The retry budget starts at the first send: time queued behind the rate limits is not a retry.
    let started = 0;
    const withinBudget = (resumeAt: number) => resumeAt - started <= policy.maxTotalWaitMs;

    for (let attempt = 1; ; attempt++) {
      if (limits && buckets.length > 0 && !limits.scheduler.tryAcquire(buckets)) {
        await limits.scheduler.acquire(buckets, signal);
      }
      signal?.throwIfAborted();
      if (inFlight && !inFlight.tryAcquire()) await inFlight.acquire(signal);
      if (attempt === 1) started = clock.now();
      let response: Response;
      try {
        response = await baseFetch(needsCopy ? original.clone() : request);
      } catch (err) {
        inFlight?.release();
        if (signal?.aborted) throw signal.reason;
        const delay = backoff(attempt);
        if (!retryable || attempt >= policy.maxAttempts || !withinBudget(clock.now() + delay)) {
          const operation = `${request.method} ${new URL(request.url).pathname}`;
          throw new TransportError(
            { vendor: options.vendor, operation, secrets: options.secrets },
            err,
            attempt,
          );
        }
        await sleep(clock, delay, signal);
        continue;
      }
      inFlight?.release();

      if (!retryStatuses.has(response.status)) {
        recordAttempts(response, attempt);
        return response;
      }

      const now = clock.now();
      const retryAfter = parseRetryAfter(response.headers.get("Retry-After"), now);
      let resumeAt: number;
      if (response.status === 429 && limits && buckets.length > 0) {
        // Pause the whole bucket: every queued request of this class would be refused too.
        const bucket = limits.refusedBucket?.(response, buckets) ?? buckets[buckets.length - 1]!;
        resumeAt =
          retryAfter !== undefined
            ? now + retryAfter
            : limits.scheduler.nextWindowStart(bucket, now);
        resumeAt = Math.min(resumeAt, now + policy.maxDelayMs);
        limits.scheduler.pause(bucket, resumeAt);
      } else {
        resumeAt = now + Math.min(retryAfter ?? backoff(attempt), policy.maxDelayMs);
      }

      if (!retryable || attempt >= policy.maxAttempts || !withinBudget(resumeAt)) {
        recordAttempts(response, attempt);
        return response;
      }
      await response.body?.cancel().catch(() => undefined); // free the connection
      // With a scheduler, a 429's wait happens in acquire() (the bucket is paused).
      if (!(response.status === 429 && limits && buckets.length > 0))
        await sleep(clock, resumeAt - now, signal);
    }
  };
}
