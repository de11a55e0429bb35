// A vendor's OAuth 2.0 server inside its sandbox, as the vendors document it:
// - HubRise (`/oauth2/v1`): authorize (redirect_uri, client_id, scope, state), token with HTTP
//   Basic client authentication and the form body `code=…` (no grant_type), revoke (Basic,
//   `token=…`); tokens never expire, no refresh token.
// - Hiboutik (`/oauth_api`): authorize/ (response_type, client_id, state, scope, account,
//   timestamp; the redirect URI is the app's registered one), token.php with Basic and grant_type
//   authorization_code or refresh_token.
// - Hike (`/oauth`): authorize (response_type, client_id, redirect_uri, state, scope), token with
//   client_id and client_secret in the form, authorization_code (with the same redirect_uri) or
//   refresh_token.
// Codes are single-use and expire after 10 minutes (the sandbox's clock). A refresh token is used
// up by its refresh (a new one comes with the answer), so two refreshes from the same tokens fail
// the second. Error bodies the vendors do not document are RFC 6749's `{ error }`. The sandbox's
// API accepts the access tokens issued here while they are valid (`accessTokenValid`).
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { IncomingRequest, SandboxResponse } from "./server.js";

export type OAuthVendor = "hubrise" | "hiboutik" | "hike";

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** Hiboutik: the app's redirect URI, registered with Hiboutik (its authorize URL has none). */
  redirectUri?: string;
}

export interface OAuthServerOptions extends OAuthApp {
  vendor: OAuthVendor;
  clock: Clock;
  /** Lifetime of access tokens, seconds (Hiboutik and Hike). Default 3,600. */
  expiresIn?: number;
  /** Hike: leave refresh_token out of a refresh's answer (the old one stays valid). */
  omitRefreshTokenOnRefresh?: boolean;
}

export interface OAuthStats {
  authorize: number;
  /** Code exchanges and refreshes received. */
  token: number;
  /** Refreshes answered with new tokens. */
  refreshes: number;
  revokes: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
}

export interface OAuthServer {
  /** The path the OAuth endpoints live under (`/oauth2/v1`): the helpers' `oauthUrl` after the origin. */
  path: string;
  /** What the user does on the authorize page. */
  user: "approves" | "denies";
  stats: OAuthStats;
  /** Every code, access token and refresh token issued (the canaries of leak checks). */
  issued: string[];
  /** The form bodies of the OAuth POSTs received (the last 1,000). */
  bodies: URLSearchParams[];
  /** Whether an access token issued here is valid now. */
  accessTokenValid(token: string): boolean;
  /**
   * Tokens straight from the server, without the flow; `given` values instead of fresh ones (a
   * sandbox's fixed credentials, which then expire and are used up like any issued token).
   */
  issueTokens(given?: { accessToken?: string; refreshToken?: string }): IssuedTokens;
  /** Every access token issued so far stops working (a server-side expiry). */
  expireAccessTokens(): void;
  /** The route for a request under `path`, or undefined. */
  route(request: IncomingRequest): (() => SandboxResponse) | undefined;
}

const CODE_LIFETIME_MS = 10 * 60_000;
/** Issued codes and tokens kept for leak checks: the last ones. */
const MAX_ISSUED = 10_000;
const MAX_FORM_BYTES = 16 * 1024;
const MAX_LOG = 1_000;

const PATHS = {
  hubrise: { oauth: "/oauth2/v1", authorize: "/authorize", token: "/token" },
  hiboutik: { oauth: "/oauth_api", authorize: "/authorize/", token: "/token.php" },
  hike: { oauth: "/oauth", authorize: "/authorize", token: "/token" },
} as const;

/** A secret-looking value whose first characters are its own (leak checks look for them). */
const fresh = (kind: string) => `${randomBytes(6).toString("hex")}-${kind}`;

const json = (status: number, body: unknown): SandboxResponse => ({ status, body });

export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const { vendor, clock } = options;
  const paths = PATHS[vendor];
  const expiresIn = vendor === "hubrise" ? undefined : (options.expiresIn ?? 3_600);
  const codes = new Map<string, { redirectUri?: string; at: number; used: boolean }>();
  /** Valid access tokens and when they stop being valid (Infinity: never). */
  const access = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const stats: OAuthStats = { authorize: 0, token: 0, refreshes: 0, revokes: 0 };

  const remember = (secret: string) => {
    server.issued.push(secret);
    if (server.issued.length > MAX_ISSUED) server.issued.shift();
  };

  function issueTokens(given: { accessToken?: string; refreshToken?: string } = {}): IssuedTokens {
    const accessToken = given.accessToken ?? fresh("access");
    remember(accessToken);
    access.set(accessToken, expiresIn === undefined ? Infinity : clock.now() + expiresIn * 1000);
    if (vendor === "hubrise") return { accessToken };
    const refreshToken = given.refreshToken ?? fresh("refresh");
    remember(refreshToken);
    refreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresIn };
  }

  function tokenAnswer(tokens: IssuedTokens, refreshed: boolean) {
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

  function authorize(url: URL): SandboxResponse {
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
      return { status: 400, text: `bad authorize request (${missing.join(", ") || "client_id"})` };
    }
    if (vendor !== "hubrise" && q.get("response_type") !== "code") {
      return { status: 400, text: "unsupported response_type" };
    }
    const redirectUri = vendor === "hiboutik" ? options.redirectUri : q.get("redirect_uri")!;
    if (!redirectUri) return { status: 400, text: "the app has no registered redirect URI" };
    const target = new URL(redirectUri);
    if (vendor === "hiboutik") {
      target.searchParams.set("account", q.get("account")!);
      target.searchParams.set("timestamp", q.get("timestamp")!);
    }
    if (server.user === "denies") {
      target.searchParams.set("error", "access_denied");
      if (vendor === "hiboutik") {
        target.searchParams.set("error_description", "The user denied access");
      }
    } else {
      const code = fresh("code");
      remember(code);
      codes.set(code, { redirectUri, at: clock.now(), used: false });
      target.searchParams.set("code", code);
    }
    const state = q.get("state");
    if (state !== null) target.searchParams.set("state", state);
    return { status: 302, headers: { Location: target.href } };
  }

  /** The client's credentials as the vendor takes them: Basic, or form fields (Hike). */
  function clientAuthenticated(request: IncomingRequest, form: URLSearchParams): boolean {
    if (vendor === "hike") {
      return (
        form.get("client_id") === options.clientId &&
        form.get("client_secret") === options.clientSecret
      );
    }
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64");
    return request.headers.authorization === `Basic ${basic}`;
  }

  function token(request: IncomingRequest, form: URLSearchParams): SandboxResponse {
    stats.token++;
    if (!clientAuthenticated(request, form)) {
      return json(vendor === "hike" ? 400 : 401, { error: "invalid_client" });
    }
    const grant = vendor === "hubrise" ? "authorization_code" : form.get("grant_type");
    if (grant === "authorization_code") {
      const code = codes.get(form.get("code") ?? "");
      if (!code || code.used || clock.now() > code.at + CODE_LIFETIME_MS) {
        return json(400, { error: "invalid_grant" });
      }
      if (vendor === "hike" && form.get("redirect_uri") !== code.redirectUri) {
        return json(400, { error: "invalid_grant", error_description: "redirect_uri" });
      }
      code.used = true;
      return json(200, tokenAnswer(issueTokens(), false));
    }
    if (grant === "refresh_token" && vendor !== "hubrise") {
      const old = form.get("refresh_token") ?? "";
      if (!refreshTokens.has(old)) return json(400, { error: "invalid_grant" });
      stats.refreshes++;
      const tokens = issueTokens();
      if (vendor === "hike" && options.omitRefreshTokenOnRefresh) {
        refreshTokens.delete(tokens.refreshToken!);
        tokens.refreshToken = old;
      } else {
        refreshTokens.delete(old);
      }
      return json(200, tokenAnswer(tokens, true));
    }
    return json(400, { error: "unsupported_grant_type" });
  }

  function revoke(request: IncomingRequest, form: URLSearchParams): SandboxResponse {
    stats.revokes++;
    if (!clientAuthenticated(request, form)) return json(401, { error: "invalid_client" });
    access.delete(form.get("token") ?? "");
    return { status: 200 };
  }

  function post(request: IncomingRequest, path: string): SandboxResponse {
    if (request.rawBody.byteLength > MAX_FORM_BYTES) return { status: 413 };
    const type = String(request.headers["content-type"] ?? "");
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      return json(415, { error: "invalid_request" });
    }
    const form = new URLSearchParams(new TextDecoder().decode(request.rawBody));
    server.bodies.push(form);
    if (server.bodies.length > MAX_LOG) server.bodies.shift();
    return path === paths.token ? token(request, form) : revoke(request, form);
  }

  const server: OAuthServer = {
    path: paths.oauth,
    user: "approves",
    stats,
    issued: [],
    bodies: [],
    accessTokenValid(token) {
      const until = access.get(token);
      return until !== undefined && clock.now() < until;
    },
    issueTokens,
    expireAccessTokens() {
      for (const t of access.keys()) access.set(t, -Infinity);
    },
    route(request) {
      const { pathname } = request.url;
      if (!pathname.startsWith(`${paths.oauth}/`)) return undefined;
      const path = pathname.slice(paths.oauth.length);
      if (request.method === "GET" && path === paths.authorize) {
        return () => authorize(request.url);
      }
      const isRevoke = vendor === "hubrise" && path === "/revoke";
      if (request.method === "POST" && (path === paths.token || isRevoke)) {
        return () => post(request, path);
      }
      return () => json(404, { error: "not_found" });
    },
  };
  return server;
}
