// How the four clients survive a server that is silent, drips, sends 200 MB, holds bodies back,
// sends headers no transport accepts, or a Retry-After that is not one; and path parameters that
// would change the request's path.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  InvalidParameterError,
  ResponseTooLargeError,
  TimeoutError,
  TransportError,
} from "../../src/core/errors.js";
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS } from "../../src/core/http/send.js";
import { errorLog } from "../support/error-log.js";
import { drip, type HostileServer, json, hostileServers, stream } from "./server.js";
import { ALL_CANARIES, hiboutik, VENDORS } from "./vendors.js";

const errors = errorLog();
const server = hostileServers();

const FAST_TIMEOUTS = { headersMs: 300, idleMs: 300, totalMs: 1_500 };
const TWO_ATTEMPTS = { maxAttempts: 2, baseDelayMs: 10 };
/** Real-time bound of a call that must end by its own timeouts (a hang fails the test). */
const BOUND_MS = 10_000;

async function timed(promise: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = performance.now();
  const err = await errors.caught(promise);
  return { err, ms: performance.now() - started };
}

describe("the timeouts have defaults", () => {
  it("30 s to the headers, 30 s between body chunks, 60 s for a whole answer; 32 MB bodies", () => {
    expect(DEFAULT_TIMEOUTS).toEqual({ headersMs: 30_000, idleMs: 30_000, totalMs: 60_000 });
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024);
  });
});

describe.each(VENDORS)("$name: transport", (vendor) => {
  it("a silent server: TimeoutError (headers); GET sent again within its retries, POST once", async () => {
    const api = await server();
    api.answer = () => undefined; // never answers
    const client = vendor.create(api.origin, { timeouts: FAST_TIMEOUTS, retry: TWO_ATTEMPTS });
    const get = await timed(vendor.read(client));
    expect(get.err).toBeInstanceOf(TimeoutError);
    expect((get.err as TimeoutError).phase).toBe("headers");
    expect((get.err as TimeoutError).attempts).toBe(2);
    expect(get.ms).toBeLessThan(BOUND_MS);
    expect(api.received).toHaveLength(2);
    const post = await timed(vendor.write(client));
    expect(post.err).toBeInstanceOf(TimeoutError);
    expect((post.err as TimeoutError).attempts).toBe(1);
    expect(api.received).toHaveLength(3);
  });

  it("a dripping server (a byte every 50 ms) is ended by the total timeout", async () => {
    const api = await server();
    api.answer = (_req, res) => drip(api, res, 50, 10_000);
    const client = vendor.create(api.origin, { timeouts: FAST_TIMEOUTS, retry: false });
    const { err, ms } = await timed(vendor.read(client));
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).phase).toBe("total");
    expect(ms).toBeLessThan(BOUND_MS);
    expect(api.bytesWritten).toBeLessThan(100);
  });

  it("a body that stops arriving is ended by the idle timeout", async () => {
    const api = await server();
    api.answer = (_req, res) => drip(api, res, 2_000, 10);
    const client = vendor.create(api.origin, { timeouts: FAST_TIMEOUTS, retry: false });
    const { err, ms } = await timed(vendor.read(client));
    expect((err as TimeoutError).phase).toBe("idle");
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("a 200 MB body (success or error) stops at the 32 MB cap, without buffering it whole", async () => {
    const api = await server();
    let status = 200;
    api.answer = (_req, res) => {
      res.statusCode = status;
      stream(api, res, 200 * 1024 * 1024);
    };
    const client = vendor.create(api.origin, { retry: false });
    for (status of [200, 500]) {
      const before = process.memoryUsage().rss;
      api.bytesWritten = 0;
      const { err } = await timed(vendor.read(client));
      expect(err, `status ${status}`).toBeInstanceOf(ResponseTooLargeError);
      expect((err as ResponseTooLargeError).limitBytes).toBe(32 * 1024 * 1024);
      // The server stops when the client goes: far less than 200 MB left it (socket buffers).
      expect(api.bytesWritten).toBeLessThan(48 * 1024 * 1024);
      // Generous: catches a body buffered whole (+200 MB), not a claim about memory use.
      expect(process.memoryUsage().rss - before).toBeLessThan(120 * 1024 * 1024);
    }
    // A body that announces its size is refused before it is read.
    api.answer = (_req, res) => {
      res.writeHead(200, { "Content-Length": String(200 * 1024 * 1024) });
      res.write("[");
    };
    const { err } = await timed(vendor.read(client));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toContain("announces 209715200 bytes");
  });

  it("headers too large for the transport: one TransportError, not four attempts", async () => {
    const api = await server();
    api.answer = (_req, res) => json(res, 200, {}, { "X-Padding": "p".repeat(20_000) });
    const { err } = await timed(vendor.read(vendor.create(api.origin)));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).attempts).toBe(1);
    expect(api.received).toHaveLength(1);
  });

  it("`Retry-After: a 1` is not a date in the past: the retries still back off", async () => {
    const api = await server();
    api.answer = (req, res) =>
      api.received.length <= 3
        ? json(res, 503, vendor.errorBody("busy"), { "Retry-After": "a 1" })
        : json(res, 404, vendor.errorBody("done"));
    const client = vendor.create(api.origin, { retry: { baseDelayMs: 100 }, throwOnError: true });
    const { ms } = await timed(vendor.read(client));
    expect(api.received).toHaveLength(4);
    // Equal jitter waits at least half of each step: 50 + 100 + 200 ms.
    expect(ms).toBeGreaterThanOrEqual(350);
  });

  it("path parameters '', '.' and '..' are refused before anything is sent", async () => {
    const api = await server();
    api.answer = (_req, res) => json(res, 200, {});
    const client = vendor.create(api.origin);
    for (const id of ["", ".", ".."]) {
      const err = await errors.caught(vendor.remove(client, id));
      expect(err, JSON.stringify(id)).toBeInstanceOf(InvalidParameterError);
    }
    expect(api.received).toHaveLength(0);
    // Anything else is one percent-encoded segment.
    await vendor.remove(client, "../a/b?c#d").catch(() => undefined);
    expect(api.received.at(-1)?.url).toMatch(/\/\.\.%2Fa%2Fb%3Fc%23d$/);
  });
});

describe("Hiboutik: the in-flight cap holds until each body has arrived", () => {
  it("90 calls, cap 30, bodies 300 ms behind their headers: never more than 30 open", async () => {
    const api = await server();
    api.answer = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write("[");
      api.later(300, () => res.end('{"customers_id":7}]'));
    };
    const client = hiboutik.create(api.origin);
    await Promise.all(Array.from({ length: 90 }, () => hiboutik.read(client)));
    expect(api.received).toHaveLength(90);
    expect(api.maxOpen).toBe(30);
  });
});

describe("a signal shared by many calls carries one listener of the client's", () => {
  it("Hiboutik: 100 calls at once on one signal (30 in flight, 70 queued), then paging 30 at once", async () => {
    const api = await server();
    api.answer = (req, res) => {
      const p = Number(new URL(req.url, "http://x").searchParams.get("p") ?? 0);
      const headers: Record<string, string> = p > 0 ? { "Content-Range": `${p}-${p}/60` } : {};
      api.later(50, () => json(res, 200, [{ customers_id: p || 7 }], headers));
    };
    const client = hiboutik.create(api.origin);
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const calls = Array.from({ length: 100 }, () =>
        hiboutik.read(client, { signal: controller.signal }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      await Promise.all(calls);
      let rows = 0;
      for await (const _ of client.paginate(
        "/customers/",
        {},
        {
          concurrency: 30,
          signal: controller.signal,
        },
      ))
        rows++;
      expect(rows).toBe(60);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings.map(String)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});

describe("transport errors", () => {
  it("hold no credential however they are printed", () => {
    errors.expectFreeOf(ALL_CANARIES, 40);
  });
});
