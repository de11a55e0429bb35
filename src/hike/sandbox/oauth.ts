// Hike's OAuth in the sandbox: the engine's OAuth server (`createOAuthServer`, vendor "hike") at
// `/oauth` on the sandbox's origin, as Hike has it on api.hikeup.com outside /api/v1: the authorize
// page and the token endpoint (client_id and client_secret as form fields; authorization_code with
// the same redirect_uri, or refresh_token). The API takes `Authorization: Bearer <token>` for any
// access token that server issued and that is still valid.
//
// The sandbox's fixed credentials (given by the user, or seeded) are a pair that server issues
// when the sandbox starts, so that the fixed access token expires, and the fixed refresh token is
// used up by its refresh, exactly as issued ones are.
import type { Clock } from "../../core/clock.js";
import { createOAuthServer, type OAuthServer } from "../../sandbox/oauth-server.js";
import type { IncomingRequest, SandboxResponse } from "../../sandbox/server.js";
import { hikeErrors, unauthorized } from "./errors.js";

/** What a Hike app and its merchant's store hold: the tokens and the app's id and secret. */
export interface HikeSandboxCredentials {
  accessToken: string;
  refreshToken: string;
  /** The App Id (`<AppName>-<10 hex>`). */
  clientId: string;
  clientSecret: string;
}

export interface HikeAuthOptions {
  clock: Clock;
  credentials: HikeSandboxCredentials;
  /** The API's base path (`/api/v1`): the token endpoint is not under it. */
  basePath: string;
  /** Lifetime of access tokens, seconds (not published: GAP). */
  expiresIn: number;
  omitRefreshTokenOnRefresh: boolean;
}

export interface HikeAuth {
  /** The OAuth server: its stats, issued tokens, received forms, and `user` (approves/denies). */
  oauth: OAuthServer;
  /** The caller (the app) when the request carries a valid access token, else Hike's 401. */
  authenticate(request: IncomingRequest): string | SandboxResponse;
  /** The token endpoint's answer to a request (wherever it arrived). */
  tokenEndpoint(request: IncomingRequest): SandboxResponse;
  /** The engine's `routes`: the OAuth pages and token endpoint under `/oauth`. */
  routes(request: IncomingRequest): (() => SandboxResponse) | undefined;
  /** Every access token so far stops working, the fixed one included (a server-side expiry). */
  expireAccessTokens(): void;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function createHikeAuth(options: HikeAuthOptions): HikeAuth {
  const { credentials, basePath } = options;
  const oauth = createOAuthServer({
    vendor: "hike",
    clock: options.clock,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    expiresIn: options.expiresIn,
    omitRefreshTokenOnRefresh: options.omitRefreshTokenOnRefresh,
  });
  oauth.issueTokens({
    accessToken: credentials.accessToken,
    refreshToken: credentials.refreshToken,
  });
  const tokenPath = `${oauth.path}/token`;

  function tokenEndpoint(request: IncomingRequest): SandboxResponse {
    // The OAuth server routes by path: the request as if it came to /oauth/token.
    const url = new URL(tokenPath + request.url.search, request.url);
    return oauth.route({ ...request, url, path: url.pathname })!();
  }

  return {
    oauth,
    authenticate(request) {
      const match = BEARER.exec(String(request.headers.authorization ?? ""));
      if (!match) return unauthorized(false);
      const token = match[1]!;
      return oauth.accessTokenValid(token) ? "app" : unauthorized(true);
    },
    tokenEndpoint,
    routes(request) {
      const { pathname } = request.url;
      // The description's token operation is served where Hike has it (the origin's /oauth), not
      // under the API's base path, where Hike has no such route.
      if (pathname === basePath + tokenPath) return () => hikeErrors.notFound(pathname);
      if (request.method === "POST" && pathname === tokenPath) {
        return () => tokenEndpoint(request);
      }
      return oauth.route(request);
    },
    expireAccessTokens: () => oauth.expireAccessTokens(),
  };
}
