// The HubRise sandbox's state: the account, its locations, the account's orders, customer lists
// (with their customers and loyalty cards), catalogs (with their images and inventories) and the
// connections' callbacks. Seeded from the seed (the same seed, the same records), sized by the
// options, or loaded from a user's own records.
import { Collection } from "../../sandbox/collection.js";
import type { OAuthServer } from "../../sandbox/oauth-server.js";
import { Random } from "../../sandbox/random.js";
import { buildContent, type CatalogContent, type CatalogDataUpload } from "./catalog-build.js";
import type { CallbackHub } from "./callbacks.js";
import { hubriseTime } from "./format.js";
import { type IdSpaces } from "./ids.js";
import { OrderStore } from "./orders-store.js";
import {
  ACCOUNT,
  type Account,
  type Location,
  seededAccountMenu,
  seededLocations,
  seededMenu,
  seededUser,
  TIME_ZONE,
  type User,
} from "./seed-account.js";
import { menuOf, type Order, SeededOrders } from "./seed-orders.js";
import {
  type Customer,
  type CustomerList,
  type CustomerListRecord,
  emptyList,
  HISTORY_END,
  type Owner,
  seededCustomer,
  seededList,
} from "./seed-people.js";

/** An uploaded image: its metadata as the API shows it, and its bytes. */
export interface ImageRecord {
  id: string;
  type: string;
  size: number;
  md5: string;
  private_ref: string | null;
  /** When it was uploaded (an image unused for 30 days is removed). */
  createdMs: number;
  bytes: Uint8Array;
}

export interface CatalogRecord {
  catalog: { id: string; name: string; created_at: string } & Owner;
  content: CatalogContent;
  images: ImageRecord[];
}

export interface HubriseState {
  ids: IdSpaces;
  account: Account;
  locations: Location[];
  user: User;
  orders: OrderStore;
  customerLists: Collection<CustomerListRecord>;
  catalogs: Collection<CatalogRecord>;
  /** `catalogId locationId` → `sku:REF` / `option:REF` → stock, in the order entries were set. */
  inventories: Map<string, Map<string, string>>;
  callbacks: CallbackHub;
  /** The OAuth server (its tokens are connections of the API). */
  oauth: OAuthServer;
}

export interface HubriseSandboxData {
  /** Orders of your own instead of the seeded ones (each `location_id` one of the account's). */
  orders?: Order[];
  /** Customer lists of your own instead of the seeded ones (owned by the token's location). */
  customerLists?: CustomerList[];
  /** Customers of your own; a `customer_list_id` no list has makes a list of that id. */
  customers?: Customer[];
}

/** How many orders the token's location has unless `size.orders` says otherwise. */
export const DEFAULT_ORDER_COUNT = 1_000;

export interface HubriseSandboxSize {
  /** Orders of the token's location, `3r4s3-1`. Default 1,000 (at most 1,000,000). */
  orders?: number;
  /** Orders of the account's other location, `3r4s3-2`. Default 25. */
  otherLocationOrders?: number;
  /** Customers of the location's customer list. Default 200. */
  customers?: number;
}

export const inventoryKey = (catalogId: string, locationId: string) => `${catalogId} ${locationId}`;

function seededCatalog(
  ids: IdSpaces,
  k: number,
  name: string,
  owner: Owner,
  upload: CatalogDataUpload,
): CatalogRecord {
  const built = buildContent(upload, ids.catalogItems, ACCOUNT.currency, new Set());
  if ("errors" in built) throw new Error(`seeded catalog: ${JSON.stringify(built.errors)}`);
  return {
    catalog: {
      id: ids.catalogs.at(k),
      name,
      ...owner,
      created_at: hubriseTime(HISTORY_END - (900 - k) * 86_400_000, TIME_ZONE),
    },
    content: built.content,
    images: [],
  };
}

export function buildState(options: {
  seed: string | number;
  ids: IdSpaces;
  callbacks: CallbackHub;
  oauth: OAuthServer;
  size: HubriseSandboxSize;
  data: HubriseSandboxData | undefined;
}): HubriseState {
  const { seed, ids, size, data } = options;
  const random = new Random(seed);
  const locations = seededLocations();
  const home = locations[0]!.id;

  const catalogs = Collection.of<CatalogRecord>(
    (c) => c.catalog.id,
    [
      seededCatalog(ids, 0, "Bella Pizza", { location_id: home }, seededMenu(seed)),
      seededCatalog(
        ids,
        1,
        "Bella Pizza Drinks",
        { account_id: ACCOUNT.id },
        seededAccountMenu(seed),
      ),
    ],
  );
  const menu = catalogs.get(ids.catalogs.at(0))!;
  const firstDrink = menu.content.products.find(
    (p) => p.category_id === menu.content.categories.find((c) => c.ref === "DRINKS")?.id,
  );
  const inventory = new Map<string, string>();
  const drinkRef = firstDrink?.skus?.[0]?.ref;
  if (drinkRef) inventory.set(`sku:${drinkRef}`, "24");
  inventory.set("option:OLIVES", "0");
  const inventories = new Map([[inventoryKey(menu.catalog.id, home), inventory]]);

  const customerLists = Collection.of<CustomerListRecord>((l) => l.list.id);
  const ownLists = data?.customerLists !== undefined || data?.customers !== undefined;
  let seededMain: CustomerListRecord | undefined;
  if (ownLists) {
    (data?.customerLists ?? []).forEach((list, i) => {
      if (customerLists.has(list.id)) {
        throw new TypeError(`data.customerLists[${i}]: another list has the id ${list.id}`);
      }
      customerLists.insert(emptyList(list, { location_id: home }));
    });
    (data?.customers ?? []).forEach((customer, i) => {
      let record = customerLists.get(customer.customer_list_id);
      if (record === undefined) {
        const list = {
          id: customer.customer_list_id,
          name: `Customer list ${customer.customer_list_id}`,
        };
        record = customerLists.insert(emptyList(list, { location_id: home }));
      }
      if (record.customers.has(customer.id)) {
        throw new TypeError(
          `data.customers[${i}]: another customer of its list has the id ${customer.id}`,
        );
      }
      record.customers.insert(customer);
    });
  } else {
    const customers = size.customers ?? 200;
    if (!(Number.isInteger(customers) && customers >= 0 && customers <= 1_000_000)) {
      throw new RangeError("size.customers must be a whole number from 0 to 1,000,000");
    }
    seededMain = customerLists.insert(
      seededList(random, ids, 0, {
        key: "main",
        name: "Bella Pizza",
        owner: { location_id: home },
        customers,
        cardEvery: 5,
      }),
    );
    customerLists.insert(
      seededList(random, ids, 1, {
        key: "club",
        name: "Bella Pizza Club",
        owner: { account_id: ACCOUNT.id },
        customers: 10,
        cardEvery: 0,
      }),
    );
  }

  let orders: OrderStore;
  if (data?.orders) {
    const known = new Set(locations.map((l) => l.id));
    const seen = new Set<string>();
    data.orders.forEach((order, i) => {
      if (!known.has(order.location_id)) {
        throw new TypeError(
          `data.orders[${i}].location_id ${order.location_id} is not a location of the account (${[...known].join(", ")})`,
        );
      }
      if (seen.has(order.id))
        throw new TypeError(`data.orders[${i}]: another order has the id ${order.id}`);
      seen.add(order.id);
    });
    orders = new OrderStore(undefined, data.orders);
  } else {
    const count = size.orders ?? DEFAULT_ORDER_COUNT;
    const other = size.otherLocationOrders ?? 25;
    if (!(Number.isInteger(count) && count >= 0 && count <= 1_000_000)) {
      throw new RangeError("size.orders must be a whole number from 0 to 1,000,000");
    }
    if (!(Number.isInteger(other) && other >= 0 && other <= 1_000_000)) {
      throw new RangeError("size.otherLocationOrders must be a whole number from 0 to 1,000,000");
    }
    const main = seededMain;
    orders = new OrderStore(
      new SeededOrders({
        random,
        ids,
        segments: [
          { locationId: home, count },
          { locationId: locations[1]!.id, count: other },
        ],
        menu: menuOf(menu.content),
        customers: main ? main.customers.size : 0,
        // The customer as seeded (an order keeps the customer as it was when it was placed).
        customerAt: (i) => seededCustomer(random, "main", main!.list.id, ids.customers.at(i), i),
        customerIdAt: (i) => ids.customers.at(i),
      }),
    );
  }

  return {
    ids,
    account: ACCOUNT,
    locations,
    user: seededUser(seed),
    orders,
    customerLists,
    catalogs,
    inventories,
    callbacks: options.callbacks,
    oauth: options.oauth,
  };
}
