// The Hike sandbox's records, seeded (the same seed, the same records) or the user's own. Hike
// publishes no schema beyond the list envelope and a few product and sale fields, so the fields
// below are of two kinds: those the description names (products: id, name, sku, barcode,
// description, bran_name, product_type[].type_name, created_date_time, isActive; product types:
// id, isActive; sales: netAmount as a JSON number, transactionDate), and plausible others chosen
// by the sandbox for records whose fields are not published (outlets, customers, …). Ids are
// integers counting from 1, as an ASP.NET Boilerplate backend's identity columns do; a created
// record takes the next one, and a deleted id is never given again.
import { Collection } from "../../sandbox/collection.js";
import type { Random } from "../../sandbox/random.js";

/** A record of any kind: an open object with an integer id (every list item has one). */
export type HikeRecord = Record<string, unknown> & { id: number };

/** The kinds of records, each a list operation (or two, for outlets). */
export const KINDS = [
  "products",
  "productTypes",
  "suppliers",
  "customers",
  "outlets",
  "registers",
  "sales",
  "registerClosures",
  "offers",
  "taxes",
  "paymentTypes",
  "users",
] as const;
export type HikeKind = (typeof KINDS)[number];

export type HikeSizes = Record<HikeKind, number>;

/**
 * Default sizes: 1,234 products (not a multiple of any page size, as the client tests have
 * always used), sales over about two weeks, and the small lists a store has.
 */
export const DEFAULT_SIZES: HikeSizes = {
  products: 1_234,
  productTypes: 12,
  suppliers: 30,
  customers: 250,
  outlets: 3,
  registers: 5,
  sales: 600,
  registerClosures: 60,
  offers: 8,
  taxes: 4,
  paymentTypes: 6,
  users: 7,
};

/** A user's own records, by kind (each checked against the description before the sandbox starts). */
export type HikeData = Partial<Record<HikeKind, HikeRecord[]>>;

export type HikeCollections = Record<HikeKind, Collection<HikeRecord>>;

export interface HikeRecords extends HikeCollections {
  /** The next id of each kind (the largest seeded or given one, plus one). */
  nextId: Record<HikeKind, number>;
}

/** Seeded products were created an hour apart from this date; sales run from SALES_START. */
const PRODUCTS_START = Date.UTC(2024, 0, 8, 9);
const SALES_START = Date.UTC(2025, 2, 3, 8);
/** One seeded sale every 33 minutes: 600 sales cover about two weeks. */
const SALE_SPACING_MS = 33 * 60_000;
const DAY_MS = 86_400_000;

export const iso = (ms: number) => new Date(ms).toISOString();
const round2 = (n: number) => Math.round(n * 100) / 100;

const TYPES = [
  "T-shirts",
  "Hoodies",
  "Caps",
  "Mugs",
  "Posters",
  "Socks",
  "Bags",
  "Stickers",
  "Notebooks",
  "Candles",
  "Scarves",
  "Gloves",
];
/** SKU code, name, and whether it comes in sizes (SKUs as the description's `TSHIRT-RED-M`). */
const NOUNS = [
  ["TSHIRT", "T-shirt", true],
  ["HOODIE", "Hoodie", true],
  ["CAP", "Cap", false],
  ["MUG", "Mug", false],
  ["POSTER", "Poster", false],
  ["SOCKS", "Socks", true],
  ["TOTE", "Tote bag", false],
  ["NOTEBOOK", "Notebook", false],
  ["CANDLE", "Candle", false],
  ["SCARF", "Scarf", false],
] as const;
const COLOURS = ["Red", "Blue", "Green", "Black", "White", "Yellow"] as const;
const SIZES = ["S", "M", "L", "XL"] as const;
const BRANDS = ["Acme", "Northwind", "Harbour & Co", "Kiwi Made", "Blue Gum", null] as const;
const FIRST = ["Olivia", "Jack", "Charlotte", "Noah", "Amelia", "Leo", "Isla", "Oliver", "Mia"];
const LAST = ["Smith", "Nguyen", "Williams", "Brown", "Wilson", "Taylor", "Singh", "Martin"];
const SUPPLIERS = ["Pacific Textiles", "Southern Print", "Ceramics Direct", "Wool & Weft"];
const OUTLETS = ["Main Street", "Harbour", "Airport", "Mall", "Pop-up"];
const OFFERS = ["Summer sale", "Two for one", "Staff discount", "Clearance", "Loyalty bonus"];
const TAXES: [string, number][] = [
  ["GST", 10],
  ["No tax", 0],
  ["GST on imports", 10],
  ["Export", 0],
];
const PAYMENTS = ["Cash", "Card", "Gift card", "Store credit", "Afterpay", "Bank transfer"];
const ROLES = ["Admin", "Manager", "Cashier"];

/** A name from a list, numbered past the list's end (so every seeded name is distinct). */
const nth = (list: readonly string[], i: number) =>
  list[i % list.length]! + (i >= list.length ? ` ${Math.floor(i / list.length) + 1}` : "");

const email = (first: string, last: string, i: number) =>
  `${first}.${last}${i}@example.com`.toLowerCase();

const phone = (r: Random) => `04${r.text("0123456789", 8)}`;

/** What seeded records refer to: the names and ids of other kinds' records. */
interface Links {
  typeNames: string[];
  productIds: number[];
  outletIds: number[];
  registers: { id: number; outlet_id: number | null }[];
  customerIds: number[];
}

export function seededProduct(random: Random, i: number, links: Links): HikeRecord {
  const r = random.fork("products", i);
  const [code, noun, sized] = r.pick(NOUNS);
  const colour = r.pick(COLOURS);
  const size = sized ? r.pick(SIZES) : undefined;
  const created = PRODUCTS_START + i * 3_600_000 + r.int(0, 3_599) * 1000;
  // The position makes every seeded SKU distinct: `TSHIRT-RED-M-00001`, `MUG-BLUE-00002`.
  const sku = [code, colour.toUpperCase(), size, String(i + 1).padStart(5, "0")];
  return {
    id: i + 1,
    name: `${colour} ${noun}${size ? ` (${size})` : ""}`,
    sku: sku.filter((part) => part !== undefined).join("-"),
    barcode: r.chance(0.8) ? `93${r.text("0123456789", 11)}` : null,
    description: r.chance(0.5) ? `${colour} ${noun.toLowerCase()}, 100% cotton` : null,
    bran_name: r.pick(BRANDS),
    product_type: links.typeNames.length > 0 ? [{ type_name: r.pick(links.typeNames) }] : [],
    has_variants: false,
    track_inventory: r.chance(0.7),
    isPricingDifferentByOutlet: r.chance(0.2),
    created_date_time: iso(created),
    last_modified: iso(created + r.int(0, 90) * DAY_MS),
    isActive: r.chance(0.92),
  };
}

function seededProductType(random: Random, i: number): HikeRecord {
  const r = random.fork("productTypes", i);
  return { id: i + 1, name: nth(TYPES, i), isActive: r.chance(0.9) };
}

function seededSupplier(random: Random, i: number): HikeRecord {
  const r = random.fork("suppliers", i);
  const [first, last] = [r.pick(FIRST), r.pick(LAST)];
  return {
    id: i + 1,
    name: nth(SUPPLIERS, i),
    contact_name: `${first} ${last}`,
    email: email(first, last, i),
    phone: phone(r),
  };
}

function seededCustomer(random: Random, i: number): HikeRecord {
  const r = random.fork("customers", i);
  const [first, last] = [r.pick(FIRST), r.pick(LAST)];
  return {
    id: i + 1,
    first_name: first,
    last_name: last,
    email: email(first, last, i),
    phone: r.chance(0.7) ? phone(r) : null,
    company_name: r.chance(0.2) ? `${last} Pty Ltd` : null,
    loyalty_points: r.int(0, 500),
    created_date_time: iso(PRODUCTS_START + i * 7 * 3_600_000),
  };
}

function seededOutlet(random: Random, i: number, size: number): HikeRecord {
  const r = random.fork("outlets", i);
  return {
    id: i + 1,
    name: nth(OUTLETS, i),
    city: r.pick(["Sydney", "Melbourne", "Brisbane", "Auckland", "Perth"]),
    // The last of three or more is closed, so that `get_all_active` differs from `get_all`.
    isActive: size < 3 || i < size - 1,
  };
}

function seededRegister(i: number, links: Links): HikeRecord {
  const outlets = links.outletIds;
  return {
    id: i + 1,
    name: `Register ${i + 1}`,
    outlet_id: outlets.length > 0 ? outlets[i % outlets.length]! : null,
    isActive: true,
  };
}

export function seededSale(random: Random, i: number, links: Links): HikeRecord {
  const r = random.fork("sales", i);
  const lines = Array.from({ length: r.int(1, 4) }, () => ({
    product_id: links.productIds.length > 0 ? r.pick(links.productIds) : null,
    quantity: r.int(1, 3),
    price: Number(r.amount(2, 80)),
  }));
  const netAmount = round2(lines.reduce((sum, l) => sum + l.quantity * l.price, 0));
  const register = links.registers.length > 0 ? r.pick(links.registers) : undefined;
  return {
    id: i + 1,
    invoice_no: `INV-${String(10_001 + i)}`,
    transactionDate: iso(SALES_START + i * SALE_SPACING_MS + r.int(0, 1_799) * 1000),
    netAmount,
    totalTax: round2(netAmount / 11),
    status: r.chance(0.95) ? "completed" : "voided",
    outlet_id: register?.outlet_id ?? null,
    register_id: register?.id ?? null,
    customer_id: links.customerIds.length > 0 && r.chance(0.4) ? r.pick(links.customerIds) : null,
    items: lines,
  };
}

function seededClosure(random: Random, i: number, links: Links): HikeRecord {
  const r = random.fork("registerClosures", i);
  const per = Math.max(1, links.registers.length);
  const register = links.registers[i % per];
  const day = SALES_START + Math.floor(i / per) * DAY_MS;
  return {
    id: i + 1,
    register_id: register?.id ?? null,
    outlet_id: register?.outlet_id ?? null,
    opening_date: iso(day),
    closure_date: iso(day + 12 * 3_600_000 + r.int(0, 3_599) * 1000),
    total_sold_amount: Number(r.amount(200, 4_000)),
  };
}

function seededOffer(random: Random, i: number): HikeRecord {
  const r = random.fork("offers", i);
  const start = SALES_START + r.int(-30, 30) * DAY_MS;
  return {
    id: i + 1,
    name: nth(OFFERS, i),
    discount_percent: r.pick([5, 10, 15, 20, 50]),
    start_date: iso(start),
    end_date: iso(start + r.int(7, 60) * DAY_MS),
    isActive: r.chance(0.7),
  };
}

function seededTax(i: number): HikeRecord {
  const [name, rate] = TAXES[i % TAXES.length]!;
  return { id: i + 1, name: nth([name], i), rate };
}

function seededUser(random: Random, i: number): HikeRecord {
  const r = random.fork("users", i);
  const [first, last] = [r.pick(FIRST), r.pick(LAST)];
  return {
    id: i + 1,
    name: `${first} ${last}`,
    email: email(first, last, i),
    role: i === 0 ? "Admin" : r.pick(ROLES),
  };
}

/** Seeded records of one kind: record i has id i + 1 and is made when read. */
function seeded(size: number, generate: (i: number) => HikeRecord): Collection<HikeRecord> {
  return new Collection<HikeRecord>({
    size,
    generate,
    idAt: (i) => String(i + 1),
    positionOf: (id) => (/^[1-9]\d*$/.test(id) ? Number(id) - 1 : undefined),
    idOf: (record) => String(record.id),
  });
}

/** The collections: each kind the user's records if given, else seeded. */
export function seededRecords(random: Random, sizes: HikeSizes, data: HikeData = {}): HikeRecords {
  // Seeded records refer to the others (a sale's products and register): by their ids, given or
  // seeded, computed once here so that a record is still made alone.
  const ids = (kind: HikeKind) =>
    data[kind]?.map((r) => r.id) ?? Array.from({ length: sizes[kind] }, (_, i) => i + 1);
  const outletIds = ids("outlets");
  const links: Links = {
    typeNames: data.productTypes
      ? data.productTypes.map((t) => String(t.name ?? t.id))
      : Array.from({ length: sizes.productTypes }, (_, i) => nth(TYPES, i)),
    productIds: ids("products"),
    outletIds,
    registers: [],
    customerIds: ids("customers"),
  };
  links.registers = (
    data.registers ?? Array.from({ length: sizes.registers }, (_, i) => seededRegister(i, links))
  ).map((r) => ({ id: r.id, outlet_id: typeof r.outlet_id === "number" ? r.outlet_id : null }));
  const generators: Record<HikeKind, (i: number) => HikeRecord> = {
    products: (i) => seededProduct(random, i, links),
    productTypes: (i) => seededProductType(random, i),
    suppliers: (i) => seededSupplier(random, i),
    customers: (i) => seededCustomer(random, i),
    outlets: (i) => seededOutlet(random, i, sizes.outlets),
    registers: (i) => seededRegister(i, links),
    sales: (i) => seededSale(random, i, links),
    registerClosures: (i) => seededClosure(random, i, links),
    offers: (i) => seededOffer(random, i),
    taxes: (i) => seededTax(i),
    paymentTypes: (i) => ({ id: i + 1, name: nth(PAYMENTS, i) }),
    users: (i) => seededUser(random, i),
  };
  const collections = {} as HikeCollections;
  const nextId = {} as Record<HikeKind, number>;
  for (const kind of KINDS) {
    const given = data[kind];
    collections[kind] = given
      ? Collection.of<HikeRecord>((r) => String(r.id), given)
      : seeded(sizes[kind], generators[kind]);
    nextId[kind] = given ? given.reduce((max, r) => Math.max(max, r.id), 0) + 1 : sizes[kind] + 1;
  }
  return { ...collections, nextId };
}
