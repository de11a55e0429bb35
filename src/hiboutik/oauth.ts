// Hiboutik's OAuth 2.0 authorization-code flow for apps, on the account's own OAuth host
// (`https://{account}.hiboutik.com/oauth_api/`), as Hiboutik's official OAuth client
// (hiboutik/hiboutikoauthclient) does it: the authorize URL with response_type, client_id, state,
// scope, account and timestamp (no redirect_uri: the app's is registered with Hiboutik); the token
// endpoint `token.php` with HTTP Basic client authentication and the form grants
// `authorization_code` (`code`) and `refresh_token`. Hiboutik documents no revocation.
import type { paths } from "../../generated/hiboutik/schema.js";
import { requireSecretText } from "../core/credentials.js";
import {
  type AuthorizationRequest,
  authorizeUrl,
  type CallbackInput,
  codeFromCallback,
} from "../core/oauth/authorize.js";
import {
  callbackContext,
  oauthClient,
  type OAuthOptions,
  serverUrl,
} from "../core/oauth/client.js";
import { requestTokens, type TokenAnswer } from "../core/oauth/token-endpoint.js";
import type { TokenSet } from "../core/oauth/tokens.js";
import { requireAccount } from "./account.js";

/** The token endpoint's answer, as the description types it. */
export type HiboutikOAuthToken =
  paths["/token.php"]["post"]["responses"][200]["content"]["application/json"];

/** What a code exchange or a refresh gives. */
export interface HiboutikTokens extends TokenSet {
  accessToken: string;
  /** Kept from before when a refresh's answer has none. */
  refreshToken?: string;
  /** From `expires_in` (e.g. 16,000,000 s, about 185 days, in the official client's example). */
  expiresAt?: number;
  /** The answer as sent (`token_type`, `scope`, `expires_in`, …). */
  response: HiboutikOAuthToken;
}

/** The scope asked for unless told otherwise: Hiboutik's default. */
export const HIBOUTIK_DEFAULT_SCOPE = "basic_api";

export interface HiboutikOAuthOptions extends OAuthOptions {
  /** The shop's subdomain: `myshop` for https://myshop.hiboutik.com. */
  account: string;
  /** The OAuth host. Default `https://{account}.hiboutik.com/oauth_api`. */
  oauthUrl?: string;
}

export interface HiboutikOAuth {
  /**
   * The URL to send the user to (`…/oauth_api/authorize/`), and the state to keep in the user's
   * session. `scope`: space-separated or a list, default `basic_api`.
   */
  authorizeUrl(params?: { scope?: string | readonly string[] }): AuthorizationRequest;
  /**
   * The callback's code, checked (an `error`, a state other than `expectedState` or no code is an
   * OAuthError, and nothing is sent), exchanged for tokens.
   */
  handleCallback(
    callback: CallbackInput,
    options: { expectedState: string; signal?: AbortSignal },
  ): Promise<HiboutikTokens>;
  /** Exchanges an authorization code for tokens (`grant_type=authorization_code`). */
  exchangeCode(params: { code: string; signal?: AbortSignal }): Promise<HiboutikTokens>;
  /**
   * New tokens for a refresh token (`grant_type=refresh_token`); the refresh token given is kept
   * when the answer has none. Hiboutik's answer to a call whose token is no longer valid has
   * `code: 1`: a client given a token store refreshes by itself.
   */
  refreshTokens(refreshToken: string, options?: { signal?: AbortSignal }): Promise<HiboutikTokens>;
}

/** Hiboutik's OAuth flow for an app on one account (shop). Use it server-side. */
export function hiboutikOAuth(options: HiboutikOAuthOptions): HiboutikOAuth {
  const account = requireAccount(options?.account, "hiboutikOAuth");
  const client = oauthClient("Hiboutik", "hiboutikOAuth", options, "basic");
  const base = serverUrl(
    options.oauthUrl ?? `https://${account}.hiboutik.com/oauth_api`,
    "hiboutikOAuth",
  );
  const authorizeEndpoint = `${base}/authorize/`;
  const tokenUrl = `${base}/token.php`;

  const tokens = (answer: TokenAnswer, refreshToken?: string): HiboutikTokens => ({
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken ?? refreshToken,
    expiresAt: answer.expiresAt,
    response: answer.json as HiboutikOAuthToken,
  });

  async function exchangeCode({ code, signal }: { code: string; signal?: AbortSignal }) {
    requireSecretText(code, "exchangeCode: code");
    const answer = await requestTokens(client, {
      url: tokenUrl,
      form: { grant_type: "authorization_code", code },
      secrets: [code],
      signal,
    });
    return tokens(answer);
  }

  return {
    authorizeUrl({ scope = HIBOUTIK_DEFAULT_SCOPE } = {}) {
      return authorizeUrl(authorizeEndpoint, {
        response_type: "code",
        client_id: client.clientId,
        scope: typeof scope === "string" ? scope : scope.join(" "),
        account,
        // Seconds since the epoch, as the official client sends it.
        timestamp: String(Math.floor(client.clock.now() / 1000)),
      });
    },
    async handleCallback(callback, { expectedState, signal }) {
      const code = codeFromCallback(
        callback,
        expectedState,
        callbackContext(client, authorizeEndpoint),
      );
      return exchangeCode({ code, signal });
    },
    exchangeCode,
    async refreshTokens(refreshToken, { signal } = {}) {
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

/** Longer than any error body worth reading for its `code`. */
const MAX_ERROR_BODY = 65_536;

/**
 * Whether Hiboutik refused a call because its token is no longer valid: an error answer whose
 * JSON body has `error` and `code: 1` (what Hiboutik's own app framework, HiboutikApp's
 * DefaultApp, refreshes the token on).
 */
export async function isInvalidHiboutikToken(response: Response): Promise<boolean> {
  if (response.status < 400) return false;
  try {
    const text = await response.clone().text();
    if (text.length > MAX_ERROR_BODY) return false;
    const body = JSON.parse(text) as { error?: unknown; code?: unknown } | null;
    // PHP's loose `$response['code'] == 1` also takes the string "1".
    return (
      body !== null &&
      typeof body === "object" &&
      body.error !== undefined &&
      (body.code === 1 || body.code === "1")
    );
  } catch {
    return false;
  }
}
