// One request to a vendor's OAuth server (a code exchange, a refresh, a revocation): a form POST,
// the client authenticated as the vendor documents it, sent once through the clients' own send
// (timeouts, size cap, body read in full) and never retried or redirected: the body holds a
// single-use code or a refresh token and, with form authentication, the client secret. Whatever
// goes wrong is an OAuthError, redacted of every credential the request carried.
import { base64 } from "../base64.js";
import type { Clock } from "../clock.js";
import { basicAuthorization, isToken } from "../credentials.js";
import { type ErrorContext, OAuthError, VendorClientError } from "../errors.js";
import { Secrets } from "../redact.js";
import { SendFailure, type SendSettings, sendable, sendOnce } from "../http/send.js";
import { expiresAtFrom } from "./tokens.js";

/** A vendor's OAuth client, as its token requests need it. */
export interface OAuthClient {
  vendor: string;
  clientId: string;
  clientSecret: string;
  /**
   * How the client authenticates: `basic`, HTTP Basic with the client id and secret (RFC 6749
   * §2.3.1); `form`, `client_id` and `client_secret` in the form body.
   */
  clientAuthentication: "basic" | "form";
  /** Timeouts, size cap and fetch, from the helper's transport options. */
  settings: SendSettings;
  clock: Clock;
}

export interface OAuthPost {
  url: string;
  form: Record<string, string>;
  /** The credentials this request carries besides the client's (a code, a refresh token, …). */
  secrets: readonly string[];
  signal?: AbortSignal | undefined;
}

/** A successful answer: its JSON object (undefined when the body is empty or not an object). */
export interface OAuthAnswer {
  status: number;
  json: Record<string, unknown> | undefined;
  ctx: ErrorContext;
}

/** How much of a non-JSON body an OAuthError quotes (redacted first). */
const QUOTED_BODY = 200;

/**
 * Sends `post` once. A 2xx is returned; a redirect, another status, no answer or an answer over the
 * size cap is an OAuthError (the caller's abort stays its own reason).
 */
export async function postToOAuthServer(
  client: OAuthClient,
  post: OAuthPost,
): Promise<OAuthAnswer> {
  const secrets = new Secrets([client.clientSecret, ...post.secrets]);
  const ctx: ErrorContext = {
    vendor: client.vendor,
    operation: `POST ${new URL(post.url).pathname}`,
    secrets,
  };
  const headers = new Headers({
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  });
  const form = new URLSearchParams(post.form);
  if (client.clientAuthentication === "basic") {
    const authorization = basicAuthorization(client.clientId, client.clientSecret, "clientId");
    secrets.add(authorization.slice("Basic ".length));
    headers.set("Authorization", authorization);
  } else {
    form.set("client_id", client.clientId);
    form.set("client_secret", client.clientSecret);
  }

  let response: Response;
  try {
    response = await sendOnce(
      sendable({
        url: post.url,
        method: "POST",
        headers,
        body: new TextEncoder().encode(form.toString()).buffer as ArrayBuffer,
      }),
      post.signal ?? null,
      client.settings,
      ctx,
    );
  } catch (err) {
    const typed = err instanceof SendFailure ? err.toError(ctx, 1) : err;
    if (!(typed instanceof VendorClientError)) throw typed; // the caller's abort
    const status = (typed as { status?: unknown }).status;
    throw new OAuthError(ctx, {
      status: typeof status === "number" ? status : undefined,
      detail: `no usable answer: ${withoutContext(typed.message, ctx)}`,
    });
  }

  const status = response.status;
  if (response.type === "opaqueredirect" || (status >= 300 && status < 400)) {
    // Never followed: the body holds a code or a refresh token (and maybe the client secret).
    throw new OAuthError(ctx, {
      status,
      detail: `the OAuth server answered ${status}, a redirect; OAuth requests never follow one`,
    });
  }
  const text = await response.text();
  const json = jsonObject(text);
  if (status < 200 || status >= 300) {
    const error = typeof json?.error === "string" ? json.error : undefined;
    const description = json?.error_description;
    throw new OAuthError(ctx, {
      status,
      error,
      errorDescription: typeof description === "string" ? description : undefined,
      detail:
        json !== undefined
          ? `the OAuth server refused the request with ${status}` +
            (error === undefined ? `: ${secrets.cut(JSON.stringify(json), QUOTED_BODY)}` : "")
          : `the OAuth server answered ${status} with a non-JSON body ` +
            `"${secrets.cut(text.replace(/\s+/g, " ").trim(), QUOTED_BODY)}"`,
    });
  }
  return { status, json, ctx };
}

/** A token answer, read: the tokens (added to the call's secrets first) and its JSON as sent. */
export interface TokenAnswer {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number | undefined;
  json: Record<string, unknown>;
}

/** Sends a token request (`post`) and reads the tokens of its answer. */
export async function requestTokens(client: OAuthClient, post: OAuthPost): Promise<TokenAnswer> {
  const sentAt = client.clock.now();
  const { status, json, ctx } = await postToOAuthServer(client, post);
  if (json === undefined) {
    throw new OAuthError(ctx, { status, detail: "the token answer is not a JSON object" });
  }
  // Whatever came back is a credential: redacted from now on, before any message can quote it.
  for (const token of [json.access_token, json.refresh_token]) {
    if (typeof token === "string") ctx.secrets.add(token);
  }
  // It goes into a header next: a value a header cannot carry would make Headers throw, quoting it.
  if (!isToken(json.access_token)) {
    throw new OAuthError(ctx, { status, detail: "the token answer has no usable access_token" });
  }
  const refreshToken = json.refresh_token;
  return {
    accessToken: json.access_token,
    refreshToken:
      typeof refreshToken === "string" && refreshToken !== "" ? refreshToken : undefined,
    expiresAt: expiresAtFrom(json.expires_in, sentAt),
    json,
  };
}

/** `message` without the `Vendor METHOD /path: ` its error class put first. */
export function withoutContext(
  message: string,
  ctx: Pick<ErrorContext, "vendor" | "operation">,
): string {
  const prefix = `${ctx.vendor} ${ctx.operation}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** The JSON object `text` holds, or undefined (empty, not JSON, or not an object). */
function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
