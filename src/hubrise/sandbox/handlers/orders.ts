// Orders (Orders documentation). Lists: a location's (`/location/orders`, `/locations/{id}/orders`)
// or the account's (`/account/orders`, …), filtered by `private_ref`, `status`, `created_by`,
// `after` (inclusive), `before` (exclusive) and `customer_id`; their order within a page is not
// documented: the sandbox lists them as they were created, oldest first, which keeps a cursor
// valid while orders arrive. Create: only `status` is required; the customer is `customer_id`, or
// `customer_list_id` + `customer_private_ref`, or a guest `customer`, never two of them; every
// `deal_line.deal_key` must be a key of `deals` (renumbered "0", "1", … as HubRise does); every
// amount must be in the account's currency; ids and `created_at` come from the sandbox, `total`
// and subtotals are computed. Update (PATCH, and the legacy PUT alike): the scalar fields HubRise
// lets change, and per collection (items, discounts, charges, payments) an element added, deleted
// (`{id, deleted: true}`, kept with `deleted: true`) or given a private ref — an existing element
// is never modified. Create fires `order.create`, update `order.update`.
import type { HubriseSchema } from "../../index.js";
import { type FieldError, notFound, unprocessable } from "../errors.js";
import {
  decimal,
  hubriseTime,
  mergeCustomFields,
  money,
  parseDecimal,
  parseMoney,
} from "../format.js";
import type { OrderFilter } from "../orders-store.js";
import { listAnswer } from "../paging.js";
import { TIME_ZONE } from "../seed-account.js";
import type { Delivery, Order, OrderCustomer, OrderItem, OrderStatus } from "../seed-orders.js";
import type { Customer, CustomerListRecord } from "../seed-people.js";
import type { HubriseState } from "../state.js";
import {
  bodyOf,
  connectionOf,
  type Ctx,
  type Handler,
  locationOf,
  accountMatches,
  ok,
} from "./common.js";

type OrderCreate = HubriseSchema<"OrderCreate">;
type OrderUpdate = HubriseSchema<"OrderUpdate">;
type Element = { id?: string; deleted?: boolean; private_ref?: string | null } & Record<
  string,
  unknown
>;
const COLLECTIONS = ["items", "discounts", "charges", "payments"] as const;

/** An order as the API shows it: the delivery inside it without the driver's position (Orders §11). */
export function presentOrder(order: Order): Order {
  const delivery = order.delivery;
  if (
    !delivery ||
    (delivery.driver_latitude === undefined && delivery.driver_longitude === undefined)
  ) {
    return order;
  }
  const { driver_latitude: _lat, driver_longitude: _lng, ...rest } = delivery;
  return { ...order, delivery: rest as Delivery };
}

function filterOf(ctx: Ctx, locationId: string | undefined): OrderFilter {
  const q = ctx.params.query;
  const time = (value: unknown) => (value === undefined ? undefined : Date.parse(String(value)));
  const filter: OrderFilter = {};
  if (locationId !== undefined) filter.locationId = locationId;
  if (q.status !== undefined) filter.status = q.status as OrderStatus;
  if (q.private_ref !== undefined) filter.privateRef = String(q.private_ref);
  if (q.created_by !== undefined) filter.createdBy = String(q.created_by);
  if (q.customer_id !== undefined) filter.customerId = String(q.customer_id);
  const after = time(q.after);
  const before = time(q.before);
  if (after !== undefined) filter.after = after;
  if (before !== undefined) filter.before = before;
  return filter;
}

function listLocationOrders(ctx: Ctx) {
  const location = locationOf(ctx);
  if (!location) return notFound();
  return listAnswer(ctx, ctx.state.orders.pager(filterOf(ctx, location.id)), presentOrder);
}

function listAccountOrders(ctx: Ctx) {
  if (!accountMatches(ctx)) return notFound();
  return listAnswer(ctx, ctx.state.orders.pager(filterOf(ctx, undefined)), presentOrder);
}

/** The order of the request's path, at the request's location. */
export function orderOf(ctx: Ctx): Order | undefined {
  const location = locationOf(ctx);
  const order = ctx.state.orders.get(ctx.params.path.order_id as string);
  return location && order?.location_id === location.id ? order : undefined;
}

/** The customer lists a location sees: its own and the account's. */
export function listsSeenBy(state: HubriseState, locationId: string): CustomerListRecord[] {
  return [
    ...state.customerLists.values(
      (l) =>
        ("location_id" in l.owner && l.owner.location_id === locationId) || "account_id" in l.owner,
    ),
  ];
}

/** The customer an order is given, or the field errors. */
function attachedCustomer(
  ctx: Ctx,
  body: OrderCreate,
  locationId: string,
): { customer?: Customer; list?: CustomerListRecord; errors?: FieldError[] } {
  const given = [body.customer_id, body.customer_list_id, body.customer].filter(
    (v) => v !== undefined,
  );
  if (given.length > 1) {
    return {
      errors: [
        {
          field: "customer",
          message: "give one of customer_id, customer_list_id with customer_private_ref, customer",
        },
      ],
    };
  }
  const lists = listsSeenBy(ctx.state, locationId);
  if (body.customer_id !== undefined) {
    for (const list of lists) {
      const customer = list.customers.get(body.customer_id);
      if (customer) return { customer, list };
    }
    return {
      errors: [{ field: "customer_id", message: "is not a customer of a list this location sees" }],
    };
  }
  if (body.customer_list_id !== undefined) {
    const list = lists.find((l) => l.list.id === body.customer_list_id);
    if (!list)
      return {
        errors: [{ field: "customer_list_id", message: "is not a list this location sees" }],
      };
    for (const customer of list.customers.values(
      (c) => c.private_ref === body.customer_private_ref,
    )) {
      return { customer, list };
    }
    return {
      errors: [{ field: "customer_private_ref", message: "is not a customer of the list" }],
    };
  }
  return {};
}

/** Every amount of an order's elements, with its field, for the currency check. */
function amountsOf(body: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const fields = ["price", "subtotal", "price_off", "amount"];
  for (const collection of COLLECTIONS) {
    const elements = (body[collection] ?? []) as Element[];
    elements.forEach((element, i) => {
      for (const f of fields) {
        if (typeof element[f] === "string")
          out.push([`${collection}[${i}].${f}`, element[f] as string]);
      }
      ((element.options ?? []) as Element[]).forEach((option, j) => {
        if (typeof option.price === "string")
          out.push([`${collection}[${i}].options[${j}].price`, option.price]);
      });
    });
  }
  return out;
}

/** An element as HubRise stores it: an id, `deleted: false`, and the computed and deprecated fields. */
function newElement(
  state: HubriseState,
  collection: (typeof COLLECTIONS)[number],
  input: Element,
  currency: string,
) {
  const id = state.ids.elements.fresh();
  switch (collection) {
    case "items": {
      const item = input as unknown as OrderItem;
      const options = (item.options ?? []).map((o) => ({ ...o, quantity: o.quantity ?? 1 }));
      const unit =
        (parseMoney(item.price)?.cents ?? 0) +
        options.reduce(
          (sum, o) => sum + (o.removed ? 0 : (parseMoney(o.price ?? "")?.cents ?? 0) * o.quantity),
          0,
        );
      const subtotal = Math.round((unit * parseDecimal(item.quantity)) / 1000);
      return {
        id,
        private_ref: item.private_ref ?? null,
        product_name: item.product_name,
        sku_name: item.sku_name ?? null,
        sku_ref: item.sku_ref ?? null,
        price: item.price,
        quantity: item.quantity,
        subtotal: money(subtotal, currency),
        tax_rate: item.tax_rate ?? null,
        customer_notes: item.customer_notes ?? null,
        points_earned: item.points_earned ?? null,
        points_used: item.points_used ?? null,
        options,
        deleted: false,
        ...(item.deal_line
          ? {
              deal_line: {
                label: null,
                pricing_effect: null,
                pricing_value: null,
                ...item.deal_line,
                position: null,
              },
            }
          : {}),
      };
    }
    case "discounts":
      return {
        id,
        private_ref: input.private_ref ?? null,
        name: input.name,
        ref: input.ref ?? null,
        price_off: input.price_off,
        deleted: false,
        pricing_effect: "price_off",
        pricing_value: input.price_off,
      };
    case "charges":
      return {
        id,
        private_ref: input.private_ref ?? null,
        name: input.name,
        ref: input.ref ?? null,
        price: input.price,
        tax_rate: input.tax_rate ?? null,
        deleted: false,
        type: "other",
        charge_type: "other",
        charge_ref: input.ref ?? null,
        charge_price: input.price,
      };
    case "payments":
      return {
        id,
        private_ref: input.private_ref ?? null,
        name: input.name ?? null,
        ref: input.ref ?? null,
        amount: input.amount,
        info: input.info ?? null,
        deleted: false,
        type: null,
      };
  }
}

/** The order's total as HubRise computes it: items and charges, less discounts (deleted ones aside). */
function totalOf(order: Order, currency: string): string {
  const sum = (elements: { deleted?: boolean }[] | undefined, field: string) =>
    (elements ?? []).reduce(
      (total, e) =>
        total +
        (e.deleted
          ? 0
          : (parseMoney(String((e as Record<string, unknown>)[field] ?? ""))?.cents ?? 0)),
      0,
    );
  return money(
    sum(order.items, "subtotal") + sum(order.charges, "price") - sum(order.discounts, "price_off"),
    currency,
  );
}

function customerSnapshot(customer: Customer, list: CustomerListRecord): OrderCustomer {
  return { ...customer, customer_list_id: list.list.id };
}

/** The customer's figures once an order is placed for them. */
function countOrder(list: CustomerListRecord, customer: Customer, order: Order, currency: string) {
  const total =
    (parseMoney(customer.order_total ?? "")?.cents ?? 0) + (parseMoney(order.total)?.cents ?? 0);
  list.customers.replace(customer.id, {
    ...customer,
    nb_orders: (customer.nb_orders ?? 0) + 1,
    order_total: money(total, currency),
    first_order_date: customer.first_order_date ?? order.created_at,
    last_order_date: order.created_at,
  });
}

function createOrder(ctx: Ctx) {
  const location = locationOf(ctx);
  if (!location) return notFound();
  const { state } = ctx;
  const connection = connectionOf(ctx);
  const body = bodyOf<OrderCreate>(ctx);
  const currency = state.account.currency;
  const errors: FieldError[] = [];
  for (const [field, amount] of amountsOf(body as Record<string, unknown>)) {
    if (parseMoney(amount)?.currency !== currency)
      errors.push({ field, message: `must be in ${currency}` });
  }
  const dealKeys = Object.keys(body.deals ?? {});
  (body.items ?? []).forEach((item, i) => {
    if (item.deal_line && !dealKeys.includes(item.deal_line.deal_key)) {
      errors.push({ field: `items[${i}].deal_line.deal_key`, message: "is not a key of deals" });
    }
  });
  const attached = attachedCustomer(ctx, body, location.id);
  errors.push(...(attached.errors ?? []));
  if ((body.loyalty_operations ?? []).length > 0 && !attached.customer) {
    errors.push({ field: "loyalty_operations", message: "need a customer attached to the order" });
  }
  if (errors.length > 0) return unprocessable(errors);

  // HubRise renumbers the deals "0", "1", … and the items' deal keys with them.
  const renumber = new Map(dealKeys.map((key, i) => [key, String(i)]));
  const deals = Object.fromEntries(dealKeys.map((key, i) => [String(i), body.deals![key]!]));
  const now = ctx.now;
  const time = hubriseTime(now, TIME_ZONE);
  const order: Order = {
    id: state.ids.orders.fresh(),
    location_id: location.id,
    channel: body.channel ?? connection.clientName,
    ref: body.ref ?? null,
    private_ref: body.private_ref ?? null,
    status: body.status,
    service_type: body.service_type ?? null,
    service_type_ref: body.service_type_ref ?? null,
    created_at: time,
    created_by: connection.clientName,
    expected_time: body.expected_time ?? null,
    expected_time_pickup: body.expected_time_pickup ?? false,
    asap: body.asap ?? body.expected_time === undefined,
    confirmed_time: body.confirmed_time ?? null,
    customer_notes: body.customer_notes ?? null,
    seller_notes: body.seller_notes ?? null,
    collection_code: body.collection_code ?? null,
    coupon_codes: body.coupon_codes ?? [],
    total: "0.00 EUR",
    items: (body.items ?? []).map((item) => {
      const element = newElement(state, "items", item as unknown as Element, currency) as OrderItem;
      if (element.deal_line) element.deal_line.deal_key = renumber.get(element.deal_line.deal_key)!;
      return element;
    }),
    deals,
    discounts: (body.discounts ?? []).map((d) =>
      newElement(state, "discounts", d as Element, currency),
    ) as Order["discounts"],
    charges: (body.charges ?? []).map((c) =>
      newElement(state, "charges", c as Element, currency),
    ) as Order["charges"],
    payments: (body.payments ?? []).map((p) =>
      newElement(state, "payments", p as Element, currency),
    ) as Order["payments"],
    loyalty_operations: body.loyalty_operations ?? [],
    custom_fields: body.custom_fields ?? {},
  };
  order.total = totalOf(order, currency);
  if (attached.customer && attached.list) {
    order.customer = customerSnapshot(attached.customer, attached.list);
    countOrder(attached.list, attached.customer, order, currency);
    for (const op of body.loyalty_operations ?? []) {
      applyLoyalty(state, attached.list, attached.customer, op, order, now);
    }
  } else if (body.customer) {
    order.customer = { ...body.customer, id: null, customer_list_id: null, anonymised: false };
  }
  state.orders.insert(order);
  state.callbacks.emit(connection, {
    resource_type: "order",
    event_type: "create",
    order_id: order.id,
    location_id: order.location_id,
    account_id: state.account.id,
    new_state: presentOrder(order),
  });
  return ok(presentOrder(order));
}

/** An order's loyalty operation: on the customer's card with that ref, made if missing (Orders §9). */
function applyLoyalty(
  state: HubriseState,
  list: CustomerListRecord,
  customer: Customer,
  op: HubriseSchema<"OrderLoyaltyOperation">,
  order: Order,
  now: number,
) {
  const ref = op.ref ?? null;
  const cardIds = list.cardsByCustomer.get(customer.id) ?? [];
  let card = cardIds.map((id) => list.cards.get(id)!).find((c) => (c.ref ?? null) === ref);
  if (!card) {
    card = list.cards.insert({
      id: state.ids.loyaltyCards.fresh(),
      customer_id: customer.id,
      name: null,
      ref,
      balance: "0.0",
    });
    list.cardsByCustomer.set(customer.id, [...cardIds, card.id]);
    list.operations.set(card.id, []);
  }
  const balance = parseDecimal(card.balance) + parseDecimal(op.delta);
  list.cards.replace(card.id, { ...card, balance: decimal(balance) });
  list.operations.get(card.id)!.push({
    id: state.ids.loyaltyOperations.fresh(),
    customer_id: customer.id,
    created_at: hubriseTime(now, TIME_ZONE),
    order_location_id: order.location_id,
    order_id: order.id,
    reason: op.reason ?? null,
    delta: decimal(parseDecimal(op.delta)),
    new_balance: decimal(balance),
  });
}

function updateOrder(ctx: Ctx) {
  const order = orderOf(ctx);
  if (!order) return notFound();
  const { state } = ctx;
  const currency = state.account.currency;
  const update = bodyOf<OrderUpdate>(ctx);
  const errors: FieldError[] = [];
  for (const [field, amount] of amountsOf(update as Record<string, unknown>)) {
    if (parseMoney(amount)?.currency !== currency)
      errors.push({ field, message: `must be in ${currency}` });
  }
  const updated: Order = { ...order };
  for (const collection of COLLECTIONS) {
    const changes = update[collection] as Element[] | undefined;
    if (!changes) continue;
    const elements = [...((order[collection] ?? []) as Element[])];
    changes.forEach((change, i) => {
      if (change.id === undefined) {
        elements.push(newElement(state, collection, change, currency) as Element);
        return;
      }
      const at = elements.findIndex((e) => e.id === change.id);
      if (at < 0) {
        errors.push({ field: `${collection}[${i}].id`, message: "is not an element of the order" });
        return;
      }
      elements[at] =
        change.deleted === true
          ? { ...elements[at]!, deleted: true }
          : { ...elements[at]!, private_ref: change.private_ref ?? null };
    });
    (updated as Record<string, unknown>)[collection] = elements;
  }
  if (errors.length > 0) return unprocessable(errors);
  if (update.status !== undefined) updated.status = update.status;
  if (update.confirmed_time !== undefined) updated.confirmed_time = update.confirmed_time;
  if (update.seller_notes !== undefined) updated.seller_notes = update.seller_notes;
  if (update.collection_code !== undefined) updated.collection_code = update.collection_code;
  if (update.private_ref !== undefined) updated.private_ref = update.private_ref;
  if (update.custom_fields !== undefined) {
    updated.custom_fields = mergeCustomFields(order.custom_fields, update.custom_fields);
  }
  updated.total = totalOf(updated, currency);
  state.orders.replace(updated);
  emitOrderUpdate(ctx, order, updated);
  return ok(presentOrder(updated));
}

export function emitOrderUpdate(ctx: Ctx, previous: Order, updated: Order) {
  ctx.state.callbacks.emit(ctx.principal ?? undefined, {
    resource_type: "order",
    event_type: "update",
    order_id: updated.id,
    location_id: updated.location_id,
    account_id: ctx.state.account.id,
    previous_state: presentOrder(previous),
    new_state: presentOrder(updated),
  });
}

function getOrder(ctx: Ctx) {
  const order = orderOf(ctx);
  return order ? ok(presentOrder(order)) : notFound();
}

export const orderHandlers: Record<string, Handler> = {
  listLocationOrders,
  listCurrentLocationOrders: listLocationOrders,
  listAccountOrders,
  listCurrentAccountOrders: listAccountOrders,
  createLocationOrder: createOrder,
  createCurrentLocationOrder: createOrder,
  getLocationOrder: getOrder,
  getCurrentLocationOrder: getOrder,
  updateLocationOrder: updateOrder,
  updateCurrentLocationOrder: updateOrder,
  updateLocationOrderWithPut: updateOrder,
  updateCurrentLocationOrderWithPut: updateOrder,
};
