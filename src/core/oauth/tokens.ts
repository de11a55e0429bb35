// The tokens an OAuth flow yields, as an app stores them: JSON-safe (the expiry is a number), with
// the expiry made absolute when they arrive, since `expires_in` means nothing once stored.

/** An access token, the refresh token that renews it (where the vendor has one), its expiry. */
export interface TokenSet {
  accessToken: string;
  /** Where the vendor issues one. */
  refreshToken?: string;
  /**
   * When the access token expires, in ms since the Unix epoch: the time the token request was sent
   * plus `expires_in` (so a little early rather than late). Undefined when the vendor gives no
   * lifetime (HubRise's tokens never expire).
   */
  expiresAt?: number;
}

/**
 * Where a client reads the current tokens and writes refreshed ones (a database row, a file, a
 * secrets manager). `get()` is called once per request, so keep it cheap (cache in memory and
 * write through in `set()`).
 */
export interface TokenStore<Tokens extends TokenSet = TokenSet> {
  get(): TokenSet | Promise<TokenSet>;
  /** Called once per refresh, with the new tokens, before any request uses them. */
  set(tokens: Tokens): void | Promise<void>;
}

/** Gives the access token to send, once per request (e.g. read from your store). */
export type AccessTokenProvider = () => string | Promise<string>;

/** The default of `refreshMarginMs`: refresh this long before `expiresAt`. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** The absolute expiry of a token whose `expires_in` (seconds) counts from `sentAt` (epoch ms). */
export function expiresAtFrom(expiresIn: unknown, sentAt: number): number | undefined {
  const seconds =
    typeof expiresIn === "string" && /^\d{1,12}$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return sentAt + seconds * 1000;
}
