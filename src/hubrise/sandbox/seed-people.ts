// Seeded customers, their lists and loyalty cards (Customers §1–4): each customer is drawn from
// its own stream (`customers/<list>/<i>`), so 100,000 of them cost nothing until read. Phones are
// E.164, as HubRise recommends; the computed fields (nb_orders, order_total, first and last order
// dates) are plausible figures of the customer's past, not sums over the seeded orders.
import { Collection } from "../../sandbox/collection.js";
import type { Random } from "../../sandbox/random.js";
import type { HubriseSchema } from "../index.js";
import { decimal, hubriseTime, money } from "./format.js";
import type { IdSpaces } from "./ids.js";
import { ACCOUNT, TIME_ZONE } from "./seed-account.js";

export type Customer = HubriseSchema<"Customer">;
export type CustomerList = HubriseSchema<"CustomerList">;
export type LoyaltyCard = HubriseSchema<"LoyaltyCard">;
export type LoyaltyOperation = HubriseSchema<"LoyaltyOperation">;

/** Who owns a list (or a catalog): a location, or the account. */
export type Owner = { location_id: string } | { account_id: string };

export interface CustomerListRecord {
  list: CustomerList;
  owner: Owner;
  customers: Collection<Customer>;
  cards: Collection<LoyaltyCard>;
  /** The ids of each customer's cards. */
  cardsByCustomer: Map<string, string[]>;
  /** Each card's operations, oldest first (the API lists them newest first). */
  operations: Map<string, LoyaltyOperation[]>;
}

const FIRST = [
  "Charles",
  "Alice",
  "Thomas",
  "Chloé",
  "Karim",
  "Emma",
  "Lucas",
  "Inès",
  "Jules",
  "Manon",
];
const LAST = [
  "Martin",
  "Bernard",
  "Dubois",
  "Nguyen",
  "Moreau",
  "Laurent",
  "Garcia",
  "Petit",
  "Roux",
];
const STREETS = [
  "rue de Rivoli",
  "avenue Jean Jaurès",
  "rue Mercière",
  "boulevard Voltaire",
  "quai Saint-Antoine",
];
/** Seeded customers' and orders' history ends here (a fixed date: the same seed, the same data). */
export const HISTORY_END = Date.UTC(2026, 0, 1);

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();

/** Customer `i` of a seeded list. */
export function seededCustomer(
  random: Random,
  listKey: string,
  listId: string,
  id: string,
  i: number,
): Customer {
  const r = random.fork("customers", listKey, i);
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const city = r.pick([
    { city: "Paris", postal: "750", lat: 48.85, lng: 2.35 },
    { city: "Lyon", postal: "6900", lat: 45.76, lng: 4.83 },
  ]);
  const orders = r.int(0, 40);
  const firstOrder = HISTORY_END - r.int(30, 700) * 86_400_000;
  const lastOrder = firstOrder + r.int(0, 29) * 86_400_000;
  return {
    id,
    customer_list_id: listId,
    anonymised: false,
    private_ref: null,
    email: `${ascii(first)}.${ascii(last)}${i}@example.com`,
    first_name: first,
    last_name: last,
    gender: r.chance(0.1)
      ? null
      : first.endsWith("e") || first === "Inès" || first === "Manon"
        ? "female"
        : "male",
    birth_date: r.chance(0.5)
      ? null
      : `${r.int(1950, 2004)}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`,
    company_name: r.chance(0.1) ? `${last} SARL` : null,
    phone: `+336${r.text("0123456789", 8)}`,
    phone_access_code: null,
    address_1: `${r.int(1, 120)} ${r.pick(STREETS)}`,
    address_2: null,
    postal_code: `${city.postal}${r.int(1, 9)}`,
    city: city.city,
    state: null,
    country: "FR",
    latitude: (city.lat + r.int(-500, 500) / 10_000).toFixed(5),
    longitude: (city.lng + r.int(-500, 500) / 10_000).toFixed(5),
    delivery_notes: r.chance(0.2) ? "Code 1234, 3rd floor" : null,
    sms_marketing: r.chance(0.3),
    email_marketing: r.chance(0.4),
    custom_fields: {},
    nb_orders: orders,
    order_total: money(orders * r.int(1_500, 3_500), ACCOUNT.currency),
    first_order_date: orders > 0 ? hubriseTime(firstOrder, TIME_ZONE) : null,
    last_order_date: orders > 0 ? hubriseTime(lastOrder, TIME_ZONE) : null,
  };
}

/** The customer list ids' offsets: list k's seeded customers are customer ids k·10,000,000 + i. */
const LIST_OFFSET = 10_000_000;

export interface SeededListSpec {
  key: string;
  name: string;
  owner: Owner;
  customers: number;
  /** Every `cardEvery`-th customer has a loyalty card (0: none). */
  cardEvery: number;
}

/** A seeded customer list, its customers generated on demand, its cards and their operations. */
export function seededList(
  random: Random,
  ids: IdSpaces,
  k: number,
  spec: SeededListSpec,
): CustomerListRecord {
  if (spec.customers > LIST_OFFSET) throw new RangeError(`at most ${LIST_OFFSET} customers a list`);
  const listId = ids.customerLists.at(k);
  const offset = k * LIST_OFFSET;
  const customers = new Collection<Customer>({
    size: spec.customers,
    generate: (i) => seededCustomer(random, spec.key, listId, ids.customers.at(offset + i), i),
    idAt: (i) => ids.customers.at(offset + i),
    positionOf: (id) => {
      const n = ids.customers.index(id);
      return n === undefined ? undefined : n - offset;
    },
    idOf: (c) => c.id,
  });
  const record: CustomerListRecord = {
    list: {
      id: listId,
      name: spec.name,
      created_at: hubriseTime(HISTORY_END - (800 - k) * 86_400_000, TIME_ZONE),
    },
    owner: spec.owner,
    customers,
    cards: Collection.of<LoyaltyCard>((c) => c.id),
    cardsByCustomer: new Map(),
    operations: new Map(),
  };
  if (spec.cardEvery > 0) {
    // At most 2,000 cards a list: they are made up front (with their operations), unlike customers.
    const cards = Math.min(2_000, Math.ceil(spec.customers / spec.cardEvery));
    for (let c = 0; c < cards; c++) {
      const r = random.fork("loyalty", spec.key, c);
      const customerId = ids.customers.at(offset + c * spec.cardEvery);
      const cardId = ids.loyaltyCards.at(k * 100_000 + c);
      let balance = 0;
      let at = HISTORY_END - r.int(100, 600) * 86_400_000;
      const operations: LoyaltyOperation[] = [];
      for (let j = r.int(1, 3); j > 0; j--) {
        const delta = operations.length === 0 ? 10_000 : r.int(-5, 25) * 500;
        balance += delta;
        at += r.int(1, 60) * 86_400_000;
        operations.push({
          id: ids.loyaltyOperations.at((k * 100_000 + c) * 4 + operations.length),
          customer_id: customerId,
          created_at: hubriseTime(at, TIME_ZONE),
          order_location_id: null,
          order_id: null,
          reason: operations.length === 0 ? "Welcome bonus" : "Order",
          delta: decimal(delta),
          new_balance: decimal(balance),
        });
      }
      record.cards.insert({
        id: cardId,
        customer_id: customerId,
        name: "Bella Pizza Card",
        ref: `BP-${String(1_000 + c)}`,
        balance: decimal(balance),
      });
      record.cardsByCustomer.set(customerId, [cardId]);
      record.operations.set(cardId, operations);
    }
  }
  return record;
}

/** A list made through the API or from a user's data: no seeded customers. */
export function emptyList(
  list: CustomerList,
  owner: Owner,
  customers: Customer[] = [],
): CustomerListRecord {
  return {
    list,
    owner,
    customers: Collection.of<Customer>((c) => c.id, customers),
    cards: Collection.of<LoyaltyCard>((c) => c.id),
    cardsByCustomer: new Map(),
    operations: new Map(),
  };
}
