// `commerce-openapi/hike/sandbox` (Node only): a local Hike API for integrators' tests. It answers
// the description's operations over seeded, deterministic records (or the user's own) under
// `/api/v1`, with Hike's OAuth at `/oauth` (authorize, token), Bearer tokens that expire and
// refresh, Hike's offset paging (`page_size`/`skip_count`, `{ totalCount, items, next }`), its
// rolling windows on the sandbox's clock (60 a minute, 5,000 a day, refused calls counted) with
// the text 429 and X-Rate-Limit-Problem, its error statuses with a message naming the actual
// violation, and faults on demand (through `inject`, or the X-Sandbox-Fault header).
import { loadDescription } from "../../sandbox/description.js";
import {
  checkRecords,
  DEFAULT_SEED,
  type SandboxOptions,
  seededSecret,
} from "../../sandbox/options.js";
import type { OAuthServer } from "../../sandbox/oauth-server.js";
import { Random } from "../../sandbox/random.js";
import {
  type SandboxServer,
  startSandboxServer,
  type VendorBehaviour,
} from "../../sandbox/server.js";
import { systemClock } from "../../core/clock.js";
import {
  DEFAULT_SIZES,
  type HikeData,
  type HikeKind,
  type HikeRecord,
  type HikeSizes,
  KINDS,
  seededRecords,
} from "./data.js";
import { errorBody, hikeErrors, rateLimited } from "./errors.js";
import { handlers } from "./handlers.js";
import { HIKE_SANDBOX_LIMITS, type HikeLimits, RollingWindows } from "./limits.js";
import { createHikeAuth, type HikeSandboxCredentials } from "./oauth.js";
import { canonicalQueryNames } from "./paging.js";
import type { HikePrincipal, HikeState } from "./state.js";

export type { SandboxFault, FaultTarget } from "../../sandbox/faults.js";
export type { RequestRecord } from "../../sandbox/server.js";
export type { OAuthServer } from "../../sandbox/oauth-server.js";
export type {
  HikeData,
  HikeKind,
  HikeLimits,
  HikeRecord,
  HikeSandboxCredentials,
  HikeSizes,
  HikeState,
};
export { DEFAULT_SIZES, KINDS } from "./data.js";
export { HIKE_SANDBOX_LIMITS, RollingWindows } from "./limits.js";
export { RATE_LIMIT_TEXT } from "./errors.js";

export interface HikeSandboxOptions extends SandboxOptions {
  /**
   * The tokens and app credentials it accepts (each default: derived from the seed). The access
   * token expires like an issued one (`oauth.expiresIn`), and the refresh token is used up by its
   * refresh.
   */
  credentials?: Partial<HikeSandboxCredentials>;
  /** How many records of each kind to generate (defaults: `DEFAULT_SIZES`). */
  size?: Partial<HikeSizes>;
  /** Records of your own instead of generated ones, by kind (checked against the description). */
  data?: HikeData;
  /** Hike's rolling windows (default 60 a minute, 5,000 a day); `false`: no limits. */
  limits?: Partial<HikeLimits> | false;
  /**
   * Whether a 429 carries Retry-After (default true: Hike's newer reference pages document it;
   * false: its rate-limit page's older answer, with X-Rate-Limit-Problem only).
   */
  retryAfterOn429?: boolean;
  oauth?: {
    /** Lifetime of access tokens, seconds. Default 86,400 (Hike does not publish it). */
    expiresIn?: number;
    /** Leave refresh_token out of a refresh's answer (the old one stays valid), as Hike may. */
    omitRefreshTokenOnRefresh?: boolean;
  };
}

export interface HikeSandbox extends SandboxServer {
  /** What `createHikeClient` takes (`{ ...credentials }`), and the app's id and secret. */
  credentials: HikeSandboxCredentials;
  /** `hikeOAuth`'s `oauthUrl`: the authorize page and token endpoint are under it. */
  oauthUrl: string;
  /** `createHikeClient`'s `tokenUrl`. */
  tokenUrl: string;
  state: HikeState;
  /** The OAuth server: stats, issued tokens (leak-check canaries), received forms, `user`. */
  oauth: OAuthServer;
  /** Every access token issued so far stops working (the next call gets the 401 to refresh on). */
  expireAccessTokens(): void;
  /** The rolling windows (calls counted, refusals), or undefined with `limits: false`. */
  rateLimits: RollingWindows | undefined;
}

/** The default token lifetime: not published by Hike (GAP); a day. */
const DEFAULT_EXPIRES_IN = 86_400;
/** Hike refuses a POST body over 4 MB (its rate-limit page). */
const MAX_POST_BYTES = 4 * 1024 * 1024;

const SCHEMAS: Record<HikeKind, string> = {
  products: "Product",
  productTypes: "ProductType",
  sales: "Sale",
  suppliers: "UndocumentedRecord",
  customers: "UndocumentedRecord",
  outlets: "UndocumentedRecord",
  registers: "UndocumentedRecord",
  registerClosures: "UndocumentedRecord",
  offers: "UndocumentedRecord",
  taxes: "UndocumentedRecord",
  paymentTypes: "UndocumentedRecord",
  users: "UndocumentedRecord",
};

/** The user's records, checked: each fits the description and has its own whole-number id. */
function checkData(data: HikeData | undefined): HikeData | undefined {
  if (data === undefined) return undefined;
  const description = loadDescription("hike");
  const out: HikeData = {};
  for (const [kind, records] of Object.entries(data) as [string, unknown][]) {
    if (records === undefined) continue;
    if (!(KINDS as readonly string[]).includes(kind)) {
      throw new TypeError(`data.${kind}: not a kind of record (${KINDS.join(", ")})`);
    }
    const schema = `#/components/schemas/${SCHEMAS[kind as HikeKind]}`;
    const checked = checkRecords(description, kind, schema, records) as HikeRecord[];
    const seen = new Set<number>();
    checked.forEach((record, i) => {
      if (!(Number.isSafeInteger(record.id) && record.id >= 1) || seen.has(record.id)) {
        throw new TypeError(`data.${kind}[${i}] needs an id of its own, a whole number ≥ 1`);
      }
      seen.add(record.id);
    });
    out[kind as HikeKind] = checked;
  }
  return out;
}

function checkSizes(size: Partial<HikeSizes> | undefined): HikeSizes {
  const sizes = { ...DEFAULT_SIZES, ...size };
  for (const kind of KINDS) {
    if (!(Number.isSafeInteger(sizes[kind]) && sizes[kind] >= 0)) {
      throw new RangeError(`size.${kind} must be a whole number ≥ 0`);
    }
  }
  return sizes;
}

export async function startHikeSandbox(options: HikeSandboxOptions = {}): Promise<HikeSandbox> {
  const description = loadDescription("hike");
  const seed = options.seed ?? DEFAULT_SEED;
  const clock = options.clock ?? systemClock;
  const random = new Random(seed);
  const credentials: HikeSandboxCredentials = {
    accessToken: seededSecret(seed, "hike-access"),
    refreshToken: seededSecret(seed, "hike-refresh"),
    // An App Id as Hike shows them: `<AppName>-<10 hex>`.
    clientId: `Sandbox-${random.fork("credentials", "client-id").text("0123456789abcdef", 10)}`,
    clientSecret: seededSecret(seed, "hike-secret"),
  };
  for (const [name, value] of Object.entries(options.credentials ?? {})) {
    if (value === undefined) continue;
    if (!(name in credentials) || typeof value !== "string" || !/^[\x21-\x7e]+$/.test(value)) {
      throw new TypeError(`credentials.${name}: a non-empty string of visible ASCII characters`);
    }
    credentials[name as keyof HikeSandboxCredentials] = value;
  }
  const auth = createHikeAuth({
    clock,
    credentials,
    basePath: description.basePath,
    expiresIn: options.oauth?.expiresIn ?? DEFAULT_EXPIRES_IN,
    omitRefreshTokenOnRefresh: options.oauth?.omitRefreshTokenOnRefresh ?? false,
  });
  const state: HikeState = {
    ...seededRecords(random, checkSizes(options.size), checkData(options.data)),
    auth,
    revision: 0,
  };
  const windows =
    options.limits === false
      ? undefined
      : new RollingWindows({ ...HIKE_SANDBOX_LIMITS, ...options.limits });
  const retryAfter = options.retryAfterOn429 ?? true;
  // Operations the description opens to anyone (`security: []`): the token endpoint.
  const open = new Set(
    description.operations
      .filter((op) => {
        const item = description.resolve(description.doc.paths[op.template], "").node;
        const security: unknown = item[op.method].security;
        return Array.isArray(security) && security.length === 0;
      })
      .map((op) => op.operationId),
  );

  const behaviour: VendorBehaviour<HikeState, HikePrincipal> = {
    description,
    state,
    authenticate(request, operation) {
      // No engine step comes before the request check: query names are made the description's
      // spelling here, the first step that knows the operation (see canonicalQueryNames).
      canonicalQueryNames(request.url, operation);
      return open.has(operation.operationId) ? "app" : auth.authenticate(request);
    },
    admit(request, operation) {
      if (windows && !open.has(operation.operationId)) {
        const refusal = windows.admit(clock.now());
        if (refusal) {
          return rateLimited(refusal.problem, retryAfter ? refusal.retryAfter : undefined);
        }
      }
      if (request.method === "POST" && request.rawBody.byteLength > MAX_POST_BYTES) {
        // Hike's limit; how it answers one over it is not published (GAP): a 400.
        return errorBody(400, "The request body is over 4 MB: send fewer elements per request.");
      }
      return {};
    },
    handlers,
    errors: hikeErrors,
    routes: auth.routes,
  };
  const server = await startSandboxServer(behaviour, { ...options, clock });
  return {
    ...server,
    credentials,
    oauthUrl: server.origin + auth.oauth.path,
    tokenUrl: `${server.origin}${auth.oauth.path}/token`,
    state,
    oauth: auth.oauth,
    expireAccessTokens: auth.expireAccessTokens,
    rateLimits: windows,
  };
}
