// The Hiboutik sandbox's records and state. Products and customers are kept as the API reads them
// (the description's Product and Customer); a sale is kept as what it is made of (its lines, its
// payment lines, its dates and flags) and rendered on each read (`sales.ts`), so its totals, taxes
// and date parts always agree with its lines. Ids are integers, as Hiboutik's are.
import type { components } from "../../../generated/hiboutik/schema.js";
import type { Collection } from "../../sandbox/collection.js";
import type { OAuthServer } from "../../sandbox/oauth-server.js";

export type Schemas = components["schemas"];
export type Store = Schemas["Store"];
export type Warehouse = Schemas["Warehouse"];
export type Tax = Schemas["Tax"];
export type User = Schemas["User"];
export type PaymentType = Schemas["PaymentType"];
export type Product = Schemas["Product"];
export type Customer = Schemas["Customer"];
export type CustomerAddress = Schemas["CustomerAddress"];
export type Brand = Schemas["Brand"];
export type Category = Schemas["Category"];
export type Supplier = Schemas["Supplier"];
export type Size = Schemas["Size"];
export type TagCategory = Schemas["TagCategory"];
export type Room = Schemas["Room"];
export type Ressource = Schemas["Ressource"];
export type Webhook = Schemas["Webhook"];
export type Sale = Schemas["Sale"];
export type SaleLineItem = Schemas["SaleLineItem"];
/** An open record (the description leaves its fields undocumented). */
export type Row = Record<string, unknown>;

/** The product fields a sale line copies when it is added (a later product change leaves it as is). */
export interface ProductSnapshot {
  product_model: string;
  product_barcode: string;
  product_brand: number;
  product_supplier: number;
  product_category: number;
  product_size_type: number;
  product_package: number;
  product_stock_management: number;
  product_supplier_reference: string;
  product_desc: string;
  storage_location: string;
  product_arch: number;
  products_ref_ext: string;
  multiple: number;
  /** Cents. */
  product_supply_price: number;
  /** The catalogue price when the line was added, cents (the line's `discount` is measured from it). */
  catalogue_price: number;
}

export interface SaleLine {
  line_item_id: number;
  product_id: number;
  product_size: number;
  quantity: number;
  /** Unit price charged, cents (taxes excluded when the sale has `prices_without_taxes`). */
  price: number;
  currency: string;
  /** VAT fraction (`"0.200"`). */
  vat: string;
  tax_label: string;
  points: number;
  stock_withdrawal: number;
  credit_note: number;
  credit_note_id: number;
  product_comments: string;
  serial_number: string;
  line_item_id_return: number;
  date_return: number | string;
  kitchen_pos: number;
  /** The warehouse its stock came from. */
  warehouse_id: number;
  product: ProductSnapshot;
}

export interface SalePaymentLine {
  payment_detail_id: number;
  payment_type: string;
  /** Cents. */
  payment_amount: number;
}

export interface SaleCashFlowRecord {
  cash_flow_id: number;
  sale_id: number;
  payment_type: string;
  payment_amount: number;
  /** When it was recorded (local date-time). */
  created_at: string;
}

export interface SaleRecord {
  sale_id: number;
  store_id: number;
  warehouse_id: number;
  vendor_id: number;
  customer_id: number;
  currency: string;
  /** Local date-times; `completed_at` is the zero date while the sale is open. */
  created_at: string;
  completed_at: string;
  unique_sale_id: string;
  payment: string;
  prices_without_taxes: number;
  without_taxes: number;
  duty_free: number;
  quotation: number;
  ressource_id: number;
  points: number;
  sale_ext_ref: string;
  service_charge: number;
  guests_number: number;
  takeaway: number;
  shipping_ref: string;
  customs_duty: number;
  vat_number: string;
  date_z: number;
  pickup_date: string;
  cash_tendered: number;
  billing_address: number;
  shipping_address: number;
  closed_day: number;
  payment_accounting_account: string;
  lines: SaleLine[];
  payments: SalePaymentLine[];
  cash_flow: SaleCashFlowRecord[];
  sale_tags: unknown[];
  /** `POST /sales/comments/` (the read model has no field for it). */
  comments: string;
  /** Credit note codes used to pay the sale. */
  credit_notes: string[];
  /** The reversing sale, once `POST /sales/void` cancelled this one. */
  voided_by: number;
  /** The sale this one reverses. */
  voids: number;
}

export interface CreditNoteRecord {
  credit_note: number;
  store_id: number;
  customer_id: number;
  /** Cents. */
  amount: number;
  created_at: string;
  /** The line returned for it (0 for a seeded note). */
  line_item_id: number;
  /** The sale it paid, once used. */
  used_by: number;
}

export interface TillRecord {
  till_id: number;
  store_id: number;
  date_till: string;
  deposit: number;
  withdrawal: number;
  currency: string;
  comments: string | null;
}

export interface InventoryInputRecord {
  inventory_input_id: number;
  inventory_input_label: string;
  inventory_input_date: string;
  inventory_input_supplier_id: number;
  warehouse_id: number;
  details: Row[];
}

export interface StockTransferRecord {
  stock_transfer: Row;
  details: Row[];
}

export interface ImageRecord {
  image_id: number;
  product_id: number;
  file_name: string;
  content_type: string;
  bytes: Uint8Array;
  framing_type: string;
}

export interface ReturnRecord {
  store_id: number;
  date: string;
  line_item_id: number;
  sale_id: number;
  product_id: number;
  product_size: number;
  quantity: number;
  credit_note: number;
}

/** The next id of each kind of record created through the API. */
export interface NextIds {
  product: number;
  customer: number;
  sale: number;
  line: number;
  payment: number;
  cashFlow: number;
  till: number;
  creditNote: number;
  webhook: number;
  brand: number;
  category: number;
  image: number;
}

/**
 * The account. Records read from the collections are shared (the generated products and customers
 * are frozen): change them through the API, or with the collections' `replace`/`insert`/`delete`.
 */
export interface HiboutikState {
  /** The stores' time zone: every date the API writes is local to it. */
  timeZone: string;
  /** A demo account: `POST /reset` works, `POST /z/closure` is refused. */
  demo: boolean;
  stores: Store[];
  warehouses: Warehouse[];
  taxes: Tax[];
  users: User[];
  /** Payment types by store id. */
  paymentTypes: Map<number, PaymentType[]>;
  brands: Brand[];
  categories: Category[];
  suppliers: Supplier[];
  /** Sizes by size type id. */
  sizeTypes: Map<number, Size[]>;
  tagCategories: TagCategory[];
  modifiers: Row[];
  rooms: Room[];
  ressources: Ressource[];
  cookingStations: Row[];
  subscriptions: Row[];
  products: Collection<Product>;
  customers: Collection<Customer>;
  sales: Collection<SaleRecord>;
  /** Stock changes by `product/size/warehouse`, over the seeded stock. */
  stockChanges: Map<string, number>;
  images: ImageRecord[];
  inventoryInputs: InventoryInputRecord[];
  inventoryOnHold: Row[];
  stockTransfers: StockTransferRecord[];
  calendarEvents: Row[];
  till: TillRecord[];
  creditNotes: CreditNoteRecord[];
  prepaidPurchases: Row[];
  returns: ReturnRecord[];
  /** The last Z-closed business day (`YYYYMMDD`), 0 when none. */
  closedThrough: number;
  webhooks: Webhook[];
  actionLinks: Row[];
  /** What `POST /print/misc/` printed, oldest first. */
  printed: Row[];
  /** The lines sent to the kitchen screens. */
  kitchen: number[];
  next: NextIds;
  /** Line and payment-line owners (sale ids) of the lines not found by their seeded numbering. */
  lineOwner: Map<number, number>;
  paymentOwner: Map<number, number>;
  /** Seeded numbering: sale `i + 1`'s lines are `i * LINES_PER_SALE + 1 …`, payments `i * 2 + 1 …`. */
  seededSales: number;
  /** The last receipt number per `store_id/YYYY-MM`, read from the sales on first use. */
  receiptCounters: Map<string, number>;
  /** The OAuth server of the account's app (its tokens are accepted by the API). */
  oauth: OAuthServer;
  /** The app's client id (`GET /apps/installed/{client_id}`). */
  oauthClientId: string;
  /** Rows a paginated list answers per page (Hiboutik: 250). */
  pageSize: number;
  /** The seeded stock of a product size in a warehouse (0 for products created through the API). */
  stockBase(productId: number, sizeId: number, warehouseId: number): number;
  /** Delivers an event to the webhooks registered for it (set by the sandbox). */
  emit(action: string, fields: Row): void;
}

/** Lines a seeded sale may have: its line ids are numbered in blocks of this size. */
export const LINES_PER_SALE = 5;
/** Payment lines a seeded split sale has. */
export const PAYMENTS_PER_SALE = 2;
