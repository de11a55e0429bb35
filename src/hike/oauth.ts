// Hike's OAuth 2.0 authorization-code flow: the authorize URL (response_type, client_id,
// redirect_uri, state, scope `all`), documented by Hike; the token endpoint, known from third-party
// clients calling the live API: a form POST with the app's client_id and client_secret as fields,
// `grant_type=authorization_code` (code, redirect_uri) or `refresh_token`. Hike documents no
// revocation.
import type { paths } from "../../generated/hike/schema.js";
import { requireSecretText } from "../core/credentials.js";
import {
  type AuthorizationRequest,
  authorizeUrl,
  type CallbackInput,
  codeFromCallback,
  requireParam,
} from "../core/oauth/authorize.js";
import {
  callbackContext,
  oauthClient,
  type OAuthOptions,
  serverUrl,
} from "../core/oauth/client.js";
import { type OAuthClient, requestTokens, type TokenAnswer } from "../core/oauth/token-endpoint.js";
import type { TokenSet } from "../core/oauth/tokens.js";

/** Hike's OAuth endpoints: `/authorize` and `/token` under it. */
export const HIKE_OAUTH_URL = "https://api.hikeup.com/oauth";

/** The token endpoint's answer, as the description types it. */
export type HikeOAuthToken =
  paths["/oauth/token"]["post"]["responses"][200]["content"]["application/json"];

export interface HikeTokens extends TokenSet {
  accessToken: string;
  /** Hike may omit a new refresh token; the previous one is kept then. */
  refreshToken?: string;
  /** Seconds, as the token endpoint said. */
  expiresIn?: number;
  /** From `expires_in`; undefined when the answer has none. */
  expiresAt?: number;
  /** The token endpoint's answer as sent; absent on tokens you made yourself. */
  response?: HikeOAuthToken;
}

export interface HikeOAuthOptions extends OAuthOptions {
  /** Where Hike's OAuth endpoints are. Default `https://api.hikeup.com/oauth`. */
  oauthUrl?: string;
}

export interface HikeOAuth {
  /**
   * The URL to send the merchant to (`/oauth/authorize`), and the state to keep in the user's
   * session. `scope`: `all`, the only scope Hike has.
   */
  authorizeUrl(params: { redirectUri: string; scope?: string }): AuthorizationRequest;
  /**
   * The callback's code, checked (an `error`, a state other than `expectedState` or no code is an
   * OAuthError, and nothing is sent), exchanged for tokens. `redirectUri`: the authorize URL's.
   */
  handleCallback(
    callback: CallbackInput,
    options: { expectedState: string; redirectUri: string; signal?: AbortSignal },
  ): Promise<HikeTokens & { response: HikeOAuthToken }>;
  /** Exchanges an authorization code; an invalid one is an OAuthError 400. */
  exchangeCode(params: {
    code: string;
    /** The redirect URI the authorize URL carried. */
    redirectUri: string;
    signal?: AbortSignal;
  }): Promise<HikeTokens & { response: HikeOAuthToken }>;
  /** New tokens for a refresh token; the one given is kept when the answer has none. */
  refreshTokens(
    refreshToken: string,
    options?: { signal?: AbortSignal },
  ): Promise<HikeTokens & { response: HikeOAuthToken }>;
}

/** Hike's OAuth flow for the app whose App Id and App Secret are given. Use it server-side. */
export function hikeOAuth(options: HikeOAuthOptions): HikeOAuth {
  const client = oauthClient("Hike", "hikeOAuth", options, "form");
  const base = serverUrl(options.oauthUrl ?? HIKE_OAUTH_URL, "hikeOAuth");
  const authorizeEndpoint = `${base}/authorize`;
  const { exchangeCode, refreshTokens } = hikeTokenRequests(client, `${base}/token`);
  return {
    authorizeUrl: (params) =>
      authorizeUrl(authorizeEndpoint, {
        response_type: "code",
        client_id: client.clientId,
        redirect_uri: requireParam(params?.redirectUri, "authorizeUrl: redirectUri"),
        scope: params.scope ?? "all",
      }),
    async handleCallback(callback, { expectedState, redirectUri, signal }) {
      const code = codeFromCallback(
        callback,
        expectedState,
        callbackContext(client, authorizeEndpoint),
      );
      return exchangeCode({ code, redirectUri, signal });
    },
    exchangeCode,
    refreshTokens,
  };
}

/** The token requests of `client` at `tokenUrl` (also the client's refresh, at its `tokenUrl`). */
export function hikeTokenRequests(client: OAuthClient, tokenUrl: string) {
  const tokens = (answer: TokenAnswer, refreshToken?: string) => {
    const expiresIn = answer.json.expires_in;
    return {
      accessToken: answer.accessToken,
      refreshToken: answer.refreshToken ?? refreshToken,
      ...(typeof expiresIn === "number" ? { expiresIn } : {}),
      expiresAt: answer.expiresAt,
      response: answer.json as HikeOAuthToken,
    };
  };
  return {
    async exchangeCode({
      code,
      redirectUri,
      signal,
    }: {
      code: string;
      redirectUri: string;
      signal?: AbortSignal;
    }) {
      requireSecretText(code, "exchangeCode: code");
      requireParam(redirectUri, "exchangeCode: redirectUri");
      const answer = await requestTokens(client, {
        url: tokenUrl,
        form: { grant_type: "authorization_code", code, redirect_uri: redirectUri },
        secrets: [code],
        signal,
      });
      return tokens(answer);
    },
    async refreshTokens(refreshToken: string, { signal }: { signal?: AbortSignal } = {}) {
      requireSecretText(refreshToken, "refreshTokens: refreshToken");
      const answer = await requestTokens(client, {
        url: tokenUrl,
        form: { grant_type: "refresh_token", refresh_token: refreshToken },
        secrets: [refreshToken],
        signal,
      });
      return tokens(answer, refreshToken);
    },
  };
}
