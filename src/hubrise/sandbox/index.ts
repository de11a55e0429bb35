// `commerce-openapi/hubrise/sandbox` (Node only): a local HubRise for integrators' tests. It
// answers every operation of the description over a seeded, deterministic account (`3r4s3` "Bella
// Pizza", locations `3r4s3-1` Paris and `3r4s3-2` Lyon, its catalogs, customer lists, loyalty
// cards and 1,000+ orders, generated on demand so that 100,000 cost nothing until read), or over
// the user's own records; with HubRise's X-Access-Token authentication (a 401 otherwise), its
// cursor paging (`count`, `cursor`, X-Cursor-Next), its fixed rate-limit windows and heavy
// queries (429), its error bodies (a request the description does not allow: 422 naming each
// violation), its OAuth server (`/oauth2/v1`: authorize, token, revoke; the tokens it issues are
// connections of the API) and its callbacks, signed with the client secret and POSTed when the
// state changes. Faults on demand: `inject()`, or the X-Sandbox-Fault header.
//
//   const hubrise = await startHubriseSandbox({ seed: 1, validate: true });
//   const client = createHubriseClient(hubrise.credentials, { baseUrl: hubrise.url });
//   for await (const order of client.paginate("/location/orders")) …
//   await hubrise.close();
import { type Clock, systemClock } from "../../core/clock.js";
import { loadDescription, type OperationSpec } from "../../sandbox/description.js";
import { createOAuthServer, type OAuthServer } from "../../sandbox/oauth-server.js";
import {
  checkRecords,
  DEFAULT_SEED,
  type SandboxOptions,
  seededSecret,
} from "../../sandbox/options.js";
import type { Delivery } from "../../sandbox/outbox.js";
import { Random } from "../../sandbox/random.js";
import { schemaChecker } from "../../sandbox/schemas.js";
import {
  type SandboxServer,
  startSandboxServer,
  type VendorBehaviour,
} from "../../sandbox/server.js";
import {
  CallbackHub,
  type CallbackEvent,
  type CallbackRegistration,
  type Connection,
} from "./callbacks.js";
import { errorBody, invalidRequest, noRoute, statusError } from "./errors.js";
import { hubriseHandlers, type Principal } from "./handlers/index.js";
import { idSpaces } from "./ids.js";
import { HUBRISE_SANDBOX_LIMITS, type HubriseSandboxLimits, RateWindows } from "./limits.js";
import { CURSOR_HEADER } from "./paging.js";
import { TIME_ZONE } from "./seed-account.js";
import type { Order } from "./seed-orders.js";
import type { Customer, CustomerList } from "./seed-people.js";
import {
  buildState,
  type HubriseSandboxData,
  type HubriseSandboxSize,
  type HubriseState,
} from "./state.js";

export type { SandboxFault, FaultTarget } from "../../sandbox/faults.js";
export type { RequestRecord } from "../../sandbox/server.js";
export type { Delivery } from "../../sandbox/outbox.js";
export type { OAuthServer } from "../../sandbox/oauth-server.js";
export type { CallbackEvent, CallbackRegistration, Connection } from "./callbacks.js";
export type { HubriseSandboxData, HubriseSandboxSize, HubriseState } from "./state.js";
export { DEFAULT_ORDER_COUNT } from "./state.js";
export { HUBRISE_SANDBOX_LIMITS, type HubriseSandboxLimits } from "./limits.js";
export { hubriseHandlers } from "./handlers/index.js";
export { PAGE_SIZE } from "./paging.js";

export interface HubriseSandboxCredentials {
  /** The connection's access token (X-Access-Token), bound to location `3r4s3-1` and its account. */
  accessToken: string;
  /**
   * Another app's connection on the same location (a POS): what it changes fires the events your
   * callback listens to (HubRise never sends a connection the events it caused itself).
   */
  otherAccessToken: string;
  /** The OAuth client: its secret signs the callbacks. */
  clientId: string;
  clientSecret: string;
}

export interface HubriseSandboxOptions extends SandboxOptions {
  /** Any of the credentials; the others are derived from the seed. */
  credentials?: Partial<HubriseSandboxCredentials>;
  /** How many records to generate. */
  size?: HubriseSandboxSize;
  /** Records of your own instead of generated ones (checked against the description). */
  data?: HubriseSandboxData;
  /** HubRise's limits per connection (default the published ones); `false`: none. */
  limits?: Partial<HubriseSandboxLimits> | false;
  callbacks?: {
    /** Also send an app's connections the events of its own changes (HubRise does not). Default false. */
    ownEvents?: boolean;
  };
}

export interface HubriseSandbox extends SandboxServer {
  /** What `createHubriseClient` and `hubriseOAuth` take. */
  credentials: HubriseSandboxCredentials;
  state: HubriseState;
  /** The OAuth server: `user` ("approves"/"denies"), `stats`, `issued`, `bodies`, `issueTokens()`. */
  oauth: OAuthServer;
  /** `hubriseOAuth`'s `oauthUrl` (`<origin>/oauth2/v1`). */
  oauthUrl: string;
  /** Every callback POSTed so far (the last 1,000), with the receiver's answer. */
  deliveries: Delivery[];
  /** Resolves once every callback under way has been answered. */
  settled(): Promise<void>;
  /** The callback a connection registered (default: `credentials.accessToken`'s). */
  callback(accessToken?: string): CallbackRegistration | undefined;
  /**
   * POSTs `event` to the callback URL of a connection (default `credentials.accessToken`'s) as
   * HubRise does, signed with the client secret; resolves to the delivery and its answer.
   */
  deliver(event: Record<string, unknown>, options?: { accessToken?: string }): Promise<Delivery>;
}

/** Reads an operation's own fields (security, extensions) from the description. */
function operationObject(description: ReturnType<typeof loadDescription>, op: OperationSpec) {
  return description.resolve({ $ref: op.pointer }, op.pointer).node as Record<string, unknown>;
}

export async function startHubriseSandbox(
  options: HubriseSandboxOptions = {},
): Promise<HubriseSandbox> {
  const description = loadDescription("hubrise");
  const seed = options.seed ?? DEFAULT_SEED;
  const clock: Clock = options.clock ?? systemClock;
  const credentials: HubriseSandboxCredentials = {
    accessToken: options.credentials?.accessToken ?? seededSecret(seed, "hubrise-access"),
    otherAccessToken:
      options.credentials?.otherAccessToken ?? seededSecret(seed, "hubrise-other-access"),
    clientId:
      options.credentials?.clientId ??
      `${new Random(seed).fork("client-id").text("0123456789", 12)}.clients.hubrise.com`,
    clientSecret: options.credentials?.clientSecret ?? seededSecret(seed, "hubrise-client-secret"),
  };
  const data = options.data && {
    orders:
      options.data.orders &&
      (checkRecords(
        description,
        "orders",
        "#/components/schemas/Order",
        options.data.orders,
      ) as Order[]),
    customerLists:
      options.data.customerLists &&
      (checkRecords(
        description,
        "customerLists",
        "#/components/schemas/CustomerList",
        options.data.customerLists,
      ) as CustomerList[]),
    customers:
      options.data.customers &&
      (checkRecords(
        description,
        "customers",
        "#/components/schemas/Customer",
        options.data.customers,
      ) as Customer[]),
  };
  if (credentials.accessToken === credentials.otherAccessToken) {
    throw new TypeError("credentials.accessToken and credentials.otherAccessToken must differ");
  }
  const limits =
    options.limits === false
      ? undefined
      : {
          ...HUBRISE_SANDBOX_LIMITS,
          ...Object.fromEntries(
            Object.entries(options.limits ?? {}).filter(([, value]) => value !== undefined),
          ),
        };
  const ids = idSpaces(seed);
  const callbacks = new CallbackHub({
    clientSecret: credentials.clientSecret,
    clock,
    ids: ids.events,
    timeZone: TIME_ZONE,
    ownEvents: options.callbacks?.ownEvents ?? false,
    schemas: schemaChecker(description.doc),
  });
  const oauth = createOAuthServer({
    vendor: "hubrise",
    clock,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  });
  const state = buildState({ seed, ids, callbacks, oauth, size: options.size ?? {}, data });
  const home = state.locations[0]!.id;
  const windows = () => (limits ? new RateWindows(limits) : undefined);
  const connect = (token: string, name: string, clientName: string) =>
    callbacks.addConnection(token, { name, clientName, locationId: home, windows: windows() });
  connect(credentials.accessToken, "primary", "Sandbox App");
  connect(credentials.otherAccessToken, "other", "Sandbox POS");
  const oauthTokens = new Set<string>();

  const clientOperations = new Set<string>();
  const heavyOperations = new Set<string>();
  for (const op of description.operations) {
    const object = operationObject(description, op);
    const security = object.security as Record<string, unknown>[] | undefined;
    if (security?.some((s) => "hubriseClientCredentials" in s))
      clientOperations.add(op.operationId);
    if (object["x-hubrise-heavy-query"] === true) heavyOperations.add(op.operationId);
  }

  const behaviour: VendorBehaviour<HubriseState, Principal> = {
    description,
    state,
    authenticate(request, operation) {
      // The OAuth server's operations authenticate the client themselves (Basic).
      if (clientOperations.has(operation.operationId)) return null;
      const header = request.headers["x-access-token"];
      const token = Array.isArray(header) ? header[0] : header;
      if (!token)
        return errorBody(401, "unauthorized", "Missing access token: send it in X-Access-Token");
      let connection: Connection | undefined = callbacks.connection(token);
      if (oauthTokens.has(token) && !oauth.accessTokenValid(token)) connection = undefined;
      else if (connection === undefined && oauth.accessTokenValid(token)) {
        oauthTokens.add(token);
        connection = connect(token, `oauth-${oauthTokens.size}`, "Sandbox App");
      }
      return connection ?? errorBody(401, "unauthorized", "Invalid access token");
    },
    admit(_request, operation, principal) {
      if (principal === null) return {};
      const heavy = operation.method === "get" && heavyOperations.has(operation.operationId);
      return principal.windows?.admit(clock.now(), heavy) ?? {};
    },
    handlers: hubriseHandlers,
    errors: {
      invalid: invalidRequest,
      notFound: (path) => noRoute(path),
      methodNotAllowed: (allowed) =>
        noRoute(`this method here (the path takes ${allowed.join(", ")})`),
      status: statusError,
    },
    routes: (request) => oauth.route(request),
    pagingHeader: CURSOR_HEADER,
  };
  const server = await startSandboxServer(behaviour, { ...options, clock });
  callbacks.violations = server.violations;

  const connectionOf = (accessToken: string | undefined) => {
    const connection = callbacks.connection(accessToken ?? credentials.accessToken);
    if (!connection) throw new Error("no connection has this access token");
    return connection;
  };
  return {
    ...server,
    credentials,
    state,
    oauth,
    oauthUrl: `${server.origin}${oauth.path}`,
    deliveries: callbacks.outbox.deliveries,
    settled: () => callbacks.settled(),
    callback: (accessToken) => connectionOf(accessToken).callback,
    async deliver(event, deliverOptions = {}) {
      const url = connectionOf(deliverOptions.accessToken).callback?.url;
      if (!url) throw new Error("the connection has no callback URL");
      return callbacks.post(url, event);
    },
    async close() {
      await callbacks.close();
      await server.close();
    },
  };
}
