// Seeded orders (Orders §1–13), generated on demand from their position: each order draws from its
// own stream, the fields a list filters on first (its "head": location, status, creation time,
// creator, customer), so that a filtered list can skip an order without building it. Each
// location's orders are spaced about 12 minutes apart, oldest first, ending at HISTORY_END; their
// items come from the location catalog's menu and their totals add up as HubRise computes them.
import type { Random } from "../../sandbox/random.js";
import type { HubriseSchema } from "../index.js";
import type { CatalogContent } from "./catalog-build.js";
import { hubriseTime, money, parseMoney } from "./format.js";
import type { IdSpaces } from "./ids.js";
import { ACCOUNT, TIME_ZONE } from "./seed-account.js";
import { HISTORY_END } from "./seed-people.js";

export type Order = HubriseSchema<"Order">;
export type OrderStatus = HubriseSchema<"OrderStatus">;
export type OrderItem = HubriseSchema<"OrderItem">;
export type OrderCustomer = HubriseSchema<"OrderCustomer">;
export type Delivery = HubriseSchema<"Delivery">;

/** A seeded order's elements (items, discounts, charges, payments) take ids position·8 + j. */
export const ELEMENTS_PER_ORDER = 8;
const GAP_MS = 12 * 60_000;
const CLIENTS = ["Bella Pizza Online", "Uber Eats", "Deliveroo", "Bella Pizza POS"];
const ACTIVE: OrderStatus[] = [
  "new",
  "received",
  "accepted",
  "in_preparation",
  "awaiting_collection",
  "awaiting_shipment",
  "in_delivery",
];
/** Older orders: mostly completed, these otherwise (with their odds). */
const PAST: [OrderStatus, number][] = [
  ["cancelled", 0.07],
  ["rejected", 0.04],
  ["delivery_failed", 0.03],
];

/** An item of the menu, as an order line names it. */
export interface MenuEntry {
  product_name: string;
  sku_name: string | null;
  sku_ref: string | null;
  price: number;
  options: { list: string; name: string; ref: string | null; price: number }[];
}

/** The menu orders are drawn from: every SKU of a catalog, with its options. */
export function menuOf(content: CatalogContent): MenuEntry[] {
  const lists = new Map(content.option_lists.map((l) => [l.id, l]));
  return content.products.flatMap((p) =>
    (p.skus ?? []).map((s) => ({
      product_name: p.name,
      sku_name: s.name ?? null,
      sku_ref: s.ref ?? null,
      price: parseMoney(s.price)?.cents ?? 0,
      options: (s.option_list_ids ?? []).flatMap((id) =>
        (lists.get(id)?.options ?? []).map((o) => ({
          list: lists.get(id)!.name,
          name: o.name,
          ref: o.ref ?? null,
          price: parseMoney(o.price)?.cents ?? 0,
        })),
      ),
    })),
  );
}

/** The seeded orders' layout: each location's orders in one run of positions. */
export interface SeededOrdersSpec {
  random: Random;
  ids: IdSpaces;
  /** Per location, in position order. */
  segments: { locationId: string; count: number }[];
  menu: MenuEntry[];
  /** How many seeded customers members' orders can name (0: guests only). */
  customers: number;
  /** Customer `i` of the seeded list, and its id (without building it). */
  customerAt(i: number): OrderCustomer;
  customerIdAt(i: number): string;
}

/** What a list filters on, drawn before the rest of the order. */
export interface OrderHead {
  position: number;
  id: string;
  location_id: string;
  createdMs: number;
  status: OrderStatus;
  created_by: string;
  /** The seeded customer's position, -1 for a guest, -2 for none. */
  customer: number;
  serviceType: "delivery" | "collection" | "eat_in";
}

export class SeededOrders {
  readonly size: number;
  readonly #spec: SeededOrdersSpec;
  readonly #starts: number[] = [];

  constructor(spec: SeededOrdersSpec) {
    this.#spec = spec;
    let start = 0;
    for (const s of spec.segments) {
      this.#starts.push(start);
      start += s.count;
    }
    this.size = start;
  }

  idAt(position: number): string {
    return this.#spec.ids.orders.at(position);
  }

  positionOf(id: string): number | undefined {
    return this.#spec.ids.orders.index(id);
  }

  #draw(position: number): { head: OrderHead; r: Random } {
    let segment = this.#starts.length - 1;
    while (segment > 0 && this.#starts[segment]! > position) segment--;
    const { locationId, count } = this.#spec.segments[segment]!;
    const k = position - this.#starts[segment]!;
    const r = this.#spec.random.fork("orders", position);
    // Whole seconds, as the formatted time keeps them: the head and the order agree on filters.
    const createdMs = HISTORY_END - (count - k) * GAP_MS + r.int(0, GAP_MS / 1000 - 1) * 1000;
    let status: OrderStatus = "completed";
    if (count - k <= 20) status = r.pick(ACTIVE);
    else {
      let x = r.next();
      for (const [s, p] of PAST) {
        if (x < p) {
          status = s;
          break;
        }
        x -= p;
      }
    }
    const serviceType = r.pick(["delivery", "delivery", "collection", "eat_in"] as const);
    const kind = r.next();
    const customers = this.#spec.customers;
    const customer =
      customers > 0 && kind < 0.5
        ? r.int(0, customers - 1)
        : kind < (customers > 0 ? 0.8 : 0.6)
          ? -1
          : -2;
    return {
      head: {
        position,
        id: this.idAt(position),
        location_id: locationId,
        createdMs,
        status,
        created_by: r.pick(CLIENTS),
        customer,
        serviceType,
      },
      r,
    };
  }

  head(position: number): OrderHead {
    return this.#draw(position).head;
  }

  /** The customer id a head names, or null (guest or none). */
  customerIdOf(head: OrderHead): string | null {
    return head.customer >= 0 ? this.#spec.customerIdAt(head.customer) : null;
  }

  order(position: number): Order {
    const { head, r } = this.#draw(position);
    const { ids, menu } = this.#spec;
    const currency = ACCOUNT.currency;
    const time = (ms: number) => hubriseTime(ms, TIME_ZONE);
    let element = 0;
    const elementId = () => ids.elements.at(position * ELEMENTS_PER_ORDER + element++);

    const items: OrderItem[] = [];
    let itemsTotal = 0;
    for (let n = r.int(1, 4); n > 0 && menu.length > 0; n--) {
      const entry = r.pick(menu);
      const quantity = r.int(1, 3);
      const options = entry.options.length > 0 && r.chance(0.4) ? [r.pick(entry.options)] : [];
      const unit = entry.price + options.reduce((sum, o) => sum + o.price, 0);
      itemsTotal += unit * quantity;
      items.push({
        id: elementId(),
        private_ref: null,
        product_name: entry.product_name,
        sku_name: entry.sku_name,
        sku_ref: entry.sku_ref,
        price: money(entry.price, currency),
        quantity: `${quantity}.0`,
        subtotal: money(unit * quantity, currency),
        tax_rate: null,
        customer_notes: null,
        points_earned: null,
        points_used: null,
        options: options.map((o) => ({
          option_list_name: o.list,
          name: o.name,
          ref: o.ref,
          price: money(o.price, currency),
          quantity: 1,
          removed: false,
        })),
        deleted: false,
      });
    }
    const discountCents = r.chance(0.1) ? 200 : 0;
    const discounts =
      discountCents > 0
        ? [
            {
              id: elementId(),
              private_ref: null,
              name: "2€ off",
              ref: "TWO_OFF",
              price_off: money(discountCents, currency),
              deleted: false,
              pricing_effect: "price_off",
              pricing_value: money(discountCents, currency),
            },
          ]
        : [];
    const feeCents = head.serviceType === "delivery" ? 250 : 0;
    const charges =
      feeCents > 0
        ? [
            {
              id: elementId(),
              private_ref: null,
              name: "Delivery fee",
              ref: "DEL",
              price: money(feeCents, currency),
              tax_rate: null,
              deleted: false,
              type: "delivery",
              charge_type: "delivery",
              charge_ref: "DEL",
              charge_price: money(feeCents, currency),
            },
          ]
        : [];
    const total = itemsTotal + feeCents - discountCents;
    const paid = head.status === "completed" || r.chance(0.5);
    const cash = r.chance(0.3);
    const payments = paid
      ? [
          {
            id: elementId(),
            private_ref: null,
            name: cash ? "Cash" : "Card",
            ref: cash ? "CASH" : "CARD",
            amount: money(total, currency),
            info: null,
            deleted: false,
            type: cash ? "cash" : "online",
          },
        ]
      : [];
    const expected = head.serviceType === "eat_in" ? null : head.createdMs + r.int(30, 60) * 60_000;
    const confirmed =
      head.status === "new" || head.status === "received"
        ? null
        : head.createdMs + r.int(1, 5) * 60_000;
    const order: Order = {
      id: head.id,
      location_id: head.location_id,
      channel: head.created_by,
      ref: String(17_654_321 + position),
      private_ref: null,
      status: head.status,
      service_type: head.serviceType,
      service_type_ref: null,
      created_at: time(head.createdMs),
      created_by: head.created_by,
      expected_time: expected === null ? null : time(expected),
      expected_time_pickup: false,
      asap: expected === null,
      confirmed_time: confirmed === null ? null : time(confirmed),
      customer_notes: r.chance(0.1) ? "Ring twice, please" : null,
      seller_notes: null,
      collection_code: head.serviceType === "collection" ? r.text("0123456789", 4) : null,
      coupon_codes: [],
      total: money(total, currency),
      items,
      deals: {},
      discounts,
      charges,
      payments,
      loyalty_operations: [],
      custom_fields: {},
    };
    if (head.customer >= 0) order.customer = this.#spec.customerAt(head.customer);
    else if (head.customer === -1) order.customer = guest(r);
    const delivered = ["in_delivery", "completed", "delivery_failed"].includes(head.status);
    if (head.serviceType === "delivery" && delivered && r.chance(0.6)) {
      order.delivery = seededDelivery(r, ids.deliveries.at(position), order, head, time);
    }
    return order;
  }
}

function guest(r: Random): OrderCustomer {
  return {
    id: null,
    customer_list_id: null,
    anonymised: false,
    first_name: r.pick(["Sam", "Alex", "Max", "Lou"]),
    last_name: r.pick(["Durand", "Leroy", "Simon"]),
    email: null,
    phone: `+337${r.text("0123456789", 8)}`,
    address_1: null,
    postal_code: null,
    city: null,
    country: "FR",
    sms_marketing: false,
    email_marketing: false,
  };
}

function seededDelivery(
  r: Random,
  id: string,
  order: Order,
  head: OrderHead,
  time: (ms: number) => string,
): Delivery {
  const status =
    head.status === "completed"
      ? "delivered"
      : head.status === "delivery_failed"
        ? "cancelled"
        : "dropoff_enroute";
  const assigned = head.createdMs + r.int(5, 15) * 60_000;
  const pickup = assigned + r.int(5, 15) * 60_000;
  const done = pickup + r.int(10, 25) * 60_000;
  return {
    id,
    order_id: order.id,
    location_id: order.location_id,
    carrier: r.pick(["Uber Direct", "Stuart"]),
    carrier_ref: r.text("0123456789ABCDEF", 10),
    ref: r.text("0123456789", 8),
    status,
    fee: money(r.int(350, 550), ACCOUNT.currency),
    estimated_pickup_at: time(pickup),
    estimated_dropoff_at: time(done),
    tracking_url: `https://tracking.example/${id}`,
    driver_pickup_url: null,
    driver_name: r.pick(["Yanis", "Marc", "Sofia"]),
    driver_phone: `+336${r.text("0123456789", 8)}`,
    driver_phone_access_code: null,
    driver_latitude: (48.85 + r.int(-300, 300) / 10_000).toFixed(5),
    driver_longitude: (2.35 + r.int(-300, 300) / 10_000).toFixed(5),
    assigned_at: time(assigned),
    pickup_at: time(pickup),
    delivered_at: status === "delivered" ? time(done) : null,
    cancelled_at: status === "cancelled" ? time(done) : null,
  };
}
