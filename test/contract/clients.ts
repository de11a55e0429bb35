// One shape over the four vendor clients for the contract suite, which calls operations by paths
// read from the descriptions at run time (so the calls are untyped here; the typed calls are the
// docs' code samples, compiled by test/docs/code-samples.test.ts).
import {
  createHiboutikClient,
  parseContentRange,
  parseLinkHeader,
} from "../../src/hiboutik/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import { createSubscriptionsOnlyClient } from "../../src/subscriptions-only/index.js";

type Init = { params?: Record<string, unknown> } | undefined;

export interface ContractClient {
  /** The answer as sent: status and parsed body (for SO, the envelope). */
  get(path: string, init: Init): Promise<{ status: number; body: unknown; text: string }>;
  /** A raw-bytes answer, asked for with `Accept: <media>`. */
  bytes(path: string, init: Init, media: string): Promise<{ status: number }>;
  /** The items of the first page as the client's paging reads it (its headers or body checked). */
  firstPage(path: string, init: Init): Promise<unknown[]>;
  /** Hiboutik's one(): the record of a one-element read. */
  one(path: string, init: Init): Promise<unknown>;
  /** SO: the client's unwrapped result, and the part of the envelope it must equal. */
  unwrap?(path: string, init: Init): Promise<unknown>;
  payloadOf(body: unknown): unknown;
  /** A GET through a client that throws ApiError on any non-2xx answer. */
  throwing(path: string, init: Init): Promise<unknown>;
}

// The clients' methods are typed by path; here paths are data.
type Loose = {
  GET(
    path: string,
    init?: unknown,
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  pages(path: string, init?: unknown): AsyncGenerator<{ items: unknown[] }>;
};
const loose = (client: unknown) => client as Loose;

async function answer(client: Loose, path: string, init: Init) {
  const { data, error, response } = await client.GET(path, init);
  const body = data ?? error;
  return { status: response.status, body, text: JSON.stringify(body)?.slice(0, 500) ?? "" };
}

async function bytes(client: Loose, path: string, init: Init, media: string) {
  const { response } = await client.GET(path, {
    ...init,
    headers: { Accept: media },
    parseAs: "arrayBuffer",
  });
  return { status: response.status };
}

async function firstPage(client: Loose, path: string, init: Init): Promise<unknown[]> {
  for await (const page of client.pages(path, init)) return page.items;
  return [];
}

const unsupported = () => Promise.reject(new Error("not a Hiboutik client"));
const noRetry = { retry: false } as const;

/** A client that answers `{ data, error, response }`; `make(true)` builds one that throws ApiError. */
function plainClient(make: (throwOnError: boolean) => unknown): ContractClient {
  const client = loose(make(false));
  return {
    get: (p, i) => answer(client, p, i),
    bytes: (p, i, m) => bytes(client, p, i, m),
    firstPage: (p, i) => firstPage(client, p, i),
    one: unsupported,
    payloadOf: (body) => body,
    throwing: (p, i) => loose(make(true)).GET(p, i),
  };
}

export function contractClient(vendor: string, baseUrl: string): ContractClient {
  switch (vendor) {
    case "hubrise":
      return plainClient((throwOnError) =>
        createHubriseClient(
          { accessToken: "contract-token" },
          { baseUrl, limits: false, throwOnError, ...noRetry },
        ),
      );
    case "hiboutik": {
      const make = (throwOnError: boolean) =>
        createHiboutikClient(
          { account: "myshop", login: "owner@example.com", apiKey: "contract-key" },
          { baseUrl, throwOnError, ...noRetry },
        );
      const typed = make(false);
      const client = loose(typed);
      return {
        ...plainClient(make),
        // The mock's header examples (Content-Range "1-250/2102") do not match its one-row example
        // body, which paginate() rightly refuses; what must hold is that both headers parse.
        firstPage: async (p, i) => {
          const { data, response } = await client.GET(p, i);
          const range = response.headers.get("Content-Range");
          const link = response.headers.get("Link");
          if (range && !parseContentRange(range)) throw new Error(`Content-Range ${range}`);
          if (link && !parseLinkHeader(link, response.url)) throw new Error(`Link ${link}`);
          return data as unknown[];
        },
        one: (p, i) => (typed.one as (p: string, i: Init) => Promise<unknown>)(p, i),
      };
    }
    case "subscriptions-only": {
      const so = createSubscriptionsOnlyClient(
        { storeId: "STO-12345", apiKey: "contract-key" },
        { baseUrl, ...noRetry },
      );
      const unwrapped = (p: string, i: Init) =>
        (so.GET as unknown as (p: string, i: Init) => Promise<unknown>)(p, i);
      const envelopeBody = (body: unknown) =>
        (body as { body?: { data?: unknown; text?: unknown } }).body;
      return {
        get: (p, i) => answer(loose(so.raw), p, i),
        bytes: (p, i, m) => bytes(loose(so.raw), p, i, m),
        firstPage: (p, i) => firstPage(loose(so), p, i),
        one: unsupported,
        unwrap: unwrapped,
        payloadOf: (body) => envelopeBody(body)?.data ?? envelopeBody(body)?.text,
        throwing: unwrapped,
      };
    }
    case "hike":
      return plainClient((throwOnError) =>
        createHikeClient(
          { accessToken: "contract-token" },
          { baseUrl, limits: false, throwOnError, ...noRetry },
        ),
      );
    default:
      throw new Error(`no contract client for ${vendor}`);
  }
}
