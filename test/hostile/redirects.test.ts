// Redirects against all four clients: a credential never reaches another origin, https never
// falls back to http, a loop is cut short and each hop goes through the client's limits.
import { describe, expect, it } from "vitest";
import { RedirectError, TokenRefreshError } from "../../src/core/errors.js";
import { errorLog } from "../support/error-log.js";
import { type HostileServer, json, hostileServers } from "./server.js";
import { ALL_CANARIES, type HostileVendor, hike, VENDORS } from "./vendors.js";

const errors = errorLog();
const server = hostileServers();

const CALLS = [
  ["GET", (v: HostileVendor, c: unknown) => v.read(c)],
  ["PUT", (v: HostileVendor, c: unknown) => v.update(c)],
  ["POST", (v: HostileVendor, c: unknown) => v.write(c)],
] as const;

describe.each(VENDORS)("$name: redirects", (vendor) => {
  it.each([302, 307, 308])(
    "a %i to another origin ends with RedirectError; the other origin receives nothing",
    async (status) => {
      const api = await server();
      const other = await server();
      api.answer = (_req, res) => {
        res.writeHead(status, { Location: `${other.origin}/steal?token=here` });
        res.end();
      };
      const client = vendor.create(api.origin);
      for (const [method, call] of CALLS) {
        const err = await errors.caught(call(vendor, client));
        expect(err, method).toBeInstanceOf(RedirectError);
        const e = err as RedirectError;
        expect(e.reason).toBe("cross-origin");
        expect(e.status).toBe(status);
        expect(e.targetOrigin).toBe(other.origin);
        expect(e.message).not.toMatch(/steal|token=/); // the origin only, never a path or query
      }
      expect(api.received).toHaveLength(CALLS.length); // not retried: it can never succeed
      expect(other.received).toHaveLength(0);
    },
  );

  it("follows another origin only when told to, and then without any credential", async () => {
    const api = await server();
    const other = await server();
    api.answer = (_req, res) => {
      res.writeHead(307, { Location: `${other.origin}/elsewhere` });
      res.end();
    };
    other.answer = (_req, res) => json(res, 404, { error: "nothing here" });
    const client = vendor.create(api.origin, {
      redirects: { crossOrigin: "follow-without-credentials" },
      throwOnError: false,
    });
    for (const [, call] of CALLS) await call(vendor, client).catch(() => undefined);
    expect(other.received.length).toBeGreaterThanOrEqual(CALLS.length);
    for (const req of other.received) {
      expect(vendor.carriesCredential(req)).toBe(false);
      for (const canary of ALL_CANARIES) expect(JSON.stringify(req)).not.toContain(canary);
    }
  });

  it("never follows https → http, even when told to follow other origins", async () => {
    const other = await server();
    let sent = 0;
    // The https origin is played by a fetch in the test; the http target is a real server.
    const fetch = (request: Request) => {
      if (!request.url.startsWith("https://api.vendor.test/")) return globalThis.fetch(request);
      sent++;
      return Promise.resolve(
        new Response(null, { status: 302, headers: { Location: `${other.origin}/plain` } }),
      );
    };
    const client = vendor.create("https://api.vendor.test", {
      fetch,
      redirects: { crossOrigin: "follow-without-credentials" },
    });
    const err = await errors.caught(vendor.read(client));
    expect(err).toBeInstanceOf(RedirectError);
    expect((err as RedirectError).reason).toBe("insecure");
    expect(sent).toBe(1);
    expect(other.received).toHaveLength(0);
  });

  it("follows a same-origin redirect with its credentials", async () => {
    const api = await server();
    api.answer = (req, res) => {
      if (!req.url.includes("moved=1")) {
        res.writeHead(301, { Location: `${req.url}${req.url.includes("?") ? "&" : "?"}moved=1` });
        return void res.end();
      }
      json(res, 404, vendor.errorBody("gone"));
    };
    const client = vendor.create(api.origin, { throwOnError: false });
    await vendor.read(client).catch(() => undefined);
    expect(api.received).toHaveLength(2);
    for (const req of api.received) expect(vendor.carriesCredential(req)).toBe(true);
  });

  it("cuts a redirect loop after 5 hops, without retrying it", async () => {
    const api = await server();
    api.answer = (req, res) => {
      res.writeHead(302, { Location: req.url });
      res.end();
    };
    const err = await errors.caught(vendor.read(vendor.create(api.origin)));
    expect(err).toBeInstanceOf(RedirectError);
    expect((err as RedirectError).reason).toBe("too-many-redirects");
    expect(api.received).toHaveLength(6);
  });
});

describe("every redirect hop is scheduled and counted like a request", () => {
  const loop = (api: HostileServer, delayMs = 0) => {
    api.answer = (req, res) =>
      api.later(delayMs, () => {
        res.writeHead(302, { Location: req.url });
        res.end();
      });
  };

  it.each([
    ["HubRise", { limits: { connection: [{ sizeMs: 60_000, limit: 3 }] } }],
    ["Hike", { limits: { perMinute: 3, perDay: 100 } }],
  ] as const)("%s: the rate-limit window holds the 4th hop", async (name, options) => {
    const vendor = VENDORS.find((v) => v.name === name)!;
    const api = await server();
    loop(api);
    const err = await errors.caught(
      vendor.read(vendor.create(api.origin, options), { signal: AbortSignal.timeout(500) }),
    );
    expect((err as DOMException).name).toBe("TimeoutError"); // the caller's own signal
    expect(api.received).toHaveLength(3);
  });

  it("Hiboutik: the in-flight cap holds every hop (cap 1, 3 calls looping at once)", async () => {
    const vendor = VENDORS.find((v) => v.name === "Hiboutik")!;
    const api = await server();
    loop(api, 10);
    const client = vendor.create(api.origin, { maxConcurrentRequests: 1 });
    const results = await Promise.all([1, 2, 3].map(() => errors.caught(vendor.read(client))));
    for (const err of results) expect(err).toBeInstanceOf(RedirectError);
    expect(api.received).toHaveLength(18);
    expect(api.maxOpen).toBe(1);
  });
});

describe("Hike: the token refresh never follows a redirect", () => {
  it("a token endpoint answering 307 elsewhere gets TokenRefreshError; nothing is re-posted", async () => {
    const api = await server();
    const other = await server();
    api.answer = (req, res) => {
      if (req.url.startsWith("/oauth/token")) {
        res.writeHead(307, { Location: `${other.origin}/oauth/token` });
        return void res.end();
      }
      json(
        res,
        401,
        { message: "expired" },
        { "WWW-Authenticate": 'Bearer error="invalid_token"' },
      );
    };
    const err = await errors.caught(hike.read(hike.create(api.origin)));
    expect(err).toBeInstanceOf(TokenRefreshError);
    expect((err as TokenRefreshError).status).toBe(307);
    expect(api.received.filter((r) => r.url.startsWith("/oauth/token"))).toHaveLength(1);
    expect(other.received).toHaveLength(0);
  });
});

describe("redirect errors", () => {
  it("hold no credential however they are printed", () => {
    errors.expectFreeOf(ALL_CANARIES, 40);
  });
});
