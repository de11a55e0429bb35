// Customers: the list (250 a page, without addresses), a customer read (a one-element array, with
// its addresses), creation from the `customers_*` names (reads answer the unprefixed ones), the
// search by email or last name, one-attribute updates, deletion, what a customer bought, their
// sales, addresses and prepaid purchases.
import { notFound, unprocessable } from "../errors.js";
import { money } from "../format.js";
import { collectionSource, pagedAnswer } from "../paging.js";
import type { Customer, Row } from "../records.js";
import { isOpen, saleSearchSummary } from "../sales.js";
import { bodyOf, type Ctx, done, type Handler, ok, pathInt, text } from "./common.js";

/** A customer as the list shows it (the addresses come with `GET /customer/{customers_id}`). */
function customerRow(customer: Customer): Customer {
  const { addresses: _, ...row } = customer;
  return row as Customer;
}

/** Create names (`customers_phone_number`) → the names reads answer (`phone`). */
const CREATE_FIELDS: Record<string, string> = {
  customers_first_name: "first_name",
  customers_last_name: "last_name",
  customers_email: "email",
  customers_company: "company",
  customers_country: "country",
  customers_tax_number: "vat",
  customers_phone_number: "phone",
  customers_birth_date: "date_of_birth",
  customers_ref_ext: "customers_ref_ext",
  customers_misc: "customers_misc",
};
/** What `PUT /customer/{customers_id}` changes: a create name or the name reads answer. */
const WRITABLE = new Set([...Object.keys(CREATE_FIELDS), ...Object.values(CREATE_FIELDS)]);

function customerOr404(ctx: Ctx): Customer | ReturnType<typeof notFound> {
  const id = pathInt(ctx, "customers_id");
  return ctx.state.customers.get(String(id)) ?? notFound(`No customer ${id}`);
}
const isCustomer = (value: unknown): value is Customer =>
  typeof (value as Customer).customers_id === "number";

/** The closed sales of a customer, in order. */
function salesOf(ctx: Ctx, customerId: number) {
  return ctx.state.sales.values((s) => s.customer_id === customerId);
}

export const customerHandlers: Record<string, Handler> = {
  listCustomers: (ctx) =>
    pagedAnswer(ctx, collectionSource(ctx.state.customers, customerRow), ctx.state.pageSize),

  createCustomer(ctx) {
    const { state } = ctx;
    const body = bodyOf(ctx);
    let id = state.next.customer;
    while (state.customers.has(String(id))) id++;
    state.next.customer = id + 1;
    const customer: Customer = {
      customers_id: id,
      last_name: "",
      first_name: "",
      company: "",
      email: "",
      phone: "",
      country: "",
      vat: "",
      date_of_birth: "0000-00-00",
      customers_ref_ext: "",
      addresses: [],
    };
    for (const [field, name] of Object.entries(CREATE_FIELDS)) {
      const value = text(body, field);
      if (value !== undefined) customer[name] = value;
    }
    state.customers.insert(customer);
    state.emit("customer", customerRow(customer));
    return ok({ customers_id: id });
  },

  /**
   * By `email` and/or `last_name`, whole values ignoring case (GAP: exact or partial matching is
   * not documented); `[]` without either.
   */
  searchCustomers(ctx) {
    const email = (ctx.params.query.email as string | undefined)?.toLowerCase();
    const last = (ctx.params.query.last_name as string | undefined)?.toLowerCase();
    if (email === undefined && last === undefined) return ok([]);
    const found = ctx.state.customers.values(
      (c) =>
        (email === undefined || String(c.email ?? "").toLowerCase() === email) &&
        (last === undefined || String(c.last_name ?? "").toLowerCase() === last),
    );
    return ok(Array.from(found, customerRow));
  },

  getCustomer(ctx) {
    const customer = customerOr404(ctx);
    return isCustomer(customer)
      ? ok([{ ...customer, addresses: customer.addresses ?? [] }])
      : customer;
  },

  updateCustomerAttribute(ctx) {
    const customer = customerOr404(ctx);
    if (!isCustomer(customer)) return customer;
    const body = bodyOf(ctx);
    const attribute = String(body.customers_attribute);
    if (!WRITABLE.has(attribute)) {
      return unprocessable({
        customers_attribute: `"${attribute}" is not a field that can be changed (${[...WRITABLE].join(", ")})`,
      });
    }
    const name = CREATE_FIELDS[attribute] ?? attribute;
    const value = String(body.new_value);
    if (name === "date_of_birth" && !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) {
      return unprocessable({ new_value: "a birth date is YYYY-MM-DD" });
    }
    const changed: Customer = { ...customer, [name]: value };
    ctx.state.customers.replace(String(customer.customers_id), changed);
    ctx.state.emit("customer", customerRow(changed));
    return done();
  },

  deleteCustomer(ctx) {
    const customer = customerOr404(ctx);
    if (!isCustomer(customer)) return customer;
    ctx.state.customers.delete(String(customer.customers_id));
    ctx.state.emit("customer", { customers_id: customer.customers_id, deleted: 1 });
    return done();
  },

  /** Every line of the customer's closed sales (`products_solds`, the vendor's spelling). */
  listCustomerProductsSold(ctx) {
    const customer = customerOr404(ctx);
    if (!isCustomer(customer)) return customer;
    const rows: Row[] = [];
    for (const sale of salesOf(ctx, customer.customers_id)) {
      if (isOpen(sale)) continue;
      for (const line of sale.lines) {
        rows.push({
          product_id: line.product_id,
          product_size: line.product_size,
          quantity: line.quantity,
          product_model: line.product.product_model,
          product_price: money(line.price),
          points: line.points,
          sale_id: sale.sale_id,
          completed_at: sale.completed_at,
        });
      }
    }
    return ok(rows);
  },

  listCustomerSales(ctx) {
    const customer = customerOr404(ctx);
    if (!isCustomer(customer)) return customer;
    return ok(Array.from(salesOf(ctx, customer.customers_id), saleSearchSummary));
  },

  getCustomerAddress(ctx) {
    const id = pathInt(ctx, "address_id");
    for (const customer of ctx.state.customers.values()) {
      const address = customer.addresses?.find((a) => a.address_id === id);
      if (address) return ok([address]);
    }
    return notFound(`No customer address ${id}`);
  },

  listPrepaidPurchases: (ctx) => ok(ctx.state.prepaidPurchases),

  listCustomerPrepaidPurchases(ctx) {
    const customer = customerOr404(ctx);
    if (!isCustomer(customer)) return customer;
    return ok(ctx.state.prepaidPurchases.filter((p) => p.customers_id === customer.customers_id));
  },
};
