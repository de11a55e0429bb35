// A Hiboutik account is the subdomain of its hosts (`https://{account}.hiboutik.com/api`,
// `…/oauth_api`): checked to be one before any URL is built from it.
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** `account`, once known to be a subdomain; `caller` names the function in the TypeError. */
export function requireAccount(account: unknown, caller: string): string {
  if (typeof account !== "string" || !SUBDOMAIN.test(account)) {
    throw new TypeError(`${caller}: account must be the shop's subdomain (letters, digits, -)`);
  }
  return account;
}
