// The Hiboutik sandbox's seeded account: stores and their warehouses, VAT rates, users, payment
// types, a catalogue (brands, categories, suppliers, size types, tags), products, customers with
// addresses, sales over several days (closed ones with receipt numbers and Z days, a few still
// open, some split between payment types), stock per product/size/warehouse, inventory inputs,
// stock transfers, calendar events, till movements, credit notes and restaurant tables. The same
// seed gives the same account; products, customers and sales are generated on demand by position
// (record i from its own random stream), so large accounts cost nothing until read. A user's own
// stores, taxes, users, products, customers and sales replace the generated ones.
import type { Random } from "../../sandbox/random.js";
import {
  addDays,
  cents,
  money,
  productBarcode,
  zDay,
  ZERO_DATE,
  ZERO_DATE_TIME,
} from "./format.js";
import {
  type Brand,
  type Category,
  type Customer,
  type CustomerAddress,
  type InventoryInputRecord,
  LINES_PER_SALE,
  PAYMENTS_PER_SALE,
  type PaymentType,
  type Product,
  type ProductSnapshot,
  type Ressource,
  type Room,
  type Row,
  type Sale,
  type SaleLine,
  type SaleRecord,
  type Size,
  type Store,
  type Supplier,
  type TagCategory,
  type Tax,
  type User,
  type Warehouse,
} from "./records.js";

export interface HiboutikData {
  stores?: Store[];
  taxes?: Tax[];
  users?: User[];
  products?: Product[];
  customers?: Customer[];
  /** Sales as `GET /sales/{sale_id}` reads them (totals and taxes are recomputed from the lines). */
  sales?: Sale[];
}

export interface HiboutikSize {
  /** Default 2. */
  stores?: number;
  /** Default 300. */
  products?: number;
  /** Default 2,102 (nine pages of 250). */
  customers?: number;
  /** Default 1,000. */
  sales?: number;
  /** The days the sales are spread over, from `firstDay`. Default 7. */
  days?: number;
}

/** The first day of the seeded sales (a Monday): fixed, so that the same seed gives the same sales. */
export const DEFAULT_FIRST_DAY = "2026-01-05";

const CITIES = ["Paris", "Lyon", "Nantes", "Lille", "Bordeaux", "Saint-Leu", "Marseille"];
const FIRST = [
  "Claire",
  "Hugo",
  "Emma",
  "Louis",
  "Chloé",
  "Jules",
  "Léa",
  "Nathan",
  "Inès",
  "Paul",
];
const LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy"];
const ITEMS = ["T-shirt", "Tirelire", "Mug", "Carnet", "Bougie", "Sac", "Casquette", "Écharpe"];
const QUALITIES = ["bleu", "rouge", "en lin", "céramique", "vintage", "bio", "XXL", "éco"];
const BRANDS = ["Hibou", "Maison Sud", "Atelier 12", "Nordik", "Verso", "Papeterie Lune"];
const SUPPLIERS = ["Grossiste Ouest", "Import Sud", "Fabrique Locale", "Textiles & Co"];

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();

// ---- Reference data ------------------------------------------------------------------------------

export function seededStores(count: number): Store[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => ({
    store_id: i + 1,
    store_name: `Boutique ${CITIES[i % CITIES.length]}${i >= CITIES.length ? ` ${i + 1}` : ""}`,
    store_enabled: 1,
    store_default_currency: "EUR",
    store_default_payment_method: "ESP",
    store_time_zone: "Europe/Paris",
    store_warehouse_id: i + 1,
    discounts: [],
  }));
}

export const seededTaxes = (): Tax[] => [
  {
    tax_id: 1,
    tax_value: "0.200",
    tax_name: "Taux normal 20%",
    tax_enabled: 1,
    tax_default: 1,
    tax_position: 1,
  },
  {
    tax_id: 2,
    tax_value: "0.100",
    tax_name: "Taux intermédiaire 10%",
    tax_enabled: 1,
    tax_default: 0,
    tax_position: 2,
  },
  {
    tax_id: 3,
    tax_value: "0.05500",
    tax_name: "Taux réduit 5,5%",
    tax_enabled: 1,
    tax_default: 0,
    tax_position: 3,
  },
  {
    tax_id: 4,
    tax_value: "0.02100",
    tax_name: "Taux particulier 2,1%",
    tax_enabled: 1,
    tax_default: 0,
    tax_position: 4,
  },
];

export const seededUsers = (): User[] => [
  {
    user_id: 1,
    user_first_name: "Camille",
    user_last_name: "Hibou",
    user_email: "owner@example.com",
    user_validity: ZERO_DATE,
  },
  {
    user_id: 2,
    user_first_name: "Sami",
    user_last_name: "Benali",
    user_email: "sami@example.com",
    user_validity: ZERO_DATE,
  },
  {
    user_id: 3,
    user_first_name: "Lou",
    user_last_name: "Perrin",
    user_email: "lou@example.com",
    user_validity: "2027-12-31",
  },
];

/** `ESP`, `CB` and `CHE` come enabled on every store (the vendor's own defaults). */
export const defaultPaymentTypes = (currency: string): PaymentType[] => [
  { payment_type: "ESP", currency, enabled: 1, accounting_account: "", open_drawer: 1 },
  { payment_type: "CB", currency, enabled: 1, accounting_account: "", open_drawer: 0 },
  { payment_type: "CHE", currency, enabled: 1, accounting_account: "", open_drawer: 1 },
];

export const seededBrands = (): Brand[] =>
  BRANDS.map((name, i) => ({
    brand_id: i + 1,
    brand_name: name,
    brand_enabled: 1,
    brand_position: i + 1,
  }));

export const seededCategories = (): Category[] =>
  [
    ["Textile", 0],
    ["Maison", 0],
    ["Papeterie", 0],
    ["T-shirts", 1],
    ["Accessoires", 1],
    ["Cuisine", 2],
  ].map(([name, parent], i) => ({
    category_id: i + 1,
    category_name: name as string,
    category_id_parent: parent as number,
    category_position: i + 1,
    category_enabled: 1,
    category_color: "#000000",
    category_bck_color: "#CCCCCC",
  }));

export const seededSuppliers = (): Supplier[] =>
  SUPPLIERS.map((name, i) => ({
    supplier_id: i + 1,
    supplier_name: name,
    supplier_enabled: 1,
    supplier_position: i + 1,
    supplier_email: `commandes@${ascii(name)}.example`,
    supplier_ref_ext: "",
  }));

/** Size type 1: clothing (sizes 1–4), size type 2: shoes (sizes 5–10). */
export function seededSizeTypes(): Map<number, Size[]> {
  const sizes = (type: number, names: string[], first: number) =>
    names.map((name, i) => ({
      size_id: first + i,
      size_name: name,
      size_type_id: type,
      size_enabled: 1,
      size_position: i + 1,
    }));
  return new Map([
    [1, sizes(1, ["S", "M", "L", "XL"], 1)],
    [2, sizes(2, ["38", "39", "40", "41", "42", "43"], 5)],
  ]);
}

export const seededTagCategories = (): TagCategory[] => [
  {
    tag_cat_id: 1,
    tag_cat: "Saison",
    tag_cat_desc: "",
    tag_cat_enabled: 1,
    tag_cat_enabled_www: 1,
    tag_details: [
      { tag_id: 1, tag: "Été", tag_desc: "", tag_enabled: 1, tag_enabled_www: 1 },
      { tag_id: 2, tag: "Hiver", tag_desc: "", tag_enabled: 1, tag_enabled_www: 1 },
    ],
  },
  {
    tag_cat_id: 2,
    tag_cat: "Promotion",
    tag_cat_desc: "",
    tag_cat_enabled: 1,
    tag_cat_enabled_www: 0,
    tag_details: [
      { tag_id: 3, tag: "Soldes", tag_desc: "", tag_enabled: 1, tag_enabled_www: 0 },
      { tag_id: 4, tag: "Nouveauté", tag_desc: "", tag_enabled: 1, tag_enabled_www: 1 },
    ],
  },
];

export function seededRestaurant(stores: Store[]): { rooms: Room[]; ressources: Ressource[] } {
  const rooms: Room[] = stores.map((s, i) => ({
    room_id: i + 1,
    room_name: "Salle",
    room_position: 1,
    store_id: s.store_id,
    room_enabled: 1,
  }));
  const ressources: Ressource[] = rooms.flatMap((room) =>
    Array.from({ length: 4 }, (_, t) => ({
      ressource_id: (room.room_id! - 1) * 4 + t + 1,
      ressource_name: `Table ${t + 1}`,
      room_id: room.room_id!,
      ressource_enabled: 1 as const,
      height: 60,
      width: 60,
      left_position: 80 * t + 20,
      top_position: 40,
      color: "#8FBC8F",
    })),
  );
  return { rooms, ressources };
}

// ---- Products and customers -----------------------------------------------------------------------

export function seededProduct(random: Random, k: number, taxes: Tax[]): Product {
  const r = random.fork("products", k);
  const id = k + 1;
  const sized = r.chance(0.2) ? r.int(1, 2) : 0;
  const price = r.int(2, 90) * 100 + r.pick([0, 50, 90]);
  const tax = taxes.length > 0 ? r.pick(taxes.slice(0, Math.min(3, taxes.length))) : undefined;
  const tags = r.chance(0.3) ? [{ tag_id: r.int(1, 4) }] : [];
  return {
    product_id: id,
    product_model: `${r.pick(ITEMS)} ${r.pick(QUALITIES)}`,
    product_barcode: productBarcode(id),
    product_brand: r.chance(0.7) ? r.int(1, BRANDS.length) : 0,
    product_supplier: r.chance(0.6) ? r.int(1, SUPPLIERS.length) : 0,
    product_price: money(price),
    product_discount_price: r.chance(0.1) ? money(Math.round(price * 0.8)) : "0.00",
    product_supply_price: money(Math.round(price * 0.45)),
    points_in: 0,
    points_out: 0,
    product_category: r.chance(0.8) ? r.int(1, 6) : 0,
    product_size_type: sized,
    product_package: r.chance(0.02) ? 1 : 0,
    product_stock_management: r.chance(0.75) ? 1 : 0,
    product_supplier_reference: r.chance(0.5) ? `REF-${String(1000 + id)}` : "",
    product_vat: tax ? Number(tax.tax_id) : 0,
    product_display: 1,
    product_display_www: r.chance(0.5) ? 1 : 0,
    product_arch: r.chance(0.03) ? 1 : 0,
    products_desc: "",
    product_font_color: "#000000",
    product_bck_btn_color: "#CCCCCC",
    products_ref_ext: r.chance(0.4) ? `ext-${id}` : "",
    product_order: id,
    weight: "0.00",
    multiple: 1,
    misc_int: 0,
    misc_decimal: "0.00",
    misc_varchar: "",
    misc_varchar2: "",
    misc_text: "",
    misc_date: ZERO_DATE,
    accounting_account: "",
    product_storage_location: "",
    short_label: "",
    updated_at: "2025-12-15 10:00:00",
    product_specific_rules: [],
    tags,
  };
}

export function seededCustomer(random: Random, k: number): Customer {
  const r = random.fork("customers", k);
  const id = k + 1;
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const addresses: CustomerAddress[] = Array.from({ length: r.int(0, 2) }, (_, a) => ({
    address_id: k * 2 + a + 1,
    customers_id: id,
    first_name: first,
    last_name: last,
    email: "",
    address: `${r.int(1, 120)} rue ${r.pick(["des Lilas", "du Port", "Victor Hugo", "de la Gare"])}`,
    zip_code: String(r.int(10, 95) * 1000 + r.int(0, 999)).padStart(5, "0"),
    city: r.pick(CITIES),
    country: "FRA",
  }));
  return {
    customers_id: id,
    last_name: last,
    first_name: first,
    company: r.chance(0.1) ? `${last} SARL` : "",
    email: `${ascii(first)}.${ascii(last)}.${id}@example.com`,
    phone: `06${r.text("0123456789", 8)}`,
    country: r.chance(0.9) ? "FRA" : r.pick(["BEL", "CHE", "REU"]),
    vat: "",
    date_of_birth: ZERO_DATE,
    customers_ref_ext: "",
    addresses,
  };
}

/** The fields of a product a sale line copies (its catalogue price included). */
export function snapshotOf(product: Product | undefined): ProductSnapshot {
  const p = (product ?? {}) as Row;
  const text = (key: string) => (typeof p[key] === "string" ? (p[key] as string) : "");
  const int = (key: string) => (typeof p[key] === "number" ? (p[key] as number) : 0);
  return {
    product_model: text("product_model"),
    product_barcode: text("product_barcode"),
    product_brand: int("product_brand"),
    product_supplier: int("product_supplier"),
    product_category: int("product_category"),
    product_size_type: int("product_size_type"),
    product_package: int("product_package"),
    product_stock_management: int("product_stock_management"),
    product_supplier_reference: text("product_supplier_reference"),
    product_desc: text("products_desc") || text("product_desc"),
    storage_location: text("product_storage_location"),
    product_arch: int("product_arch"),
    products_ref_ext: text("products_ref_ext"),
    multiple: int("multiple") || 1,
    product_supply_price: cents(text("product_supply_price") || "0") ?? 0,
    catalogue_price: cents(text("product_price") || "0") ?? 0,
  };
}

// ---- Sales ------------------------------------------------------------------------------------------

export interface SaleSeed {
  random: Random;
  count: number;
  days: number;
  firstDay: string;
  stores: Store[];
  users: User[];
  taxes: Tax[];
  sizeTypes: Map<number, Size[]>;
  ressources: Ressource[];
  /** The products and customers sales pick from (the seeded ones, or the user's). */
  productAt(k: number): Product | undefined;
  productCount: number;
  customerIdAt(k: number): number;
  customerCount: number;
}

/** How many of the last seeded sales are still open. */
const OPEN_SALES = 3;

/** The first sale (position) of day `d`: sales are spread evenly over the days, in order. */
const firstOfDay = (seed: SaleSeed, d: number) => Math.ceil((d * seed.count) / seed.days);

/** Seeded sale `i` (id `i + 1`). */
export function seededSale(seed: SaleSeed, i: number): SaleRecord {
  const r = seed.random.fork("sales", i);
  const enabled = seed.stores.filter((s) => s.store_enabled !== 0);
  const stores = enabled.length > 0 ? enabled : seed.stores;
  const store = stores[i % stores.length]!;
  const storeId = store.store_id;
  const day = Math.min(seed.days - 1, Math.floor((i * seed.days) / seed.count));
  const first = firstOfDay(seed, day);
  const onDay = Math.max(1, firstOfDay(seed, day + 1) - first);
  // Opening hours 09:00–19:00, the day's sales in order.
  const slot = 36_000 / onDay;
  const second = 9 * 3600 + Math.floor((i - first) * slot + r.next() * Math.max(0, slot - 1));
  const date = addDays(seed.firstDay, day);
  /** The local date-time `s` seconds into the day (`s` < 86,400). */
  const at = (s: number) =>
    `${date} ${[Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
      .map((n) => String(n).padStart(2, "0"))
      .join(":")}`;
  const createdAt = at(Math.min(second, 86_399 - 130));
  const open = i >= seed.count - Math.min(OPEN_SALES, seed.count);
  const completedAt = open ? ZERO_DATE_TIME : at(Math.min(second + r.int(5, 120), 86_399));

  const lines: SaleLine[] = Array.from({ length: r.int(1, 4) }, (_, j) => {
    const k = seed.productCount > 0 ? r.int(0, seed.productCount - 1) : -1;
    let product = k >= 0 ? seed.productAt(k) : undefined;
    // Packages cannot be sold through the sale calls: seeded sales skip them too.
    if (product?.product_package === 1) product = undefined;
    const snapshot = snapshotOf(product);
    const sizes = seed.sizeTypes.get(snapshot.product_size_type) ?? [];
    const tax =
      seed.taxes.find((t) => t.tax_id === product?.product_vat) ??
      seed.taxes.find((t) => t.tax_default === 1) ??
      seed.taxes[0];
    return {
      line_item_id: i * LINES_PER_SALE + j + 1,
      product_id: product ? product.product_id : 0,
      product_size: sizes.length > 0 ? r.pick(sizes).size_id : 0,
      quantity: r.int(1, 3),
      price: product ? snapshot.catalogue_price : r.int(1, 30) * 100,
      currency: String(store.store_default_currency ?? "EUR"),
      vat: String(tax?.tax_value ?? "0.200"),
      tax_label: String(tax?.tax_name ?? ""),
      points: 0,
      stock_withdrawal: 1,
      credit_note: 0,
      credit_note_id: 0,
      product_comments: product ? "" : "Article divers",
      serial_number: "",
      line_item_id_return: 0,
      date_return: 0,
      kitchen_pos: 1,
      warehouse_id: Number(store.store_warehouse_id ?? storeId),
      product: snapshot,
    };
  });

  const split = !open && r.chance(0.1);
  const sale: SaleRecord = {
    sale_id: i + 1,
    store_id: storeId,
    warehouse_id: Number(store.store_warehouse_id ?? storeId),
    vendor_id: seed.users.length > 0 ? r.pick(seed.users).user_id : 0,
    customer_id:
      seed.customerCount > 0 && r.chance(0.35)
        ? seed.customerIdAt(r.int(0, seed.customerCount - 1))
        : 0,
    currency: String(store.store_default_currency ?? "EUR"),
    created_at: createdAt,
    completed_at: completedAt,
    unique_sale_id: open
      ? ""
      : `${date.slice(0, 7)}-${storeId}-${receiptNumber(seed, i, stores.length)}`,
    payment: split ? "DIV" : r.pick(["ESP", "CB", "CB", "CB", "CHE"]),
    prices_without_taxes: 0,
    without_taxes: 0,
    duty_free: 0,
    quotation: 0,
    ressource_id: 0,
    points: 0,
    sale_ext_ref: "",
    service_charge: 0,
    guests_number: 0,
    takeaway: 0,
    shipping_ref: "",
    customs_duty: 0,
    vat_number: "",
    date_z: open ? 0 : zDay(completedAt),
    pickup_date: ZERO_DATE_TIME,
    cash_tendered: 0,
    billing_address: 0,
    shipping_address: 0,
    closed_day: 0,
    payment_accounting_account: "",
    lines,
    payments: [],
    cash_flow: [],
    sale_tags: [],
    comments: "",
    credit_notes: [],
    voided_by: 0,
    voids: 0,
  };
  if (open && i === seed.count - 1) {
    // The last open sale is a restaurant table still eating.
    const table = seed.ressources.find((t) => {
      const room = Math.ceil(Number(t.ressource_id) / 4);
      return room === storeId;
    });
    if (table) {
      sale.ressource_id = Number(table.ressource_id);
      sale.guests_number = 2;
    }
  }
  if (split) {
    const total = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
    const cash = Math.round(total * 0.4);
    sale.payments = [
      { payment_detail_id: i * PAYMENTS_PER_SALE + 1, payment_type: "ESP", payment_amount: cash },
      {
        payment_detail_id: i * PAYMENTS_PER_SALE + 2,
        payment_type: "CB",
        payment_amount: total - cash,
      },
    ];
  }
  return sale;
}

/**
 * The receipt number of closed seeded sale `i` in its store and month (`2026-01-1-17`): how many
 * seeded sales of its store closed in its month up to it (stores take turns, days are in order).
 */
function receiptNumber(seed: SaleSeed, i: number, storeCount: number): number {
  const day = Math.min(seed.days - 1, Math.floor((i * seed.days) / seed.count));
  const month = addDays(seed.firstDay, day).slice(0, 7);
  let firstDay = day;
  while (firstDay > 0 && addDays(seed.firstDay, firstDay - 1).slice(0, 7) === month) firstDay--;
  const first = firstOfDay(seed, firstDay);
  const firstOfStore = first + ((((i - first) % storeCount) + storeCount) % storeCount);
  return Math.floor((i - firstOfStore) / storeCount) + 1;
}

/** A sale as the API reads it (a user's data set) turned into the record the sandbox keeps. */
export function saleRecordOf(sale: Sale): SaleRecord {
  const s = sale as Row;
  const text = (key: string, fallback = "") =>
    typeof s[key] === "string" ? (s[key] as string) : fallback;
  const int = (key: string) => (typeof s[key] === "number" ? (s[key] as number) : 0);
  const amount = (key: string) => cents(text(key, "0")) ?? 0;
  const lines = ((s.line_items as Row[] | undefined) ?? []).map((l): SaleLine => {
    const t = (key: string, fallback = "") =>
      typeof l[key] === "string" ? (l[key] as string) : fallback;
    const n = (key: string) => (typeof l[key] === "number" ? (l[key] as number) : 0);
    return {
      line_item_id: n("line_item_id"),
      product_id: n("product_id"),
      product_size: n("product_size"),
      quantity: n("quantity"),
      price: cents(t("product_price", "0")) ?? 0,
      currency: t("product_currency", text("currency", "EUR")),
      vat: t("vat", "0.200"),
      tax_label: t("tax_label"),
      points: n("points"),
      stock_withdrawal: n("stock_withdrawal"),
      credit_note: n("credit_note"),
      credit_note_id: n("credit_note_id"),
      product_comments: t("product_comments"),
      serial_number: t("serial_number"),
      line_item_id_return: n("line_item_id_return"),
      date_return: (l.date_return as number | string | undefined) ?? 0,
      kitchen_pos: n("kitchen_pos"),
      warehouse_id: int("warehouse_id"),
      product: {
        ...snapshotOf({ product_id: n("product_id"), ...(l as Row) } as Product),
        product_desc: t("product_desc"),
        storage_location: t("storage_location"),
        product_supply_price: cents(t("product_supply_price", "0")) ?? 0,
        catalogue_price: cents(t("product_price", "0")) ?? 0,
      },
    };
  });
  return {
    sale_id: int("sale_id"),
    store_id: int("store_id"),
    warehouse_id: int("warehouse_id"),
    vendor_id: int("vendor_id"),
    customer_id: int("customer_id"),
    currency: text("currency", "EUR"),
    created_at: text("created_at", ZERO_DATE_TIME),
    completed_at: text("completed_at", ZERO_DATE_TIME),
    unique_sale_id: text("unique_sale_id"),
    payment: text("payment"),
    prices_without_taxes: int("prices_without_taxes"),
    without_taxes: int("without_taxes"),
    duty_free: 0,
    quotation: 0,
    ressource_id: int("ressource_id"),
    points: int("points"),
    sale_ext_ref: text("sale_ext_ref"),
    service_charge: amount("service_charge"),
    guests_number: int("guests_number"),
    takeaway: int("takeaway"),
    shipping_ref: text("shipping_ref"),
    customs_duty: amount("customs_duty"),
    vat_number: text("vat_number"),
    date_z: int("date_z"),
    pickup_date: text("pickup_date", ZERO_DATE_TIME),
    cash_tendered: amount("cash_tendered"),
    billing_address: int("billing_address"),
    shipping_address: int("shipping_address"),
    closed_day: int("closed_day"),
    payment_accounting_account: text("payment_accounting_account"),
    lines,
    payments: ((s.payment_details as Row[] | undefined) ?? []).map((p) => ({
      payment_detail_id: Number(p.payment_detail_id ?? 0),
      payment_type: String(p.payment_type ?? ""),
      payment_amount: cents(String(p.payment_amount ?? "0")) ?? 0,
    })),
    cash_flow: ((s.cash_flow as Row[] | undefined) ?? []).map((c) => ({
      cash_flow_id: Number(c.cash_flow_id ?? 0),
      sale_id: int("sale_id"),
      payment_type: String(c.payment_type ?? ""),
      payment_amount: cents(String(c.payment_amount ?? "0")) ?? 0,
      created_at: text("completed_at", ZERO_DATE_TIME),
    })),
    sale_tags: Array.isArray(s.sale_tags) ? (s.sale_tags as unknown[]) : [],
    comments: "",
    credit_notes: [],
    voided_by: 0,
    voids: 0,
  };
}

// ---- The rest of the account ---------------------------------------------------------------------

export function seededInventory(
  random: Random,
  firstDay: string,
  warehouses: Warehouse[],
  productAt: (k: number) => Product | undefined,
  productCount: number,
): {
  inputs: InventoryInputRecord[];
  onHold: Row[];
  transfers: { stock_transfer: Row; details: Row[] }[];
} {
  const r = random.fork("inventory");
  const pick = () => (productCount > 0 ? productAt(r.int(0, productCount - 1)) : undefined);
  const inputs: InventoryInputRecord[] = Array.from({ length: 4 }, (_, n) => {
    const warehouse = warehouses[n % Math.max(1, warehouses.length)];
    const date = `${addDays(firstDay, -7 + n * 2)} 08:30:00`;
    const details = Array.from({ length: r.int(2, 5) }, () => pick())
      .filter((p): p is Product => p !== undefined)
      .map((p) => ({
        product_id: p.product_id,
        product_size: 0,
        product_model: p.product_model ?? "",
        product_supplier_reference: p.product_supplier_reference ?? "",
        product_price: p.product_supply_price ?? "0.00",
        quantity: r.int(5, 40),
      }));
    return {
      inventory_input_id: n + 1,
      inventory_input_label: `Arrivage ${n + 1}`,
      inventory_input_date: date,
      inventory_input_supplier_id: r.int(1, SUPPLIERS.length),
      warehouse_id: Number(warehouse?.warehouse_id ?? 1),
      details,
    };
  });
  const onHold = Array.from({ length: 2 }, () => pick())
    .filter((p): p is Product => p !== undefined)
    .map((p, n) => ({
      inventory_input_on_hold_id: n + 1,
      product_id: p.product_id,
      product_size: 0,
      quantity: r.int(1, 10),
      supplier_id: r.int(1, SUPPLIERS.length),
    }));
  const transfers =
    warehouses.length < 2
      ? []
      : Array.from({ length: 2 }, (_, n) => ({
          stock_transfer: {
            stock_transfer_id: n + 1,
            warehouse_id_from: warehouses[0]!.warehouse_id,
            warehouse_id_to: warehouses[1]!.warehouse_id,
            stock_transfer_date: `${addDays(firstDay, n)} 18:00:00`,
            stock_transfer_label: `Transfert ${n + 1}`,
          },
          details: Array.from({ length: 2 }, () => pick())
            .filter((p): p is Product => p !== undefined)
            .map((p) => ({ product_id: p.product_id, product_size: 0, quantity: r.int(1, 6) })),
        }));
  return { inputs, onHold, transfers };
}

export function seededCalendar(
  random: Random,
  firstDay: string,
  days: number,
  stores: Store[],
  customerIdAt: (k: number) => number,
  customerCount: number,
): Row[] {
  const r = random.fork("calendar");
  const events: Row[] = [];
  for (let d = 0; d < days; d++) {
    for (const store of stores) {
      for (let n = r.int(0, 2); n > 0; n--) {
        const hour = r.int(9, 17);
        const date = addDays(firstDay, d);
        events.push({
          event_id: events.length + 1,
          store_id: store.store_id,
          customer_id:
            customerCount > 0 && r.chance(0.7) ? customerIdAt(r.int(0, customerCount - 1)) : 0,
          event_title: r.pick(["Retouche", "Essayage", "Retrait commande", "Rendez-vous"]),
          event_start: `${date} ${String(hour).padStart(2, "0")}:00:00`,
          event_end: `${date} ${String(hour).padStart(2, "0")}:30:00`,
        });
      }
    }
  }
  return events;
}

export function seededPrepaidPurchases(
  random: Random,
  customerIdAt: (k: number) => number,
  customerCount: number,
  productIdAt: (k: number) => number,
  productCount: number,
): Row[] {
  if (customerCount === 0) return [];
  const r = random.fork("prepaid");
  return Array.from({ length: 6 }, (_, n) => ({
    prepaid_purchase_id: n + 1,
    customers_id: customerIdAt(r.int(0, Math.min(customerCount, 50) - 1)),
    product_id: productCount > 0 ? productIdAt(r.int(0, productCount - 1)) : 0,
    amount: money(r.int(10, 100) * 100),
    quantity_total: 10,
    quantity_used: r.int(0, 9),
  }));
}
