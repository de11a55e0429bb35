// Contract suite, stateful half: each vendor's client against its sandbox. Every list operation of
// the description (every GET taking the client's paging parameter) is paged to its end through the
// client's paginate(): it must end without error, hold every item once, and hold the same items as
// the same list paged another way (another page size, or Hiboutik's pages fetched one at a time
// instead of 4 at once). Every answer the sandbox sent validates against the description
// (`validate: true`, and its violation log stays empty). Path and query parameters are the
// description's examples, except ids that must name records of the sandbox: those are read from the
// sandbox through the client, as an integrator would find them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SAMPLE_PROFILES } from "../../scripts/lib/code-sample-profiles.js";
import { exampleParameters, isList } from "../../scripts/lib/code-samples.js";
import { operationsOf } from "../../scripts/lib/stats.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { DEFAULT_FIRST_DAY, startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { startHikeSandbox } from "../../src/hike/sandbox/index.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import type { SandboxServer } from "../../src/sandbox/server.js";
import { createSubscriptionsOnlyClient } from "../../src/subscriptions-only/index.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";
import { loadBundle } from "../support/bundled.js";

type Params = Record<string, Record<string, unknown>>;
type Item = Record<string, unknown>;

/** The client's paginate() with paths as data (its typed signature is checked elsewhere). */
type Paginate = (
  path: string,
  init?: { params?: Params },
  paging?: Record<string, unknown>,
) => AsyncIterable<Item>;

interface Subject {
  sandbox: SandboxServer;
  paginate: Paginate;
  /** The other way of paging the same list: its paging option or query. */
  otherWay(params: Params): { params: Params; paging?: Record<string, unknown> };
  /** Values for parameters whose examples name no record of the sandbox. */
  resolve(path: string, params: Params): Promise<Params>;
}

async function all(paginate: Paginate, path: string, params: Params, paging?: object) {
  const items: Item[] = [];
  const init = Object.keys(params).length > 0 ? { params } : {};
  for await (const item of paginate(path, init, paging as Record<string, unknown>)) {
    items.push(item);
    if (items.length > 100_000) throw new Error(`${path}: more than 100,000 items`);
  }
  return items;
}

async function firstOf(paginate: Paginate, path: string, params: Params = {}): Promise<Item> {
  for await (const item of paginate(path, Object.keys(params).length ? { params } : {}))
    return item;
  throw new Error(`${path} is empty in the sandbox`);
}

const withPath = (params: Params, values: Record<string, unknown>): Params => ({
  ...params,
  path: { ...params.path, ...values },
});

const SUBJECTS: Record<string, () => Promise<Subject>> = {
  async hubrise() {
    const sandbox = await startHubriseSandbox({ validate: true, limits: false });
    const client = createHubriseClient(sandbox.credentials, {
      baseUrl: sandbox.url,
      limits: false,
      retry: false,
    });
    const paginate = client.paginate as unknown as Paginate;
    const idOf = async (path: string, params: Params = {}) =>
      String((await firstOf(paginate, path, params)).id);
    return {
      sandbox,
      paginate,
      otherWay: (params) => ({ params: { ...params, query: { ...params.query, count: 7 } } }),
      async resolve(path, params) {
        const values: Record<string, unknown> = {};
        if (path.startsWith("/catalogs/")) {
          values.catalog_id = await idOf("/location/catalogs");
          const inCatalog = { path: { catalog_id: values.catalog_id } };
          if (path.includes("{product_id}"))
            values.product_id = await idOf("/catalogs/{catalog_id}/products", inCatalog);
          if (path.includes("{option_list_id}"))
            values.option_list_id = await idOf("/catalogs/{catalog_id}/option_lists", inCatalog);
        }
        if (path.startsWith("/customer_lists/")) {
          values.customer_list_id = await idOf("/location/customer_lists");
          if (path.includes("{loyalty_card_id}"))
            values.loyalty_card_id = await idOf(
              "/customer_lists/{customer_list_id}/loyalty_cards",
              {
                path: { customer_list_id: values.customer_list_id },
              },
            );
        }
        return withPath(params, values);
      },
    };
  },
  async hiboutik() {
    const sandbox = await startHiboutikSandbox({ validate: true, limits: false });
    const client = createHiboutikClient(sandbox.credentials, {
      baseUrl: sandbox.url,
      retry: false,
    });
    const paginate = client.paginate as unknown as Paginate;
    // The sandbox's first day of sales, instead of the examples' day in 2021.
    const [yyyy, mm, dd] = DEFAULT_FIRST_DAY.split("-");
    return {
      sandbox,
      paginate,
      otherWay: (params) => ({ params, paging: { concurrency: 1 } }),
      async resolve(path, params) {
        if (path.includes("{yyyy}")) return withPath(params, { yyyy, mm, dd });
        if (path === "/sales/search") {
          // A customer who bought something on that day.
          const closed = all(paginate, "/closed_sales/{store_id}/{yyyy}/{mm}/{dd}", {
            path: { store_id: 1, yyyy, mm, dd },
          });
          const buyer = (await closed).find((sale) => Number(sale.customer_id) > 0);
          return { ...params, query: { ...params.query, customer_id: buyer?.customer_id } };
        }
        return params;
      },
    };
  },
  async "subscriptions-only"() {
    const sandbox = await startSubscriptionsOnlySandbox({ validate: true });
    const client = createSubscriptionsOnlyClient(sandbox.credentials, {
      baseUrl: sandbox.url,
      retry: false,
    });
    return {
      sandbox,
      paginate: client.paginate as unknown as Paginate,
      otherWay: (params) => ({ params, paging: { pageSize: 7 } }),
      resolve: async (_path, params) => params,
    };
  },
  async hike() {
    const sandbox = await startHikeSandbox({ validate: true, limits: false });
    const client = createHikeClient(sandbox.credentials, {
      baseUrl: sandbox.url,
      limits: false,
      retry: false,
    });
    return {
      sandbox,
      paginate: client.paginate as unknown as Paginate,
      otherWay: (params) => ({ params, paging: { pageSize: 7 } }),
      resolve: async (_path, params) => params,
    };
  },
};

describe.each(Object.keys(SUBJECTS))("%s client against its sandbox", (vendor) => {
  const doc = loadBundle(vendor);
  const profile = CLIENT_SAMPLE_PROFILES[vendor]!;
  const lists = operationsOf(doc).filter((op) => isList(doc, op, profile));
  let subject: Subject;
  beforeAll(async () => {
    subject = await SUBJECTS[vendor]!();
  });
  afterAll(async () => {
    await subject?.sandbox.close();
    // Every answer of the sandbox, to every list call of this vendor, fitted the description.
    expect(subject?.sandbox.violations).toEqual([]);
  });

  it("has list operations to page", () => {
    expect(lists.length).toBeGreaterThan(0);
  });

  it.each(lists.map((op) => [op.path, op] as const))(
    "GET %s pages to its end, every item once, the same items paged another way",
    async (path, op) => {
      const params = await subject.resolve(
        path,
        exampleParameters(doc, op, profile.pagingParameters) as Params,
      );
      const items = await all(subject.paginate, path, params);
      const keys = items.map((item) => JSON.stringify(item));
      expect(new Set(keys).size).toBe(keys.length);
      const other = subject.otherWay(params);
      const again = await all(subject.paginate, path, other.params, other.paging);
      expect(again.map((item) => JSON.stringify(item))).toEqual(keys);
    },
    120_000,
  );
});
