// Hiboutik's webhooks: an app registers a URL per event (`webhook_action`) with `POST /webhooks`;
// when the state changes, Hiboutik POSTs the event to every URL registered for it, as a form
// (`application/x-www-form-urlencoded`, nested data in PHP bracket notation, every value text), with
// no signature (the vendor documents none). The sandbox sends, through its outbox (one delivery at
// a time, in order):
// - `sale` when a sale is closed (and for the reversing sale of a void): the payload the
//   description gives (the sale as read, the legacy aliases, the store's address, the stock after
//   the sale, `current_date`);
// - `sale_item` when a line is added to a sale, `payment` when a sale's payment changes,
//   `customer` and `product` when one is created, changed or deleted. Their payloads are not
//   documented (GAP): the sandbox sends the record as the API reads it, with the sale's id for
//   lines and payments, and `deleted=1` for a deletion.
// Hiboutik waits for the receiver's answer unless the webhook is asynchronous; the sandbox always
// answers the API call first and delivers right after (GAP: a slow receiver never slows the API).
import type { Outbox } from "../../sandbox/outbox.js";
import { dateParts, localDateTime, money, vatPercent } from "./format.js";
import type { HiboutikState, Row, SaleRecord } from "./records.js";
import { renderSale, saleTotals } from "./sales.js";
import { stockRows } from "./stock.js";

/**
 * A value as PHP's http_build_query writes it: nested lists and objects in bracket notation
 * (`line_items[0][product_id]=30`), numbers as their text, booleans as 1 and 0, null left out, an
 * empty list as an empty field (`sale_tags=`, as Hiboutik sends it).
 */
export function phpForm(fields: Row): string {
  const form = new URLSearchParams();
  const add = (name: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.length === 0) form.append(name, "");
      else value.forEach((item, i) => add(`${name}[${i}]`, item));
    } else if (typeof value === "object") {
      for (const [key, item] of Object.entries(value)) add(`${name}[${key}]`, item);
    } else if (typeof value === "boolean") form.append(name, value ? "1" : "0");
    else form.append(name, String(value));
  };
  for (const [name, value] of Object.entries(fields)) add(name, value);
  return form.toString();
}

/** Delivers `fields` to every webhook registered for `action`. */
export function webhookEmitter(state: () => HiboutikState, outbox: Outbox) {
  return (action: string, fields: Row) => {
    for (const webhook of state().webhooks) {
      if (webhook.webhook_action !== action || typeof webhook.webhook_url !== "string") continue;
      void outbox.post(webhook.webhook_url, phpForm(fields), {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "Hiboutik-sandbox",
      });
    }
  };
}

/**
 * A list as the form carries it: a list with no element is left out entirely (only the tag lists
 * arrive as an empty field).
 */
const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);

/** The `sale` webhook's payload for a closed sale. */
export function saleWebhookPayload(state: HiboutikState, sale: SaleRecord, now: number): Row {
  const read = renderSale(state, sale) as Row;
  const totals = saleTotals(sale);
  const store = state.stores.find((s) => s.store_id === sale.store_id);
  const completed = dateParts(sale.completed_at);
  const today = dateParts(localDateTime(now, state.timeZone));
  const nth = Number(sale.unique_sale_id.split("-").at(-1)) || 0;
  const lines = (read.line_items as Row[]).map((item, i) => {
    const line = sale.lines[i]!;
    const category = state.categories.find((c) => c.category_id === line.product.product_category);
    const size = state.sizeTypes
      .get(line.product.product_size_type)
      ?.find((s) => s.size_id === line.product_size);
    return {
      ...item,
      category_name: category?.category_name ?? "",
      size_name: size?.size_name ?? "",
      stock_available: nonEmpty(
        stockRows(state, line.product_id, line.product_size).map((row) => ({
          warehouse_id: row.warehouse_id,
          stock_available: row.stock_available,
          inventory_alert: row.inventory_alert,
        })),
      ),
    };
  });
  return {
    order_id: sale.sale_id,
    ...read,
    unique_order_id: `${completed.yyyy}-${completed.mm}-${sale.store_id}-`,
    shop_id: sale.store_id,
    user_id: sale.vendor_id,
    date_time: sale.completed_at,
    invoice_id: "",
    payment_ext: "",
    eu_vat_code: sale.duty_free ? "E" : "S",
    sale_key: `sandbox${String(sale.sale_id).padStart(8, "0")}`,
    quotation: sale.quotation,
    sale_misc: "",
    sale_num_fac: "",
    sale_conditions: "",
    sale_language: "fr",
    pickup_date_utc: sale.pickup_date,
    nth_closed_store: nth,
    account_status: 0,
    completed_at_yyyymmddhhmmss: `${completed.yyyy}${completed.mm}${completed.dd}${completed.hh}${completed.min}${completed.ss}`,
    current_date: today.date,
    current_date_yyyy: today.yyyy,
    current_date_mm: today.mm,
    current_date_dd: today.dd,
    line_items: nonEmpty(lines),
    payment_details: nonEmpty((read.payment_details as Row[] | undefined) ?? []),
    cash_flow: nonEmpty((read.cash_flow as Row[] | undefined) ?? []),
    sale_total_discount_net: money(0),
    sale_total_discount_tax: money(0),
    sale_total_discount_gross: money(0),
    sale_total_net_wo_discount: money(totals.net),
    sale_total_gross_wo_discount: money(totals.gross),
    taxes: nonEmpty(
      [...totals.byVat].map(([vat, rate], i) => ({
        tax_value: vat,
        tax_value_p: `${vatPercent(vat)}%`,
        tax_label: rate.label,
        tax_accounting_account: "",
        total_net: money(rate.net),
        total_vat: money(rate.gross - rate.net),
        total_gross: money(rate.gross),
        tax_letter_id: String.fromCharCode(65 + i),
      })),
    ),
    taxes_conc: [...totals.byVat]
      .map(([vat, rate]) => `${vatPercent(vat)}%: ${money(rate.gross - rate.net)}`)
      .join(" "),
    store_address: {
      company: String(store?.store_name ?? ""),
      address: "1 place du Marché",
      zippostal_code: "75001",
      city: "Paris",
      country: "FRA",
      tax_number: "",
      company_number: "",
      legal_status: "",
      code_naf: "",
      email: "",
      phone: "",
      iban: "",
    },
    logo_account: "",
    hiboutik_version: "sandbox",
  };
}

/** The payload of a `sale_item` or `payment` event: the sale's id and what changed. */
export function saleEventPayload(sale: SaleRecord, extra: Row): Row {
  return {
    sale_id: sale.sale_id,
    store_id: sale.store_id,
    customer_id: sale.customer_id,
    payment: sale.payment,
    total: money(saleTotals(sale).gross),
    ...extra,
  };
}
