// The account's orders, every location's in one collection: the seeded ones (generated on demand,
// a location's orders in one run of positions), then those created through the API (or a user's
// own). A filtered list looks at a seeded order's head first and builds only those it keeps, so
// a status or customer filter over 100,000 orders stays fast. HubRise has no order deletion.
import { Collection } from "../../sandbox/collection.js";
import type { Pager } from "./paging.js";
import { ascending } from "./paging.js";
import type { Order, OrderHead, OrderStatus, SeededOrders } from "./seed-orders.js";

/** The filters of the order lists (Orders §1.3), converted to their types. */
export interface OrderFilter {
  /** Only this location's orders (a location list); undefined: the account's. */
  locationId?: string;
  status?: OrderStatus;
  privateRef?: string;
  createdBy?: string;
  /** Created at or after (ms). */
  after?: number;
  /** Created before (ms). */
  before?: number;
  customerId?: string;
}

export class OrderStore {
  readonly #collection: Collection<Order>;
  readonly #seeded: SeededOrders | undefined;
  /** Seeded orders replaced by an update (their head no longer tells what they hold). */
  readonly #touched = new Set<string>();

  constructor(seeded: SeededOrders | undefined, own: Order[] = []) {
    this.#seeded = seeded;
    this.#collection = seeded
      ? new Collection<Order>({
          size: seeded.size,
          generate: (i) => seeded.order(i),
          idAt: (i) => seeded.idAt(i),
          positionOf: (id) => seeded.positionOf(id),
          idOf: (o) => o.id,
        })
      : Collection.of<Order>((o) => o.id, own);
  }

  get size(): number {
    return this.#collection.size;
  }

  get(id: string): Order | undefined {
    return this.#collection.get(id);
  }

  insert(order: Order): Order {
    return this.#collection.insert(order);
  }

  replace(order: Order): void {
    if (this.#seeded && !this.#touched.has(order.id)) {
      const p = this.#seeded.positionOf(order.id);
      if (p !== undefined && p < this.#seeded.size && this.#seeded.idAt(p) === order.id) {
        this.#touched.add(order.id);
      }
    }
    this.#collection.replace(order.id, order);
  }

  /** The orders `filter` keeps, in the order HubRise's lists give (see handlers/orders.ts). */
  pager(filter: OrderFilter): Pager<Order> {
    const seeded = this.#seeded;
    const collection = this.#collection;
    const skip =
      seeded &&
      ((p: number) => {
        if (p >= seeded.size) return false;
        const id = seeded.idAt(p);
        return !this.#touched.has(id) && !headMatches(seeded, seeded.head(p), filter);
      });
    return ascending(
      { end: collection.end, at: (p) => collection.at(p), ...(skip ? { skip } : {}) },
      (order) => orderMatches(order, filter),
    );
  }

  /** Every order of a customer (anonymisation reaches them all). */
  *ofCustomer(customerId: string): Generator<Order> {
    const next = this.pager({ customerId });
    let from: number | undefined;
    do {
      const page = next(from, 100);
      yield* page.items;
      from = page.next;
    } while (from !== undefined);
  }
}

function headMatches(seeded: SeededOrders, head: OrderHead, f: OrderFilter): boolean {
  if (f.locationId !== undefined && head.location_id !== f.locationId) return false;
  if (f.status !== undefined && head.status !== f.status) return false;
  if (f.createdBy !== undefined && head.created_by !== f.createdBy) return false;
  if (f.after !== undefined && head.createdMs < f.after) return false;
  if (f.before !== undefined && head.createdMs >= f.before) return false;
  // Seeded orders have no private ref (another client's would read as null anyway).
  if (f.privateRef !== undefined) return false;
  if (f.customerId !== undefined && seeded.customerIdOf(head) !== f.customerId) return false;
  return true;
}

function orderMatches(order: Order, f: OrderFilter): boolean {
  if (f.locationId !== undefined && order.location_id !== f.locationId) return false;
  if (f.status !== undefined && order.status !== f.status) return false;
  if (f.createdBy !== undefined && order.created_by !== f.createdBy) return false;
  if (f.privateRef !== undefined && order.private_ref !== f.privateRef) return false;
  if (f.customerId !== undefined && (order.customer?.id ?? null) !== f.customerId) return false;
  if (f.after !== undefined || f.before !== undefined) {
    const created = Date.parse(order.created_at);
    if (f.after !== undefined && created < f.after) return false;
    if (f.before !== undefined && created >= f.before) return false;
  }
  return true;
}
