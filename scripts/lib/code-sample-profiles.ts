// How each vendor's client is called, for the code samples the build derives for every operation
// (scripts/lib/code-samples.ts). Only what the description cannot tell: how the client is made, which
// query parameters its paginate() sets itself, which paths it does not serve.
import { SINGLE_RECORD_PATHS } from "../../src/hiboutik/single-record-paths.js";

export interface ClientSampleProfile {
  /**
   * The lines every sample starts with: the import and the client, credentials from the
   * environment, each line at most SAMPLE_WIDTH (code-samples.ts) wide.
   */
  setup: string;
  /** The client's variable in `setup`. */
  client: string;
  /** Query parameters paginate() sets itself; an operation taking the first one is a list. */
  pagingParameters: readonly string[];
  /** Calls resolve to the unwrapped payload and throw on failure, instead of `{ data, error }`. */
  unwrapped?: boolean;
  /** GET paths read with `one()` (a one-element array answered as the record). */
  singleRecordPaths?: readonly string[];
  /** Paths the client does not serve (OAuth endpoints): their samples call fetch(). */
  outsideClient: readonly string[];
  /** Prefix of the environment variables that hold secrets in fetch() samples (`HUBRISE_CLIENT_SECRET`). */
  envPrefix: string;
}

export const CLIENT_SAMPLE_PROFILES: Readonly<Record<string, ClientSampleProfile>> = {
  hubrise: {
    setup: `import {
  createHubriseClient,
} from "commerce-openapi/hubrise";

const hubrise = createHubriseClient({
  accessToken: process.env.HUBRISE_ACCESS_TOKEN!,
});`,
    client: "hubrise",
    pagingParameters: ["cursor"],
    outsideClient: ["/token", "/revoke"],
    envPrefix: "HUBRISE",
  },
  hiboutik: {
    setup: `import {
  createHiboutikClient,
} from "commerce-openapi/hiboutik";

const hiboutik = createHiboutikClient({
  account: "myshop", // https://myshop.hiboutik.com/api
  login: "owner@example.com",
  apiKey: process.env.HIBOUTIK_API_KEY!,
});`,
    client: "hiboutik",
    pagingParameters: ["p"],
    singleRecordPaths: SINGLE_RECORD_PATHS,
    outsideClient: ["/token.php"],
    envPrefix: "HIBOUTIK",
  },
  "subscriptions-only": {
    setup: `import {
  createSubscriptionsOnlyClient,
} from "commerce-openapi/subscriptions-only";

const so = createSubscriptionsOnlyClient({
  storeId: "STO-12345",
  apiKey: process.env.SO_API_KEY!,
});`,
    client: "so",
    pagingParameters: ["paginate", "page"],
    unwrapped: true,
    outsideClient: [],
    envPrefix: "SO",
  },
  hike: {
    setup: `import {
  createHikeClient,
} from "commerce-openapi/hike";

const hike = createHikeClient({
  accessToken: process.env.HIKE_ACCESS_TOKEN!,
});`,
    client: "hike",
    pagingParameters: ["skip_count", "page_size"],
    outsideClient: ["/oauth/token"],
    envPrefix: "HIKE",
  },
};
