// `commerce-openapi/subscriptions-only/sandbox` (Node only): a local Subscriptions Only API for
// integrators' tests. It answers the description's seven operations over seeded, deterministic
// add-ons and subscribers (or the user's own), with HTTP Basic `storeId:apiKey`, the envelope, the
// documented 400 ("Unknown fields submitted." / "Required fields missing.", fields keyed by
// position), and faults on demand. The API's rate limits are not public: none is enforced.
import { base64 } from "../../core/base64.js";
import { loadDescription, type OperationSpec } from "../../sandbox/description.js";
import {
  checkRecords,
  DEFAULT_SEED,
  type SandboxOptions,
  seededSecret,
} from "../../sandbox/options.js";
import { Random } from "../../sandbox/random.js";
import type { CheckedRequest, Violation } from "../../sandbox/request-check.js";
import {
  type SandboxServer,
  startSandboxServer,
  type VendorBehaviour,
} from "../../sandbox/server.js";
import {
  type AddOn,
  seededState,
  type Subscriber,
  type SubscriptionsOnlyData,
  type SubscriptionsOnlyState,
} from "./data.js";
import { envelope, handlers } from "./handlers.js";

export type { SandboxFault, FaultTarget } from "../../sandbox/faults.js";
export type { RequestRecord } from "../../sandbox/server.js";
export type { AddOn, Subscriber, SubscriptionsOnlyData, SubscriptionsOnlyState };
export { DEFAULT_PAGE_SIZE } from "./handlers.js";

export interface SubscriptionsOnlySandboxOptions extends SandboxOptions {
  /** The credentials it accepts. Default: derived from the seed. */
  credentials?: { storeId: string; apiKey: string };
  /** How many records to generate. Default 37 add-ons, 25 subscribers. */
  size?: { addOns?: number; subscribers?: number };
  /** Records of your own instead of generated ones (checked against the description). */
  data?: SubscriptionsOnlyData;
}

export interface SubscriptionsOnlySandbox extends SandboxServer {
  /** What `createSubscriptionsOnlyClient` takes. */
  credentials: { storeId: string; apiKey: string };
  state: SubscriptionsOnlyState;
}

/** The API's own order of required add-on fields: "Required fields missing." keys are positions in it. */
const ADDON_REQUIRED = [
  "addon_status",
  "addon_name",
  "addon_description",
  "addon_price",
  "addon_quantities",
  "addon_code",
];

const describeViolation = (v: Violation) => `${v.where}: ${v.message}`;

/**
 * The documented 400s first (unknown fields by their position in the body; missing required
 * fields by their position in the API's list), then any other violation, named.
 */
function invalid(violations: Violation[], _op: OperationSpec, request: CheckedRequest) {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const unknownNames = new Set(
    violations
      .filter((v) => v.where === "body" && v.message.startsWith("must NOT have additional"))
      .map((v) => /\((.*)\)$/.exec(v.message)?.[1]),
  );
  if (unknownNames.size > 0) {
    const fields = Object.keys(body)
      .map((name, i) => [String(i), name] as const)
      .filter(([, name]) => unknownNames.has(name));
    return envelope(400, { text: "Unknown fields submitted.", fields: Object.fromEntries(fields) });
  }
  const missing = violations
    .filter((v) => v.where === "body" && v.message.startsWith("must have required property"))
    .map((v) => /'(.*)'/.exec(v.message)?.[1] ?? "");
  if (missing.length > 0) {
    const fields = missing.map((name) => {
      const at = ADDON_REQUIRED.indexOf(name);
      return [String(at >= 0 ? at : ADDON_REQUIRED.length), name] as const;
    });
    return envelope(400, { text: "Required fields missing.", fields: Object.fromEntries(fields) });
  }
  return envelope(400, {
    text: `Invalid request: ${violations.map(describeViolation).join("; ")}`,
    fields: Object.fromEntries(violations.map((v, i) => [String(i), v.where])),
  });
}

export async function startSubscriptionsOnlySandbox(
  options: SubscriptionsOnlySandboxOptions = {},
): Promise<SubscriptionsOnlySandbox> {
  const description = loadDescription("subscriptions-only");
  const seed = options.seed ?? DEFAULT_SEED;
  const credentials = options.credentials ?? {
    storeId: `STO-${new Random(seed).fork("store").text("0123456789", 5)}`,
    apiKey: seededSecret(seed, "so-key"),
  };
  const data = options.data && {
    addOns:
      options.data.addOns &&
      (checkRecords(
        description,
        "addOns",
        "#/components/schemas/AddOn",
        options.data.addOns,
      ) as AddOn[]),
    subscribers:
      options.data.subscribers &&
      (checkRecords(
        description,
        "subscribers",
        "#/components/schemas/Subscriber",
        options.data.subscribers,
      ) as Subscriber[]),
  };
  const state = seededState(
    new Random(seed),
    { addOns: options.size?.addOns ?? 37, subscribers: options.size?.subscribers ?? 25 },
    data,
  );
  const expected = `Basic ${base64(`${credentials.storeId}:${credentials.apiKey}`)}`;
  const behaviour: VendorBehaviour<SubscriptionsOnlyState, string> = {
    description,
    state,
    authenticate: (request) =>
      request.headers.authorization === expected
        ? credentials.storeId
        : envelope(401, { text: "Invalid credentials." }),
    handlers,
    errors: {
      invalid,
      notFound: () => envelope(404, { text: "Not found." }),
      methodNotAllowed: () => envelope(405, { text: "Method not allowed." }),
      status: (status) => envelope(status),
    },
  };
  const server = await startSandboxServer(behaviour, options);
  return { ...server, credentials, state };
}
