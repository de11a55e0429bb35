// Customer lists and customers (Customers documentation). A location sees its own lists and the
// account's; a location-level list's name is unique among its location's lists, an account-level
// list's among all the account's. Deleting a list deletes its customers and loyalty cards and
// fires no event. Customers: listed (a heavy query) and searched by `private_ref`, `email` and
// `phone` (`*` is a wildcard; a `+` must be sent as `%2B`, or it reads as a space); created with
// any fields (a private_ref is unique in its list); updated by PATCH or PUT alike; anonymised for
// good (the personal fields become null, later updates of them are silently ignored, and the
// customer's orders are anonymised too). Create fires `customer.create`, update and anonymise
// `customer.update` (anonymise also `order.update` for each of the customer's orders).
import type { HubriseSchema } from "../../index.js";
import { notFound, unprocessable } from "../errors.js";
import { hubriseTime, mergeCustomFields, money } from "../format.js";
import { arrayPager, collectionPager, listAnswer } from "../paging.js";
import { TIME_ZONE } from "../seed-account.js";
import { type Customer, type CustomerListRecord, emptyList, type Owner } from "../seed-people.js";
import type { HubriseState } from "../state.js";
import {
  accountMatches,
  bodyOf,
  connectionOf,
  type Ctx,
  type Handler,
  locationOf,
  ok,
} from "./common.js";
import { emitOrderUpdate, listsSeenBy } from "./orders.js";

type CustomerCreate = HubriseSchema<"CustomerCreate">;
type CustomerListCreate = HubriseSchema<"CustomerListCreate">;

/** What anonymisation empties (Customers §2.7). */
const PERSONAL = [
  "email",
  "first_name",
  "last_name",
  "gender",
  "birth_date",
  "company_name",
  "phone",
  "phone_access_code",
  "address_1",
  "address_2",
  "postal_code",
  "latitude",
  "longitude",
  "delivery_notes",
] as const;

export function listOf(ctx: Ctx): CustomerListRecord | undefined {
  return ctx.state.customerLists.get(ctx.params.path.customer_list_id as string);
}

/** A customer as the API shows it: with its loyalty cards. */
export function presentCustomer(list: CustomerListRecord, customer: Customer): Customer {
  const cards = (list.cardsByCustomer.get(customer.id) ?? []).flatMap((id) => {
    const card = list.cards.get(id);
    return card
      ? [{ id: card.id, ref: card.ref ?? null, name: card.name ?? null, balance: card.balance }]
      : [];
  });
  return { ...customer, loyalty_cards: cards };
}

function nameTaken(state: HubriseState, owner: Owner, name: string, except?: string): boolean {
  for (const _ of state.customerLists.values(
    (l) =>
      l.list.id !== except &&
      l.list.name === name &&
      ("account_id" in owner ||
        "account_id" in l.owner ||
        l.owner.location_id === owner.location_id),
  )) {
    return true;
  }
  return false;
}

const duplicateName = () =>
  unprocessable([{ field: "name", message: "is already the name of another customer list" }]);

function createList(ctx: Ctx, owner: Owner) {
  const { state } = ctx;
  const { name } = bodyOf<CustomerListCreate>(ctx);
  if (nameTaken(state, owner, name)) return duplicateName();
  const record = emptyList(
    { id: state.ids.customerLists.fresh(), name, created_at: hubriseTime(ctx.now, TIME_ZONE) },
    owner,
  );
  state.customerLists.insert(record);
  return ok(record.list);
}

/** `*` matches anything; the rest is matched as written (emails without regard to case). */
function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, ignoreCase ? "i" : "");
}

function listCustomers(ctx: Ctx) {
  const list = listOf(ctx);
  if (!list) return notFound();
  const q = ctx.params.query;
  const email = q.email === undefined ? undefined : wildcard(String(q.email), true);
  const phone = q.phone === undefined ? undefined : wildcard(String(q.phone), false);
  const privateRef = q.private_ref === undefined ? undefined : String(q.private_ref);
  const keep = (c: Customer) =>
    (privateRef === undefined || c.private_ref === privateRef) &&
    (email === undefined || (c.email != null && email.test(c.email))) &&
    (phone === undefined || (c.phone != null && phone.test(c.phone)));
  const filtered = privateRef !== undefined || email !== undefined || phone !== undefined;
  return listAnswer(ctx, collectionPager(list.customers, filtered ? keep : undefined), (c) =>
    presentCustomer(list, c),
  );
}

function privateRefTaken(
  list: CustomerListRecord,
  ref: string | null | undefined,
  except?: string,
) {
  if (ref === null || ref === undefined) return false;
  for (const _ of list.customers.values((c) => c.private_ref === ref && c.id !== except))
    return true;
  return false;
}

function createCustomer(ctx: Ctx) {
  const list = listOf(ctx);
  if (!list) return notFound();
  const body = bodyOf<CustomerCreate>(ctx);
  if (privateRefTaken(list, body.private_ref)) {
    return unprocessable([
      { field: "private_ref", message: "is already used in this customer list" },
    ]);
  }
  const customer: Customer = {
    id: ctx.state.ids.customers.fresh(),
    customer_list_id: list.list.id,
    anonymised: false,
    private_ref: null,
    email: null,
    first_name: null,
    last_name: null,
    gender: null,
    birth_date: null,
    company_name: null,
    phone: null,
    phone_access_code: null,
    address_1: null,
    address_2: null,
    postal_code: null,
    city: null,
    state: null,
    country: null,
    latitude: null,
    longitude: null,
    delivery_notes: null,
    sms_marketing: false,
    email_marketing: false,
    custom_fields: {},
    ...body,
    nb_orders: 0,
    order_total: money(0, ctx.state.account.currency),
    first_order_date: null,
    last_order_date: null,
  };
  list.customers.insert(customer);
  const shown = presentCustomer(list, customer);
  ctx.state.callbacks.emit(connectionOf(ctx), {
    resource_type: "customer",
    event_type: "create",
    customer_id: customer.id,
    customer_list_id: list.list.id,
    new_state: shown,
  });
  return ok(shown);
}

function emitCustomerUpdate(
  ctx: Ctx,
  list: CustomerListRecord,
  previous: Customer,
  updated: Customer,
) {
  ctx.state.callbacks.emit(connectionOf(ctx), {
    resource_type: "customer",
    event_type: "update",
    customer_id: updated.id,
    customer_list_id: list.list.id,
    previous_state: presentCustomer(list, previous),
    new_state: presentCustomer(list, updated),
  });
}

function updateCustomer(ctx: Ctx) {
  const list = listOf(ctx);
  const customer = list?.customers.get(ctx.params.path.customer_id as string);
  if (!list || !customer) return notFound();
  const body = { ...bodyOf<CustomerCreate>(ctx) } as Record<string, unknown>;
  if (privateRefTaken(list, body.private_ref as string | null | undefined, customer.id)) {
    return unprocessable([
      { field: "private_ref", message: "is already used in this customer list" },
    ]);
  }
  // An anonymised customer's personal fields stay null: updates of them are silently ignored.
  if (customer.anonymised) for (const field of PERSONAL) delete body[field];
  const { custom_fields, ...fields } = body;
  const updated: Customer = {
    ...customer,
    ...fields,
    ...(custom_fields
      ? {
          custom_fields: mergeCustomFields(
            customer.custom_fields,
            custom_fields as Record<string, unknown>,
          ),
        }
      : {}),
  };
  list.customers.replace(customer.id, updated);
  emitCustomerUpdate(ctx, list, customer, updated);
  return ok(presentCustomer(list, updated));
}

function anonymiseCustomer(ctx: Ctx) {
  const list = listOf(ctx);
  const customer = list?.customers.get(ctx.params.path.customer_id as string);
  if (!list || !customer) return notFound();
  const cleared = Object.fromEntries(PERSONAL.map((f) => [f, null]));
  const updated: Customer = { ...customer, ...cleared, anonymised: true };
  list.customers.replace(customer.id, updated);
  emitCustomerUpdate(ctx, list, customer, updated);
  const { orders } = ctx.state;
  for (const order of [...orders.ofCustomer(customer.id)]) {
    const anonymised = { ...order, customer: { ...order.customer, ...cleared, anonymised: true } };
    orders.replace(anonymised);
    emitOrderUpdate(ctx, order, anonymised);
  }
  return ok();
}

function listLocationLists(ctx: Ctx) {
  const location = locationOf(ctx);
  if (!location) return notFound();
  return listAnswer(ctx, arrayPager(listsSeenBy(ctx.state, location.id)), (l) => l.list);
}

function listAccountLists(ctx: Ctx) {
  if (!accountMatches(ctx)) return notFound();
  const lists = [...ctx.state.customerLists.values((l) => "account_id" in l.owner)];
  return listAnswer(ctx, arrayPager(lists), (l) => l.list);
}

function createLocationList(ctx: Ctx) {
  const location = locationOf(ctx);
  return location ? createList(ctx, { location_id: location.id }) : notFound();
}

function createAccountList(ctx: Ctx) {
  return accountMatches(ctx) ? createList(ctx, { account_id: ctx.state.account.id }) : notFound();
}

export const customerHandlers: Record<string, Handler> = {
  listLocationCustomerLists: listLocationLists,
  listCurrentLocationCustomerLists: listLocationLists,
  listAccountCustomerLists: listAccountLists,
  listCurrentAccountCustomerLists: listAccountLists,
  createLocationCustomerList: createLocationList,
  createCurrentLocationCustomerList: createLocationList,
  createAccountCustomerList: createAccountList,
  createCurrentAccountCustomerList: createAccountList,
  getCustomerList(ctx) {
    const list = listOf(ctx);
    return list ? ok(list.list) : notFound();
  },
  updateCustomerList(ctx) {
    const list = listOf(ctx);
    if (!list) return notFound();
    const { name } = bodyOf<{ name?: string }>(ctx);
    if (name !== undefined && nameTaken(ctx.state, list.owner, name, list.list.id))
      return duplicateName();
    const updated = { ...list, list: { ...list.list, ...(name === undefined ? {} : { name }) } };
    ctx.state.customerLists.replace(list.list.id, updated);
    return ok(updated.list);
  },
  deleteCustomerList(ctx) {
    const list = listOf(ctx);
    if (!list) return notFound();
    ctx.state.customerLists.delete(list.list.id);
    return ok();
  },
  listCustomers,
  createCustomer,
  getCustomer(ctx) {
    const list = listOf(ctx);
    const customer = list?.customers.get(ctx.params.path.customer_id as string);
    return list && customer ? ok(presentCustomer(list, customer)) : notFound();
  },
  updateCustomer,
  updateCustomerWithPut: updateCustomer,
  anonymiseCustomer,
};
