// `commerce-openapi/hiboutik/sandbox` (Node only): a local Hiboutik API for integrators' tests. It
// answers the description's 98 operations over a seeded, deterministic account (stores, products,
// customers, sales over several days, stock, …) or the user's own records, as Hiboutik does:
// HTTP Basic (login email : API key) or an OAuth Bearer token (the app's OAuth server is mounted at
// `/oauth_api`, its tokens accepted), lists of 250 rows a page with `p`, `Content-Range` and
// `Link`, single-record reads as one-element arrays, the `{error, code, error_description,
// details}` error body (422 naming each violation of the description), 30 calls in flight and
// 10,000 calls a month on the sandbox's clock, webhooks delivered as PHP bracket-notation forms,
// and faults on demand (`inject`, or the `X-Sandbox-Fault` header).
import { loadDescription } from "../../sandbox/description.js";
import { type OAuthServer, createOAuthServer } from "../../sandbox/oauth-server.js";
import {
  checkRecords,
  DEFAULT_SEED,
  type SandboxOptions,
  seededSecret,
} from "../../sandbox/options.js";
import { Outbox, type OutboxOptions } from "../../sandbox/outbox.js";
import { Random } from "../../sandbox/random.js";
import {
  type IncomingRequest,
  type SandboxResponse,
  type SandboxServer,
  startSandboxServer,
  type VendorBehaviour,
} from "../../sandbox/server.js";
import { systemClock } from "../../core/clock.js";
import { authenticator } from "./auth.js";
import type { HiboutikData, HiboutikSize } from "./data.js";
import { errorResponse, invalid } from "./errors.js";
import { DEFAULT_TIME_ZONE } from "./format.js";
import { handlers } from "./handlers/index.js";
import type { HiboutikPrincipal } from "./handlers/common.js";
import { createLimits, type HiboutikLimitOptions, type HiboutikLimits } from "./limits.js";
import { DEFAULT_PAGE_SIZE } from "./paging.js";
import type { Customer, HiboutikState, Product, Sale, Store, Tax, User } from "./records.js";
import { buildState } from "./state.js";
import { webhookEmitter } from "./webhooks.js";

export type { SandboxFault, FaultTarget } from "../../sandbox/faults.js";
export type { RequestRecord } from "../../sandbox/server.js";
export type { Delivery } from "../../sandbox/outbox.js";
export type { OAuthServer } from "../../sandbox/oauth-server.js";
export type { HiboutikData, HiboutikSize, HiboutikLimitOptions, HiboutikLimits, HiboutikState };
export type { HiboutikPrincipal };
export { DEFAULT_PAGE_SIZE } from "./paging.js";
export { HIBOUTIK_DEFAULT_LIMITS } from "./limits.js";
export { DEFAULT_FIRST_DAY } from "./data.js";
/** Every operation's handler, by operationId (one per operation of the description). */
export { handlers } from "./handlers/index.js";

export interface HiboutikSandboxOptions extends SandboxOptions {
  /** The account (shop) name, what the client's `account` is. Default `myshop`. */
  account?: string;
  /**
   * What the API accepts: a user's login email and API key (Basic), and an app's fixed access token
   * (Bearer). Default: derived from the seed. Tokens the OAuth server issues are accepted too.
   */
  credentials?: { login?: string; apiKey?: string; accessToken?: string };
  /** How much to generate. Default 2 stores, 300 products, 2,102 customers, 1,000 sales over 7 days. */
  size?: HiboutikSize;
  /** Your own records instead of generated ones (checked against the description). */
  data?: HiboutikData;
  /** The first day of the generated sales (`YYYY-MM-DD`). Default 2026-01-05. */
  firstDay?: string;
  /** The stores' time zone (their dates are local times in it). Default Europe/Paris. */
  timeZone?: string;
  /** Hiboutik's limits (30 calls in flight, 10,000 a month); `false` turns them off. */
  limits?: HiboutikLimitOptions | false;
  /** Rows per page of the paginated lists. Default 250, as documented. */
  pageSize?: number;
  /** A demo account: `POST /reset` works and `POST /z/closure` is refused. Default false. */
  demo?: boolean;
  /** The app's OAuth registration (`/oauth_api/authorize/`, `/oauth_api/token.php`). */
  oauth?: { clientId?: string; clientSecret?: string; redirectUri?: string; expiresIn?: number };
  /** Webhook deliveries (timeout, how many are kept in `outbox.deliveries`). */
  webhooks?: OutboxOptions;
}

export interface HiboutikSandbox extends SandboxServer {
  /** What `createHiboutikClient` takes for Basic authentication. */
  credentials: { account: string; login: string; apiKey: string };
  /** What `createHiboutikClient` takes for a fixed OAuth token. */
  tokenCredentials: { account: string; accessToken: string };
  /** The app's OAuth server; `oauthUrl` is what `hiboutikOAuth` takes. */
  oauth: OAuthServer & {
    oauthUrl: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
  };
  state: HiboutikState;
  /** The limits' counters, or undefined when they are off. */
  limits: HiboutikLimits | undefined;
  /** The webhook deliveries (`deliveries`, `settled()`). */
  outbox: Outbox;
}

function secretText(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "" || /[\r\n]/.test(value)) {
    throw new TypeError(`${name} must be a non-empty string on one line`);
  }
  return value;
}

/** The user's data set, each record checked against the description's schema for it. */
function checkedData(data: HiboutikData | undefined): HiboutikData | undefined {
  if (data === undefined) return undefined;
  const description = loadDescription("hiboutik");
  const check = <T>(label: keyof HiboutikData, schema: string) =>
    data[label] === undefined
      ? undefined
      : (checkRecords(description, label, `#/components/schemas/${schema}`, data[label]) as T[]);
  return {
    stores: check<Store>("stores", "Store"),
    taxes: check<Tax>("taxes", "Tax"),
    users: check<User>("users", "User"),
    products: check<Product>("products", "Product"),
    customers: check<Customer>("customers", "Customer"),
    sales: check<Sale>("sales", "Sale"),
  };
}

/** `GET /sandbox-images/{image_id}/…`: an uploaded product image, as sent. */
function imageRoute(state: () => HiboutikState, request: IncomingRequest) {
  const m = /^\/sandbox-images\/(\d+)(?:\/|$)/.exec(request.url.pathname);
  if (!m || request.method !== "GET") return undefined;
  return (): SandboxResponse => {
    const image = state().images.find((i) => i.image_id === Number(m[1]));
    return image
      ? { status: 200, text: image.bytes, contentType: image.content_type }
      : errorResponse(404, "No such image");
  };
}

export async function startHiboutikSandbox(
  options: HiboutikSandboxOptions = {},
): Promise<HiboutikSandbox> {
  const description = loadDescription("hiboutik");
  const seed = options.seed ?? DEFAULT_SEED;
  const clock = options.clock ?? systemClock;
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const account = options.account ?? "myshop";
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new TypeError("pageSize must be a whole number ≥ 1");
  }
  const credentials = {
    login: secretText(options.credentials?.login ?? "owner@example.com", "credentials.login"),
    apiKey: secretText(
      options.credentials?.apiKey ?? seededSecret(seed, "hiboutik-api-key"),
      "credentials.apiKey",
    ),
    accessToken: secretText(
      options.credentials?.accessToken ?? seededSecret(seed, "hiboutik-token"),
      "credentials.accessToken",
    ),
  };
  if (credentials.login.includes(":")) throw new TypeError("credentials.login cannot hold ':'");
  const app = {
    clientId: options.oauth?.clientId ?? "sandbox-app",
    clientSecret: options.oauth?.clientSecret ?? seededSecret(seed, "hiboutik-client-secret"),
    redirectUri: options.oauth?.redirectUri ?? "http://127.0.0.1/hiboutik/installed",
  };
  const oauth = createOAuthServer({
    vendor: "hiboutik",
    clock,
    ...app,
    expiresIn: options.oauth?.expiresIn,
  });
  const outbox = new Outbox(options.webhooks);
  const random = new Random(seed);
  // The state is built after the pieces that refer back to it (the webhook emitter, the checks).
  let state!: HiboutikState;
  const current = () => state;
  state = buildState(random, {
    size: options.size ?? {},
    data: checkedData(options.data),
    firstDay: options.firstDay,
    timeZone,
    demo: options.demo ?? false,
    pageSize,
    oauth,
    oauthClientId: app.clientId,
    emit: webhookEmitter(current, outbox),
  });
  const limits =
    options.limits === false
      ? undefined
      : createLimits(options.limits ?? {}, () => clock.now(), timeZone);

  const behaviour: VendorBehaviour<HiboutikState, HiboutikPrincipal> = {
    description,
    state,
    authenticate: authenticator(credentials, current),
    admit: limits
      ? (_request, operation) =>
          // The token endpoint is the OAuth server's, not an API call.
          operation.operationId === "createOAuthToken" ? {} : limits.admit()
      : undefined,
    handlers,
    errors: {
      invalid,
      notFound: (path) => errorResponse(404, `Not Found: no API route ${path}`),
      methodNotAllowed: (allowed) =>
        errorResponse(405, `Method Not Allowed: ${allowed.join(", ")}`, {
          headers: { Allow: allowed.join(", ") },
        }),
      status: (status) => errorResponse(status),
    },
    routes: (request) => oauth.route(request) ?? imageRoute(current, request),
    pagingHeader: "Content-Range",
  };
  const server = await startSandboxServer(behaviour, { ...options, clock });
  return {
    ...server,
    credentials: { account, login: credentials.login, apiKey: credentials.apiKey },
    tokenCredentials: { account, accessToken: credentials.accessToken },
    oauth: Object.assign(oauth, { oauthUrl: server.origin + oauth.path, ...app }),
    state,
    limits,
    outbox,
    async close() {
      await server.close();
      await outbox.close();
    },
  };
}
