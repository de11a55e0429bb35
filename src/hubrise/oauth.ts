// HubRise's OAuth 2.0 authorization-code flow, on its OAuth server (not the API host), as its
// Authentication page documents it: the authorize URL (redirect_uri, client_id, scope, state and
// the signup form's prefills), the code exchange (HTTP Basic client authentication, the form body
// `code=…`, no grant_type) and the revocation (Basic, the form body `token=…`). HubRise's tokens
// never expire and it issues no refresh token, so there is no refresh, and no expiry to compute.
import type { paths } from "../../generated/hubrise/schema.js";
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
import { postToOAuthServer, requestTokens } from "../core/oauth/token-endpoint.js";
import type { TokenSet } from "../core/oauth/tokens.js";

/** HubRise's OAuth server. */
export const HUBRISE_OAUTH_URL = "https://manager.hubrise.com/oauth2/v1";

/** The token endpoint's answer, as the description types it. */
export type HubriseOAuthToken =
  paths["/token"]["post"]["responses"][200]["content"]["application/json"];

/** What a code exchange gives: a token that never expires, and what it is bound to. */
export interface HubriseTokens extends TokenSet {
  accessToken: string;
  /** HubRise issues no refresh token. */
  refreshToken?: undefined;
  /** HubRise's tokens never expire. */
  expiresAt?: undefined;
  /**
   * The answer as sent: the ids and names of the account, location, catalog and customer list
   * the token is bound to (which of them appear depends on the scope). Show them to the user.
   */
  response: HubriseOAuthToken;
}

export interface HubriseOAuthOptions extends OAuthOptions {
  /** The OAuth server. Default `https://manager.hubrise.com/oauth2/v1`. */
  oauthUrl?: string;
}

/** The authorize page's parameters (HubRise's Authentication page, §3.1 and §5). */
export interface HubriseAuthorizeParams {
  /** Where HubRise sends the user back; `urn:ietf:wg:oauth:2.0:oob` shows the code instead. */
  redirectUri: string;
  /** E.g. `location[orders.write,catalog.read],profile`. */
  scope: string;
  /** Two-letter ISO country code, preselected in the signup form. */
  country?: string;
  /** Prefills the signup form's account name. */
  accountName?: string;
  /** Prefills the signup form's location name. */
  locationName?: string;
  /** Issues a token of its own for this device, instead of the location's one for this client. */
  deviceId?: string;
}

export interface HubriseOAuth {
  /** The URL to send the user to, and the state to keep in the user's session. */
  authorizeUrl(params: HubriseAuthorizeParams): AuthorizationRequest;
  /**
   * The callback's code, checked (an `error=access_denied`, a state other than `expectedState` or
   * no code is an OAuthError, and nothing is sent), exchanged for the token.
   */
  handleCallback(
    callback: CallbackInput,
    options: { expectedState: string; signal?: AbortSignal },
  ): Promise<HubriseTokens>;
  /**
   * Exchanges an authorization code (single use, valid 10 minutes) for the connection's token;
   * for the installed-app flow, where the user pastes the code. A used or expired code: OAuthError
   * 400; wrong client credentials: 401.
   */
  exchangeCode(params: { code: string; signal?: AbortSignal }): Promise<HubriseTokens>;
  /** Revokes an access token: it can no longer be used. */
  revoke(accessToken: string, options?: { signal?: AbortSignal }): Promise<void>;
}

/** HubRise's OAuth flow for the app whose client id and secret are given. Use it server-side. */
export function hubriseOAuth(options: HubriseOAuthOptions): HubriseOAuth {
  const client = oauthClient("HubRise", "hubriseOAuth", options, "basic");
  const base = serverUrl(options.oauthUrl ?? HUBRISE_OAUTH_URL, "hubriseOAuth");
  const authorizeEndpoint = `${base}/authorize`;

  async function exchangeCode({ code, signal }: { code: string; signal?: AbortSignal }) {
    requireSecretText(code, "exchangeCode: code");
    const answer = await requestTokens(client, {
      url: `${base}/token`,
      form: { code },
      secrets: [code],
      signal,
    });
    return {
      accessToken: answer.accessToken,
      response: answer.json as HubriseOAuthToken,
    } satisfies HubriseTokens;
  }

  return {
    authorizeUrl: (params) =>
      authorizeUrl(authorizeEndpoint, {
        redirect_uri: requireParam(params?.redirectUri, "authorizeUrl: redirectUri"),
        client_id: client.clientId,
        scope: requireParam(params.scope, "authorizeUrl: scope"),
        country: params.country,
        account_name: params.accountName,
        location_name: params.locationName,
        device_id: params.deviceId,
      }),
    async handleCallback(callback, { expectedState, signal }) {
      const code = codeFromCallback(
        callback,
        expectedState,
        callbackContext(client, authorizeEndpoint),
      );
      return exchangeCode({ code, signal });
    },
    exchangeCode,
    async revoke(accessToken, { signal } = {}) {
      requireSecretText(accessToken, "revoke: accessToken");
      await postToOAuthServer(client, {
        url: `${base}/revoke`,
        form: { token: accessToken },
        secrets: [accessToken],
        signal,
      });
    },
  };
}
