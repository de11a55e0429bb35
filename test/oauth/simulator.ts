// A vendor's OAuth server on 127.0.0.1, with a one-route API that checks the tokens it issued, for
// the OAuth helpers and the clients' token sessions. Per vendor, what the notes document:
// - HubRise (`/oauth2/v1`): authorize (redirect_uri, client_id, scope, state), token with HTTP
//   Basic client authentication and the form body `code=…` (no grant_type), revoke (Basic,
//   `token=…`); tokens never expire, no refresh token. API: `X-Access-Token`; refused: a 401.
// - Hiboutik (`/oauth_api`): authorize/ (response_type, client_id, state, scope, account,
//   timestamp; the redirect URI is the app's registered one), token.php with Basic and grant_type
//   authorization_code or refresh_token. API: Bearer; a token no longer valid answers `code: 1`.
// - Hike (`/oauth`): authorize (response_type, client_id, redirect_uri, state, scope all), token
//   with client_id and client_secret in the form, authorization_code (with the same redirect_uri)
//   or refresh_token. API: Bearer; refused: a 401 with `WWW-Authenticate: … invalid_token`.
// Codes are single-use and expire after 10 minutes (the simulator's clock). A refresh token is
// used up by its refresh (a new one comes with the answer), so two refreshes from the same tokens
// fail the second: the one-refresh guarantee is visible. Error bodies the vendors do not document
// are this simulator's choice (RFC 6749's `{error}`).
//
// One-shot faults on the next OAuth POST (token or revoke): an HTML error page, a redirect to
// another origin, a slow answer, a JSON error echoing what was sent. Bounded: bodies over 16 KB
// are refused, logs keep the last 1,000 entries, every timer and connection ends with close().
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Clock } from "../../src/core/clock.js";
import { answerCors } from "../runtimes/cors.js";
import { listenOnLoopback } from "../support/loopback.js";

export type OAuthVendor = "hubrise" | "hiboutik" | "hike";

export type OAuthFault =
  /** An HTML error page (echoing the request's body, as some error pages do). */
  | { kind: "html"; status?: number }
  /** A redirect of the POST to `to` (another origin). */
  | { kind: "redirect"; to: string; status?: number }
  /** The answer after `ms` of real time. */
  | { kind: "slow"; ms: number }
  /** A JSON error whose description repeats the body and the Authorization header it got. */
  | { kind: "echo"; status?: number };

export interface OAuthSimulatorOptions {
  vendor: OAuthVendor;
  clock: Clock;
  clientId: string;
  clientSecret: string;
  /** Hiboutik: the app's redirect URI, registered with Hiboutik (its authorize URL has none). */
  registeredRedirectUri?: string;
  /** Lifetime of access tokens, seconds (Hiboutik and Hike). Default 3,600. */
  expiresIn?: number;
  /** Hike: leave refresh_token out of a refresh's answer (the old one stays valid). */
  omitRefreshTokenOnRefresh?: boolean;
  /** Delay of every API answer, ms of real time (so concurrent calls overlap). */
  apiLatencyMs?: number;
  /** CORS headers on every answer, preflights answered (for a browser page on another origin). */
  cors?: boolean;
}

export interface OAuthSimulatorStats {
  authorize: number;
  /** Code exchanges and refreshes received (faults included). */
  token: number;
  /** Refreshes answered with new tokens. */
  refreshes: number;
  revokes: number;
  api: number;
  apiRefused: number;
}

export interface OAuthSimulator {
  origin: string;
  /** The helpers' `oauthUrl`. */
  oauthUrl: string;
  /** The clients' `baseUrl`. */
  apiUrl: string;
  /** What the user does on the authorize page. */
  user: "approves" | "denies";
  stats: OAuthSimulatorStats;
  /** Every code, access token and refresh token issued (the canaries of the leak checks). */
  issued: string[];
  /** The form bodies of the OAuth POSTs received, in order. */
  bodies: URLSearchParams[];
  /** Queues a fault for the next OAuth POST. */
  inject(fault: OAuthFault): void;
  /** Tokens straight from the server, without the flow (for client tests). */
  issueTokens(): { accessToken: string; refreshToken?: string; expiresIn?: number };
  /** Every access token issued so far stops working (a server-side expiry). */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

const CODE_LIFETIME_MS = 10 * 60_000;
const MAX_BODY = 16 * 1024;
const MAX_LOG = 1_000;

const PATHS = {
  hubrise: { oauth: "/oauth2/v1", authorize: "/authorize", token: "/token", api: "/v1" },
  hiboutik: { oauth: "/oauth_api", authorize: "/authorize/", token: "/token.php", api: "/api" },
  hike: { oauth: "/oauth", authorize: "/authorize", token: "/token", api: "/api/v1" },
} as const;

/** A secret-looking value whose first characters are its own (the leak checks look for them). */
const fresh = (kind: string) => `${randomBytes(6).toString("hex")}-${kind}`;

export async function startOAuthSimulator(options: OAuthSimulatorOptions): Promise<OAuthSimulator> {
  const { vendor, clock } = options;
  const paths = PATHS[vendor];
  const expiresIn = vendor === "hubrise" ? undefined : (options.expiresIn ?? 3_600);
  const codes = new Map<string, { redirectUri?: string; at: number; used: boolean }>();
  /** Valid access tokens and when they stop being valid (Infinity: never). */
  const access = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const issued: string[] = [];
  const bodies: URLSearchParams[] = [];
  const faults: OAuthFault[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const stats: OAuthSimulatorStats = {
    authorize: 0,
    token: 0,
    refreshes: 0,
    revokes: 0,
    api: 0,
    apiRefused: 0,
  };
  const remember = <T>(list: T[], item: T) => {
    list.push(item);
    if (list.length > MAX_LOG) list.shift();
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  function issueTokens() {
    const accessToken = fresh("access");
    issued.push(accessToken);
    access.set(accessToken, expiresIn === undefined ? Infinity : clock.now() + expiresIn * 1000);
    if (vendor === "hubrise") return { accessToken };
    const refreshToken = fresh("refresh");
    issued.push(refreshToken);
    refreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresIn };
  }

  function tokenAnswer(tokens: ReturnType<typeof issueTokens>, refreshed: boolean) {
    switch (vendor) {
      case "hubrise":
        return {
          access_token: tokens.accessToken,
          token_type: "Bearer",
          account_id: "3r4s3",
          location_id: "3r4s3-1",
          account_name: "Bella Pizza",
          location_name: "Paris",
        };
      case "hiboutik":
        return {
          access_token: tokens.accessToken,
          expires_in: tokens.expiresIn,
          token_type: "Bearer",
          scope: "basic_api",
          refresh_token: tokens.refreshToken,
        };
      case "hike":
        return {
          access_token: tokens.accessToken,
          token_type: "bearer",
          expires_in: tokens.expiresIn,
          ...(refreshed && options.omitRefreshTokenOnRefresh
            ? {}
            : { refresh_token: tokens.refreshToken }),
        };
    }
  }

  function authorize(url: URL, res: ServerResponse) {
    stats.authorize++;
    const q = url.searchParams;
    const required =
      vendor === "hubrise"
        ? ["redirect_uri", "client_id", "scope"]
        : vendor === "hiboutik"
          ? ["response_type", "client_id", "scope", "account", "timestamp"]
          : ["response_type", "client_id", "redirect_uri", "scope"];
    const missing = required.filter((name) => !q.get(name));
    if (missing.length > 0 || q.get("client_id") !== options.clientId) {
      res.writeHead(400, { "Content-Type": "text/plain" });
      return res.end(`bad authorize request (${missing.join(", ") || "client_id"})`);
    }
    if (vendor !== "hubrise" && q.get("response_type") !== "code") {
      res.writeHead(400, { "Content-Type": "text/plain" });
      return res.end("unsupported response_type");
    }
    const redirectUri =
      vendor === "hiboutik" ? options.registeredRedirectUri! : q.get("redirect_uri")!;
    const target = new URL(redirectUri);
    if (options.vendor === "hiboutik") {
      target.searchParams.set("account", q.get("account")!);
      target.searchParams.set("timestamp", q.get("timestamp")!);
    }
    if (sim.user === "denies") {
      target.searchParams.set("error", "access_denied");
      if (vendor === "hiboutik")
        target.searchParams.set("error_description", "The user denied access");
    } else {
      const code = fresh("code");
      issued.push(code);
      codes.set(code, { redirectUri, at: clock.now(), used: false });
      target.searchParams.set("code", code);
    }
    const state = q.get("state");
    if (state !== null) target.searchParams.set("state", state);
    res.writeHead(302, { Location: target.href });
    res.end();
  }

  /** The client's credentials as the vendor takes them: Basic, or form fields (Hike). */
  function clientAuthenticated(req: IncomingMessage, form: URLSearchParams): boolean {
    if (vendor === "hike") {
      return (
        form.get("client_id") === options.clientId &&
        form.get("client_secret") === options.clientSecret
      );
    }
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64");
    return req.headers.authorization === `Basic ${basic}`;
  }

  function token(req: IncomingMessage, res: ServerResponse, form: URLSearchParams) {
    stats.token++;
    if (!clientAuthenticated(req, form)) {
      return json(res, vendor === "hike" ? 400 : 401, { error: "invalid_client" });
    }
    const grant = vendor === "hubrise" ? "authorization_code" : form.get("grant_type");
    if (grant === "authorization_code") {
      const code = codes.get(form.get("code") ?? "");
      if (!code || code.used || clock.now() > code.at + CODE_LIFETIME_MS) {
        return json(res, 400, { error: "invalid_grant" });
      }
      if (vendor === "hike" && form.get("redirect_uri") !== code.redirectUri) {
        return json(res, 400, { error: "invalid_grant", error_description: "redirect_uri" });
      }
      code.used = true;
      return json(res, 200, tokenAnswer(issueTokens(), false));
    }
    if (grant === "refresh_token" && vendor !== "hubrise") {
      const old = form.get("refresh_token") ?? "";
      if (!refreshTokens.has(old)) return json(res, 400, { error: "invalid_grant" });
      stats.refreshes++;
      const tokens = issueTokens();
      if (vendor === "hike" && options.omitRefreshTokenOnRefresh) {
        refreshTokens.delete(tokens.refreshToken!);
        tokens.refreshToken = old;
      } else {
        refreshTokens.delete(old);
      }
      return json(res, 200, tokenAnswer(tokens, true));
    }
    json(res, 400, { error: "unsupported_grant_type" });
  }

  function revoke(req: IncomingMessage, res: ServerResponse, form: URLSearchParams) {
    stats.revokes++;
    if (!clientAuthenticated(req, form)) return json(res, 401, { error: "invalid_client" });
    access.delete(form.get("token") ?? "");
    res.writeHead(200);
    res.end();
  }

  function api(req: IncomingMessage, res: ServerResponse) {
    stats.api++;
    const sent =
      vendor === "hubrise"
        ? String(req.headers["x-access-token"] ?? "")
        : String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    const until = access.get(sent);
    const answer = () => {
      if (until === undefined || clock.now() >= until) {
        stats.apiRefused++;
        if (vendor === "hubrise") {
          return json(res, 401, {
            message: "The access token is invalid or the connection has been revoked",
            error_type: "unauthorized",
          });
        }
        if (vendor === "hiboutik") {
          return json(res, 401, {
            error: "unauthorized",
            code: 1,
            error_description: "The access token is not valid",
          });
        }
        return json(
          res,
          401,
          { message: "Unauthorized" },
          { "WWW-Authenticate": 'Bearer, error="invalid_token", error_description="expired"' },
        );
      }
      if (vendor === "hubrise") return json(res, 200, { id: "3r4s3-1", name: "Paris" });
      if (vendor === "hiboutik") return json(res, 200, [{ store_id: 1, store_name: "Paris" }]);
      json(res, 200, { id: 7, name: "T-shirt" });
    };
    if (options.apiLatencyMs) later(options.apiLatencyMs, answer);
    else answer();
  }

  function oauthPost(req: IncomingMessage, res: ServerResponse, path: string, raw: string) {
    const form = new URLSearchParams(raw);
    remember(bodies, form);
    const fault = faults.shift();
    const route = () => (path === paths.token ? token(req, res, form) : revoke(req, res, form));
    switch (fault?.kind) {
      case "html":
        res.writeHead(fault.status ?? 500, { "Content-Type": "text/html" });
        return res.end(
          `<!DOCTYPE html><html><body><h1>Internal Server Error</h1><pre>${raw}</pre></body></html>`,
        );
      case "redirect":
        res.writeHead(fault.status ?? 307, { Location: `${fault.to}${paths.oauth}${path}` });
        return res.end();
      case "slow":
        return later(fault.ms, route);
      case "echo":
        return json(res, fault.status ?? 400, {
          error: "invalid_request",
          error_description: `got ${raw} with ${req.headers.authorization ?? "no Authorization"}`,
        });
      default:
        route();
    }
  }

  const server = createServer((req, res) => {
    if (options.cors && answerCors(req, res)) return;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let raw = "";
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
      } else raw += chunk.toString();
    });
    req.on("end", () => {
      if (res.headersSent) return;
      const { oauth } = paths;
      if (req.method === "GET" && url.pathname === oauth + paths.authorize)
        return authorize(url, res);
      const oauthPath = url.pathname.slice(oauth.length);
      if (
        req.method === "POST" &&
        url.pathname.startsWith(oauth) &&
        (oauthPath === paths.token || (vendor === "hubrise" && oauthPath === "/revoke"))
      ) {
        if (!String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
          return json(res, 415, { error: "invalid_request" });
        }
        return oauthPost(req, res, oauthPath, raw);
      }
      if (req.method === "GET" && url.pathname.startsWith(`${paths.api}/`)) return api(req, res);
      json(res, 404, { error: "not_found" });
    });
  });
  server.requestTimeout = 10_000;
  const { port, close } = await listenOnLoopback(server);
  const origin = `http://127.0.0.1:${port}`;
  const sim: OAuthSimulator = {
    origin,
    oauthUrl: origin + paths.oauth,
    apiUrl: origin + paths.api,
    user: "approves",
    stats,
    issued,
    bodies,
    inject: (fault) => void faults.push(fault),
    issueTokens,
    expireAccessTokens() {
      for (const token of access.keys()) access.set(token, -Infinity);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await close();
    },
  };
  return sim;
}

/** Another origin that records what reaches it (it must receive nothing). */
export async function startRecorder(): Promise<{
  origin: string;
  received: string[];
  close(): Promise<void>;
}> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ access_token: "stolen" }));
  });
  const { port, close } = await listenOnLoopback(server);
  return { origin: `http://127.0.0.1:${port}`, received, close };
}

/** Follows the authorize URL as a browser would, without following the redirect: its Location. */
export async function visit(authorizeUrl: string): Promise<string> {
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  const location = response.headers.get("Location");
  if (response.status !== 302 || !location) {
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  }
  return location;
}

/** A clock the test moves by hand; timers are real (the helpers' timeouts use their own). */
export function settableClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = setTimeout(fn, Math.max(0, ms));
      return () => clearTimeout(timer);
    },
    advance(ms) {
      now += ms;
    },
  };
}
