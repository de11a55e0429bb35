// How Hike says a token is no longer valid: a 401 whose WWW-Authenticate names `invalid_token`
// (RFC 6750 §3.1). The session that refreshes on it is core's (src/core/oauth/session.ts).
export type { HikeTokens } from "./oauth.js";

/** Longer than any WWW-Authenticate challenge worth reading. */
const MAX_CHALLENGE_LENGTH = 4_096;

/** A 401 whose WWW-Authenticate names `invalid_token` (RFC 6750 §3.1): the token expired. */
export function isInvalidToken(response: Response): boolean {
  if (response.status !== 401) return false;
  const challenge = response.headers.get("WWW-Authenticate") ?? "";
  return challenge.length <= MAX_CHALLENGE_LENGTH && /invalid_token/i.test(challenge);
}
