// Builds the sandbox's account from the seed, the sizes asked for and the user's own records:
// reference data as lists, products, customers and sales as collections generated on demand,
// the id counters of what the API creates, and the seeded stock.
import { Collection } from "../../sandbox/collection.js";
import type { OAuthServer } from "../../sandbox/oauth-server.js";
import type { Random } from "../../sandbox/random.js";
import {
  DEFAULT_FIRST_DAY,
  defaultPaymentTypes,
  type HiboutikData,
  type HiboutikSize,
  type SaleSeed,
  saleRecordOf,
  seededBrands,
  seededCalendar,
  seededCategories,
  seededCustomer,
  seededInventory,
  seededPrepaidPurchases,
  seededProduct,
  seededRestaurant,
  seededSale,
  seededSizeTypes,
  seededStores,
  seededSuppliers,
  seededTagCategories,
  seededTaxes,
  seededUsers,
} from "./data.js";
import { addDays } from "./format.js";
import {
  type Customer,
  type HiboutikState,
  LINES_PER_SALE,
  PAYMENTS_PER_SALE,
  type Product,
  type Row,
  type SaleRecord,
  type Warehouse,
} from "./records.js";

export interface StateOptions {
  size: HiboutikSize;
  data: HiboutikData | undefined;
  firstDay: string | undefined;
  timeZone: string;
  demo: boolean;
  pageSize: number;
  oauth: OAuthServer;
  oauthClientId: string;
  emit: HiboutikState["emit"];
}

/** Integer ids `1…n` at positions `0…n-1`. */
function numbered<T>(size: number, generate: (k: number) => T, idOf: (record: T) => number) {
  return new Collection<T>({
    size,
    generate,
    idAt: (k) => String(k + 1),
    positionOf: (id) => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) - 1 : undefined),
    idOf: (record) => String(idOf(record)),
  });
}

/** Records generated lately are kept (read-only: every write replaces a record, never edits it). */
const CACHED_RECORDS = 4_096;

/**
 * `generate`, remembering its last records: a page of 250 customers read again costs nothing
 * (sales are not cached: a sale is changed in place before it is saved).
 */
function cached<T extends object>(generate: (k: number) => T): (k: number) => T {
  const cache = new Map<number, T>();
  return (k) => {
    let record = cache.get(k);
    if (record === undefined) {
      record = Object.freeze(generate(k));
      cache.set(k, record);
      if (cache.size > CACHED_RECORDS) cache.delete(cache.keys().next().value!);
    }
    return record;
  };
}

const maxOf = (values: Iterable<number>) => {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
};

function count(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 0)
    throw new TypeError(`size.${name} must be a whole number ≥ 0`);
  return n;
}

export function buildState(random: Random, options: StateOptions): HiboutikState {
  const { size, data } = options;
  const firstDay = options.firstDay ?? DEFAULT_FIRST_DAY;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDay) || addDays(firstDay, 0) !== firstDay) {
    throw new TypeError("firstDay must be a date, YYYY-MM-DD");
  }
  const days = Math.max(1, count(size.days, 7, "days"));
  const stores = data?.stores ?? seededStores(Math.max(1, count(size.stores, 2, "stores")));
  const taxes = data?.taxes ?? seededTaxes();
  const users = data?.users ?? seededUsers();
  const warehouses: Warehouse[] = [];
  for (const store of stores) {
    const id = Number(store.store_warehouse_id ?? store.store_id);
    if (!warehouses.some((w) => w.warehouse_id === id)) {
      warehouses.push({ warehouse_id: id, warehouse_name: `Stock ${store.store_name}` });
    }
  }
  const sizeTypes = seededSizeTypes();
  const { rooms, ressources } = seededRestaurant(stores);

  const productCount = data?.products
    ? data.products.length
    : count(size.products, 300, "products");
  const productAt = (k: number): Product | undefined =>
    data?.products
      ? data.products[k]
      : k < productCount
        ? seededProduct(random, k, taxes)
        : undefined;
  const products = data?.products
    ? Collection.of<Product>((p) => String(p.product_id), data.products)
    : numbered(
        productCount,
        cached((k) => seededProduct(random, k, taxes)),
        (p) => p.product_id,
      );

  const customerCount = data?.customers
    ? data.customers.length
    : count(size.customers, 2_102, "customers");
  const customerIdAt = (k: number) => (data?.customers ? data.customers[k]!.customers_id : k + 1);
  const customers = data?.customers
    ? Collection.of<Customer>((c) => String(c.customers_id), data.customers)
    : numbered(
        customerCount,
        cached((k) => seededCustomer(random, k)),
        (c) => c.customers_id,
      );

  const saleCount = data?.sales ? 0 : count(size.sales, 1_000, "sales");
  const seed: SaleSeed = {
    random,
    count: saleCount,
    days,
    firstDay,
    stores,
    users,
    taxes,
    sizeTypes,
    ressources,
    productAt,
    productCount,
    customerIdAt,
    customerCount,
  };
  const lineOwner = new Map<number, number>();
  const paymentOwner = new Map<number, number>();
  let sales: Collection<SaleRecord>;
  if (data?.sales) {
    const records = data.sales.map(saleRecordOf);
    for (const sale of records) {
      for (const line of sale.lines) lineOwner.set(line.line_item_id, sale.sale_id);
      for (const payment of sale.payments)
        paymentOwner.set(payment.payment_detail_id, sale.sale_id);
    }
    sales = Collection.of<SaleRecord>((s) => String(s.sale_id), records);
  } else {
    sales = numbered(
      saleCount,
      (i) => seededSale(seed, i),
      (s) => s.sale_id,
    );
  }

  const maxProduct = data?.products ? maxOf(data.products.map((p) => p.product_id)) : productCount;
  const inventory = seededInventory(random, firstDay, warehouses, productAt, productCount);
  const creditNotes = stores.flatMap((store, n) =>
    [0, 1].map((k) => ({
      credit_note: 1001 + n * 2 + k,
      store_id: store.store_id,
      customer_id: customerCount > 0 ? customerIdAt((n * 2 + k) % customerCount) : 0,
      amount: (15 + 10 * k) * 100,
      created_at: `${addDays(firstDay, -3)} 16:2${k}:00`,
      line_item_id: 0,
      used_by: 0,
    })),
  );
  const till = stores.map((store, n) => ({
    till_id: n + 1,
    store_id: store.store_id,
    date_till: `${firstDay} 08:55:00`,
    deposit: 15_000,
    withdrawal: 0,
    currency: String(store.store_default_currency ?? "EUR"),
    comments: "Fond de caisse",
  }));
  const seededSaleLines = saleCount * LINES_PER_SALE;
  const dataLines = maxOf(lineOwner.keys());

  return {
    timeZone: options.timeZone,
    demo: options.demo,
    stores,
    warehouses,
    taxes,
    users,
    paymentTypes: new Map(
      stores.map((s) => [
        s.store_id,
        defaultPaymentTypes(String(s.store_default_currency ?? "EUR")),
      ]),
    ),
    brands: seededBrands(),
    categories: seededCategories(),
    suppliers: seededSuppliers(),
    sizeTypes,
    tagCategories: seededTagCategories(),
    modifiers: [
      { modifier_id: 1, modifier_name: "Sans sel", modifier_price: "0.00" },
      { modifier_id: 2, modifier_name: "Supplément fromage", modifier_price: "1.50" },
    ],
    rooms,
    ressources,
    cookingStations: [
      { cooking_station_id: 1, cooking_station_name: "Cuisine" },
      { cooking_station_id: 2, cooking_station_name: "Bar" },
    ],
    subscriptions: [
      { subscription_id: 1, subscription_label: "Carte fidélité", subscription_enabled: 1 },
    ],
    products,
    customers,
    sales,
    stockChanges: new Map(),
    images: [],
    inventoryInputs: inventory.inputs,
    inventoryOnHold: inventory.onHold,
    stockTransfers: inventory.transfers,
    calendarEvents: seededCalendar(random, firstDay, days, stores, customerIdAt, customerCount),
    till,
    creditNotes,
    prepaidPurchases: seededPrepaidPurchases(
      random,
      customerIdAt,
      customerCount,
      (k) => Number(productAt(k)?.product_id ?? 0),
      productCount,
    ) as Row[],
    returns: [],
    closedThrough: 0,
    webhooks: [],
    actionLinks: [],
    printed: [],
    kitchen: [],
    next: {
      product: maxProduct + 1,
      customer:
        (data?.customers ? maxOf(data.customers.map((c) => c.customers_id)) : customerCount) + 1,
      sale: (data?.sales ? maxOf(data.sales.map((s) => s.sale_id)) : saleCount) + 1,
      line: Math.max(seededSaleLines, dataLines) + 1,
      payment: Math.max(saleCount * PAYMENTS_PER_SALE, maxOf(paymentOwner.keys())) + 1,
      cashFlow: 1,
      till: till.length + 1,
      creditNote: 1001 + creditNotes.length,
      webhook: 1,
      brand: 1,
      category: 1,
      image: 1,
    },
    lineOwner,
    paymentOwner,
    seededSales: saleCount,
    receiptCounters: new Map(),
    oauth: options.oauth,
    oauthClientId: options.oauthClientId,
    pageSize: options.pageSize,
    // Seeded products are stocked (5 to 60 per size and warehouse); created ones start empty.
    stockBase: (productId, sizeId, warehouseId) =>
      productId >= 1 && productId <= maxProduct
        ? random.fork("stock", productId, sizeId, warehouseId).int(5, 60)
        : 0,
    emit: options.emit,
  };
}
