// The portable suite's checks of what surrounds the clients (issue 16), in every runtime:
// - "OAuth install", per vendor with OAuth: the authorize URL, the user's approval (the authorize
//   page redirects to the app's callback, which tells the suite the URL it was reached by), a
//   callback with a forged state refused before anything is sent, the code exchanged, and the
//   tokens used: HubRise's on the API, then revoked (a 401 after); Hiboutik's and Hike's through a
//   token store holding a token the API refuses, which the client refreshes once and retries with.
// - "webhook", per vendor with webhooks: a delivery decoded and typed, and one with a byte changed
//   (HubRise) or a field missing (Hiboutik) refused, by the parse function and by the handler.
// The OAuth servers are the vendors' sandboxes' own (on the sandbox's origin, its tokens accepted by
// the same sandbox's API); they count what they received: the runner checks the counts after the run.
import {
  ApiError,
  constructHubriseEvent,
  createHubriseClient,
  hubriseOAuth,
  hubriseWebhookHandler,
  isKnownHubriseEvent,
  OAuthError,
  WebhookError,
} from "../../src/hubrise/index.js";
import {
  createHiboutikClient,
  hiboutikOAuth,
  hiboutikWebhookHandler,
  type HiboutikTokens,
  parseHiboutikWebhook,
} from "../../src/hiboutik/index.js";
import { createHikeClient, hikeOAuth, type HikeTokens } from "../../src/hike/index.js";
import { caught, describe, expectNoSecret, expectThat, RETRY, TIMEOUTS } from "./check-support.js";

/** A sandbox's OAuth server, and the sandbox's API its tokens work on. */
export interface OAuthTarget<Id extends string | number = string | number> {
  /** The helpers' `oauthUrl`. */
  oauthUrl: string;
  /** The clients' `baseUrl` for the tokens it issues. */
  apiUrl: string;
  /**
   * What the issued tokens read on the API, from the sandbox's state: HubRise the location a
   * token is bound to, Hiboutik the first store, Hike a product.
   */
  readId: Id;
  clientId: string;
  clientSecret: string;
  /** The app's callback: it answers `{ "url": … }`, the path and query it was reached by. */
  redirectUri: string;
}

/** What the OAuth servers must have received from a run, per vendor. */
export const OAUTH_EXPECTED = {
  HubRise: { token: 1, refreshes: 0, revokes: 1 },
  Hiboutik: { token: 2, refreshes: 1, revokes: 0 },
  Hike: { token: 2, refreshes: 1, revokes: 0 },
} as const;

/** The access token the token stores start with: the APIs refuse it (never issued). */
export const STALE_TOKEN = "canary-portable-stale-token-51aa";

/** A Hiboutik webhook as Hiboutik sends it, and the sale id it carries. */
export interface HiboutikDelivery {
  body: string;
  saleId: string;
}

const clientOptions = (baseUrl: string) =>
  ({ baseUrl, throwOnError: true, retry: RETRY, timeouts: TIMEOUTS }) as const;

/**
 * The user approves on the authorize page: it redirects (followed, as a browser does) to the
 * app's callback, which answers with the URL it was reached by, code and state in its query.
 */
async function approve(authorizeUrl: string, redirectUri: string): Promise<URL> {
  const response = await fetch(authorizeUrl);
  expectThat(response.ok, `the authorize page and the callback answered ${response.status}`);
  const { url } = (await response.json()) as { url: string };
  const callback = new URL(url, redirectUri);
  expectThat(callback.searchParams.has("code"), `the callback has no code: ${callback.search}`);
  return callback;
}

/** A callback whose state is not the session's is refused before anything is sent. */
async function expectForgedStateRefused(handle: () => Promise<unknown>, secret: string) {
  const err = await caught(handle);
  expectThat(err instanceof OAuthError, `a forged state: ${describe(err)}, not OAuthError`);
  expectNoSecret(err, [secret]);
}

/** A token store in memory that keeps what the client saved. */
function tokenStore<T extends { accessToken: string }>(initial: T) {
  let current = initial;
  const saved: T[] = [];
  return {
    saved,
    get: async () => current,
    async set(next: T) {
      saved.push(next);
      current = next;
    },
  };
}

/** The store's one save: new tokens, neither the stale token nor the refresh token it started with. */
function expectOneRefresh(
  saved: readonly { accessToken: string; refreshToken?: string }[],
  old?: string,
) {
  expectThat(saved.length === 1, `the store was saved to ${saved.length} times, not once`);
  const [next] = saved;
  expectThat(next!.accessToken !== STALE_TOKEN, "the refresh saved the stale token");
  expectThat(
    next!.refreshToken !== undefined && next!.refreshToken !== old,
    "no new refresh token",
  );
}

export async function hubriseInstall(t: OAuthTarget<string>): Promise<string> {
  const oauth = hubriseOAuth({ ...t, timeouts: TIMEOUTS });
  const { url, state } = oauth.authorizeUrl({
    redirectUri: t.redirectUri,
    scope: "location[orders.read]",
  });
  const callback = await approve(url, t.redirectUri);
  await expectForgedStateRefused(
    () => oauth.handleCallback(callback, { expectedState: `${state}x` }),
    t.clientSecret,
  );
  const tokens = await oauth.handleCallback(callback, { expectedState: state });
  expectThat(tokens.response.location_id === t.readId, `bound to ${tokens.response.location_id}`);
  const client = createHubriseClient({ accessToken: tokens.accessToken }, clientOptions(t.apiUrl));
  const { data } = await client.GET("/location");
  expectThat(data.id === t.readId, `location ${data.id}`);
  await oauth.revoke(tokens.accessToken);
  const refused = await caught(() => client.GET("/location"));
  expectThat(
    refused instanceof ApiError && refused.status === 401,
    `after the revoke: ${describe(refused)}, not ApiError 401`,
  );
  expectNoSecret(refused, [tokens.accessToken, t.clientSecret]);
  return "forged state refused; code exchanged; GET /location; revoked, then 401";
}

export async function hiboutikInstall(t: OAuthTarget<number>): Promise<string> {
  const oauth = hiboutikOAuth({ ...t, account: "myshop", timeouts: TIMEOUTS });
  const { url, state } = oauth.authorizeUrl();
  const callback = await approve(url, t.redirectUri);
  await expectForgedStateRefused(
    () => oauth.handleCallback(callback, { expectedState: `${state}x` }),
    t.clientSecret,
  );
  const tokens = await oauth.handleCallback(callback, { expectedState: state });
  // The API answers the stale token `code: 1`: the client refreshes, saves, and retries.
  const store = tokenStore<HiboutikTokens>({ ...tokens, accessToken: STALE_TOKEN });
  const client = createHiboutikClient(
    { account: "myshop", tokens: store, oauth },
    clientOptions(t.apiUrl),
  );
  const { data } = await client.GET("/stores");
  expectThat(data[0]?.store_id === t.readId, `stores ${JSON.stringify(data)}`);
  expectOneRefresh(store.saved, tokens.refreshToken);
  return "forged state refused; code exchanged; a refused token refreshed once; GET /stores";
}

export async function hikeInstall(t: OAuthTarget<number>): Promise<string> {
  const oauth = hikeOAuth({ ...t, timeouts: TIMEOUTS });
  const { url, state } = oauth.authorizeUrl({ redirectUri: t.redirectUri });
  const callback = await approve(url, t.redirectUri);
  const redirectUri = t.redirectUri;
  await expectForgedStateRefused(
    () => oauth.handleCallback(callback, { expectedState: `${state}x`, redirectUri }),
    t.clientSecret,
  );
  const tokens = await oauth.handleCallback(callback, { expectedState: state, redirectUri });
  // The API answers the stale token `invalid_token`: the client refreshes, saves, and retries.
  const store = tokenStore<HikeTokens>({ ...tokens, accessToken: STALE_TOKEN });
  const client = createHikeClient({ tokens: store, oauth }, clientOptions(t.apiUrl));
  const { data } = await client.GET("/products/get/{id}", {
    params: { path: { id: t.readId } },
  });
  expectThat(data.id === t.readId, `product ${data.id}`);
  expectOneRefresh(store.saved, tokens.refreshToken);
  return "forged state refused; code exchanged; a refused token refreshed once; GET a product";
}

/** A HubRise callback: `header` is the body's X-HubRise-Hmac-SHA256 with `clientSecret`. */
export async function hubriseWebhook(signed: {
  body: string;
  header: string;
  clientSecret: string;
}): Promise<string> {
  const { body, clientSecret } = signed;
  const headers = { "X-HubRise-Hmac-SHA256": signed.header };
  const event = await constructHubriseEvent(body, headers, clientSecret);
  expectThat(
    isKnownHubriseEvent(event) && event.resource_type === "order" && event.event_type === "create",
    `not a known order.create: ${event.resource_type}.${event.event_type}`,
  );
  // One byte changed (a digit of created_at): the signature no longer matches.
  const changed = body.replace(/:53\+/, ":54+");
  expectThat(changed !== body, "the body has no created_at to change");
  const err = await caught(() => constructHubriseEvent(changed, headers, clientSecret));
  expectThat(
    err instanceof WebhookError && err.reason === "bad-signature" && err.status === 401,
    `a changed byte: ${describe(err)}, not WebhookError bad-signature 401`,
  );
  expectNoSecret(err, [clientSecret]);

  const orders: string[] = [];
  const handler = hubriseWebhookHandler({
    clientSecret,
    on: { "order.create": (e) => void orders.push(e.order_id) },
  });
  const deliver = (payload: string) =>
    handler(
      new Request("https://app.example/hubrise/events", { method: "POST", headers, body: payload }),
    );
  const [accepted, forged] = [await deliver(body), await deliver(changed)];
  expectThat(
    accepted.status === 200 && forged.status === 401,
    `the handler answered ${accepted.status} and ${forged.status}, not 200 and 401`,
  );
  expectThat(orders.length === 1 && orders[0] === event.order_id, `callbacks: ${orders.join()}`);
  return `order.create ${event.order_id}; a changed byte refused (401), by the handler too`;
}

/** A Hiboutik `sale` webhook, as a PHP bracket form. */
export async function hiboutikWebhook(delivery: HiboutikDelivery): Promise<string> {
  const sale = parseHiboutikWebhook("sale", delivery.body);
  expectThat(sale.sale_id === delivery.saleId, `sale ${String(sale.sale_id)}`);
  const truncated = new URLSearchParams(delivery.body);
  truncated.delete("sale_id");
  const err = await caught(() => parseHiboutikWebhook("sale", truncated.toString()));
  expectThat(
    err instanceof WebhookError && err.reason === "malformed-body" && err.status === 400,
    `no sale_id: ${describe(err)}, not WebhookError malformed-body 400`,
  );

  const sales: unknown[] = [];
  const handler = hiboutikWebhookHandler({ on: { sale: (s) => void sales.push(s.sale_id) } });
  const deliver = (body: string) =>
    handler(
      new Request("https://app.example/hiboutik/sale", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      }),
    );
  const [accepted, refused] = [await deliver(delivery.body), await deliver(truncated.toString())];
  expectThat(
    accepted.status === 200 && refused.status === 400,
    `the handler answered ${accepted.status} and ${refused.status}, not 200 and 400`,
  );
  expectThat(sales.length === 1 && sales[0] === delivery.saleId, `callbacks: ${sales.join()}`);
  return `sale ${delivery.saleId} decoded; one without sale_id refused (400), by the handler too`;
}
