// What every vendor's OAuth helper is made from: its options checked (without echoing a secret),
// its transport settings, and the context of the errors a callback raises.
import { type Clock, systemClock } from "../clock.js";
import { requireSecretText } from "../credentials.js";
import type { ErrorContext } from "../errors.js";
import { sendSettings, type TransportOptions } from "../http/resilient-fetch.js";
import { Secrets } from "../redact.js";
import type { OAuthClient } from "./token-endpoint.js";

/**
 * What every OAuth helper takes: the app's client id and secret, and how its requests travel
 * (`fetch`, `timeouts`, `maxResponseBytes`, as for the clients; OAuth requests never follow a
 * redirect, so there is no `redirects`).
 */
export interface OAuthOptions extends Omit<TransportOptions, "redirects"> {
  clientId: string;
  clientSecret: string;
  /** The clock `expiresAt` is computed with. Default: the system clock. */
  clock?: Clock;
}

/** The OAuth client an helper's options describe; `helper` names the helper in TypeErrors. */
export function oauthClient(
  vendor: string,
  helper: string,
  options: OAuthOptions,
  clientAuthentication: OAuthClient["clientAuthentication"],
): OAuthClient {
  const clientId = requireSecretText(options?.clientId, `${helper}: clientId`);
  const clientSecret = requireSecretText(options.clientSecret, `${helper}: clientSecret`);
  if (clientAuthentication === "basic" && clientId.includes(":")) {
    throw new TypeError(`${helper}: clientId cannot contain ':' (Basic splits on it)`);
  }
  return {
    vendor,
    clientId,
    clientSecret,
    clientAuthentication,
    settings: sendSettings(options),
    clock: options.clock ?? systemClock,
  };
}

/** The context of a callback's errors: they may quote what the callback carried, never a secret. */
export function callbackContext(client: OAuthClient, authorizeUrl: string): ErrorContext {
  return {
    vendor: client.vendor,
    operation: `callback from ${new URL(authorizeUrl).pathname}`,
    secrets: new Secrets([client.clientSecret]),
  };
}

/** An OAuth server's base URL without its trailing slashes (checked to be an http(s) URL). */
export function serverUrl(url: string, helper: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${helper}: oauthUrl is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`${helper}: oauthUrl must be an http(s) URL`);
  }
  return url.replace(/\/+$/, "");
}
