// A sale as Hiboutik reads it, rendered from what it is made of: each line's unit and total
// amounts with and without taxes, the totals per VAT rate, the sale's totals, the split payment
// lines and the balance, and the date parts of its dates (`date_z_mm: false` while it is open, as
// the vendor sends). Also: finding sales, lines and payment lines by id, saving a changed sale,
// and the stores' receipt numbers.
import {
  dateParts,
  flag,
  grossOf,
  money,
  netOf,
  vatPercent,
  ZERO_DATE,
  ZERO_DATE_TIME,
} from "./format.js";
import {
  type HiboutikState,
  LINES_PER_SALE,
  PAYMENTS_PER_SALE,
  type Row,
  type Sale,
  type SaleLine,
  type SaleLineItem,
  type SalePaymentLine,
  type SaleRecord,
} from "./records.js";

export const isOpen = (sale: SaleRecord) => sale.completed_at === ZERO_DATE_TIME;

export function findSale(state: HiboutikState, saleId: number): SaleRecord | undefined {
  return Number.isSafeInteger(saleId) && saleId > 0 ? state.sales.get(String(saleId)) : undefined;
}

/** Saves a sale changed in place (a seeded sale is kept aside from then on). */
export function saveSale(state: HiboutikState, sale: SaleRecord): void {
  if (!state.sales.replace(String(sale.sale_id), sale)) state.sales.insert(sale);
}

/** The sale a line belongs to, and the line. */
export function findLine(
  state: HiboutikState,
  lineId: number,
): { sale: SaleRecord; line: SaleLine } | undefined {
  const owner =
    state.lineOwner.get(lineId) ??
    (lineId <= state.seededSales * LINES_PER_SALE
      ? Math.floor((lineId - 1) / LINES_PER_SALE) + 1
      : undefined);
  const sale = owner === undefined ? undefined : findSale(state, owner);
  const line = sale?.lines.find((l) => l.line_item_id === lineId);
  return sale && line ? { sale, line } : undefined;
}

export function findPayment(
  state: HiboutikState,
  paymentId: number,
): { sale: SaleRecord; payment: SalePaymentLine } | undefined {
  const owner =
    state.paymentOwner.get(paymentId) ??
    (paymentId <= state.seededSales * PAYMENTS_PER_SALE
      ? Math.floor((paymentId - 1) / PAYMENTS_PER_SALE) + 1
      : undefined);
  const sale = owner === undefined ? undefined : findSale(state, owner);
  const payment = sale?.payments.find((p) => p.payment_detail_id === paymentId);
  return sale && payment ? { sale, payment } : undefined;
}

/** The next receipt number of a store in a month (`YYYY-MM`), after those already given. */
export function nextReceiptNumber(state: HiboutikState, storeId: number, month: string): number {
  const key = `${storeId}/${month}`;
  let last = state.receiptCounters.get(key);
  if (last === undefined) {
    last = 0;
    const prefix = `${month}-${storeId}-`;
    for (const sale of state.sales.values()) {
      if (sale.unique_sale_id.startsWith(prefix)) {
        last = Math.max(last, Number(sale.unique_sale_id.slice(prefix.length)) || 0);
      }
    }
  }
  state.receiptCounters.set(key, last + 1);
  return last + 1;
}

export interface LineAmounts {
  unitNet: number;
  unitTax: number;
  unitGross: number;
  unitDiscountGross: number;
  unitDiscountNet: number;
  totalNet: number;
  totalTax: number;
  totalGross: number;
}

/** A line's amounts in cents (its price includes taxes unless the sale says otherwise). */
export function lineAmounts(line: SaleLine, sale: SaleRecord): LineAmounts {
  const unitGross = sale.prices_without_taxes ? grossOf(line.price, line.vat) : line.price;
  const unitNet = sale.prices_without_taxes ? line.price : netOf(line.price, line.vat);
  const totalGross = unitGross * line.quantity;
  const totalNet = sale.prices_without_taxes
    ? line.price * line.quantity
    : netOf(totalGross, line.vat);
  // Hiboutik writes the discount as the catalogue price minus the price sold.
  const catalogue = line.product.catalogue_price;
  const unitDiscountGross =
    line.product_id !== 0 && unitGross >= 0 && catalogue > unitGross ? catalogue - unitGross : 0;
  return {
    unitNet,
    unitTax: unitGross - unitNet,
    unitGross,
    unitDiscountGross,
    unitDiscountNet: netOf(unitDiscountGross, line.vat),
    totalNet,
    totalTax: totalGross - totalNet,
    totalGross,
  };
}

export function saleTotals(sale: SaleRecord) {
  let net = 0;
  let gross = 0;
  const byVat = new Map<string, { label: string; net: number; gross: number }>();
  for (const line of sale.lines) {
    const a = lineAmounts(line, sale);
    net += a.totalNet;
    gross += a.totalGross;
    const rate = byVat.get(line.vat) ?? { label: line.tax_label, net: 0, gross: 0 };
    rate.net += a.totalNet;
    rate.gross += a.totalGross;
    byVat.set(line.vat, rate);
  }
  const paid = sale.payments.reduce((sum, p) => sum + p.payment_amount, 0);
  return { net, tax: gross - net, gross, byVat, paid };
}

const percentLabel = (vat: string) => `${vatPercent(vat)}%`;

export function renderLine(line: SaleLine, sale: SaleRecord): SaleLineItem {
  const a = lineAmounts(line, sale);
  const p = line.product;
  const discountPercentage =
    a.unitDiscountGross === 0
      ? 0
      : Math.round((a.unitDiscountGross * 10_000) / (a.unitGross + a.unitDiscountGross)) / 100;
  return {
    line_item_id: line.line_item_id,
    detail_commande_id: line.line_item_id,
    product_id: line.product_id,
    product_size: line.product_size,
    quantity: line.quantity,
    product_price: money(line.price),
    product_currency: line.currency,
    vat: line.vat,
    package: 0,
    points: line.points,
    discount: money(a.unitDiscountGross),
    stock_withdrawal: flag(line.stock_withdrawal),
    credit_note: line.credit_note,
    credit_note_id: line.credit_note_id,
    product_comments: line.product_comments,
    serial_number: line.serial_number,
    line_item_id_return: line.line_item_id_return,
    date_return: line.date_return,
    kitchen_pos: line.kitchen_pos,
    product_supply_price: money(p.product_supply_price),
    item_unit_net_wo_discount: money(a.unitNet + a.unitDiscountNet),
    item_unit_gross_wo_discount: money(a.unitGross + a.unitDiscountGross),
    item_unit_discount_net: money(a.unitDiscountNet),
    item_unit_discount_gross: money(a.unitDiscountGross),
    item_unit_net: money(a.unitNet),
    item_unit_tax: money(a.unitTax),
    item_unit_gross: money(a.unitGross),
    item_discount_net: money(a.unitDiscountNet * line.quantity),
    item_discount_tax: money((a.unitDiscountGross - a.unitDiscountNet) * line.quantity),
    item_discount_gross: money(a.unitDiscountGross * line.quantity),
    item_discount_percentage: discountPercentage.toFixed(2),
    item_discount_percentage_round_0: String(Math.round(discountPercentage)),
    item_total_net: money(a.totalNet),
    item_total_tax: money(a.totalTax),
    item_total_gross: money(a.totalGross),
    tax_label: line.tax_label,
    tax_value: vatPercent(line.vat),
    product_model: p.product_model,
    product_barcode: p.product_barcode,
    product_brand: p.product_brand,
    product_supplier: p.product_supplier,
    product_category: p.product_category,
    product_size_type: p.product_size_type,
    product_package: p.product_package,
    product_stock_management: flag(p.product_stock_management),
    product_supplier_reference: p.product_supplier_reference,
    product_desc: p.product_desc,
    storage_location: p.storage_location,
    product_arch: flag(p.product_arch),
    products_ref_ext: p.products_ref_ext,
    multiple: p.multiple,
    tags: [],
    modifiers: [],
    modifiers_conc: "",
    multiple_quantity: line.quantity * p.multiple,
    multiple_product_price: a.unitGross / 100,
  };
}

export function renderSale(state: HiboutikState, sale: SaleRecord): Sale {
  const totals = saleTotals(sale);
  const created = dateParts(sale.created_at);
  const completed = dateParts(sale.completed_at);
  const pickup = dateParts(sale.pickup_date);
  const open = isOpen(sale);
  const z = String(sale.date_z);
  const vendor = state.users.find((u) => u.user_id === sale.vendor_id);
  const out: Sale = {
    sale_id: sale.sale_id,
    created_at: sale.created_at,
    completed_at: sale.completed_at,
    store_id: sale.store_id,
    vendor_id: sale.vendor_id,
    unique_sale_id: sale.unique_sale_id,
    customer_id: sale.customer_id,
    currency: sale.currency,
    total: money(totals.gross),
    billing_address: sale.billing_address,
    shipping_address: sale.shipping_address,
    payment: sale.payment,
    without_taxes: sale.without_taxes,
    prices_without_taxes: flag(sale.prices_without_taxes),
    ressource_id: sale.ressource_id,
    points: sale.points,
    sale_ext_ref: sale.sale_ext_ref,
    service_charge: money(sale.service_charge),
    guests_number: sale.guests_number,
    takeaway: sale.takeaway,
    shipping_ref: sale.shipping_ref,
    customs_duty: money(sale.customs_duty),
    vat_number: sale.vat_number,
    date_z: sale.date_z,
    pickup_date: sale.pickup_date,
    cash_tendered: money(sale.cash_tendered),
    completed_at_date: open ? ZERO_DATE : completed.date,
    created_at_date: created.date,
    created_at_date_yyyy: created.yyyy,
    created_at_date_mm: created.mm,
    created_at_date_dd: created.dd,
    created_at_date_hh: created.hh,
    created_at_date_min: created.min,
    created_at_date_ss: created.ss,
    completed_at_date_yyyy: completed.yyyy,
    completed_at_date_mm: completed.mm,
    completed_at_date_dd: completed.dd,
    completed_at_date_hh: completed.hh,
    completed_at_date_min: completed.min,
    completed_at_date_ss: completed.ss,
    date_z_yyyy: sale.date_z === 0 ? "0" : z.slice(0, 4),
    date_z_mm: sale.date_z === 0 ? false : z.slice(4, 6),
    date_z_dd: sale.date_z === 0 ? false : z.slice(6, 8),
    pickup_date_yyyy: pickup.yyyy,
    pickup_date_mm: pickup.mm,
    pickup_date_dd: pickup.dd,
    pickup_date_hh: pickup.hh,
    pickup_date_min: pickup.min,
    pickup_date_ss: pickup.ss,
    line_items: sale.lines.map((line) => renderLine(line, sale)),
    sale_total_net: money(totals.net),
    sale_total_tax: money(totals.tax),
    sale_total_gross: money(totals.gross),
    sale_total_quantity: sale.lines.length,
    taxes: [...totals.byVat].map(([vat, rate]) => ({
      tax_value: vat,
      tax_value_p: percentLabel(vat),
      tax_label: rate.label,
      tax_accounting_account: "",
      total_net: money(rate.net),
      total_vat: money(rate.gross - rate.net),
      total_gross: money(rate.gross),
    })),
    sale_tags: sale.sale_tags,
    closed_day: sale.closed_day,
    payment_accounting_account: sale.payment_accounting_account,
    vendor_last_name: String(vendor?.user_last_name ?? ""),
    vendor_first_name: String(vendor?.user_first_name ?? ""),
    warehouse_id: sale.warehouse_id,
    payment_total: money(sale.payment === "DIV" ? totals.paid : open ? 0 : totals.gross),
  };
  if (sale.payment === "DIV") {
    out.payment_details = sale.payments.map((p) => ({
      payment_detail_id: p.payment_detail_id,
      payment_type: p.payment_type,
      payment_amount: money(p.payment_amount),
    }));
    out.balance = money(totals.gross - totals.paid);
  }
  if (sale.cash_flow.length > 0) {
    out.cash_flow = sale.cash_flow.map((c) => ({
      cash_flow_id: c.cash_flow_id,
      payment_type: c.payment_type,
      payment_amount: money(c.payment_amount),
    }));
  }
  return out;
}

/** A sale as the closed-sale list shows it (`resource_id`, sic). */
export function closedSaleSummary(sale: SaleRecord): Row {
  return {
    sale_id: sale.sale_id,
    created_at: sale.created_at,
    completed_at: sale.completed_at,
    store_id: sale.store_id,
    vendor_id: sale.vendor_id,
    unique_sale_id: sale.unique_sale_id,
    customer_id: sale.customer_id,
    currency: sale.currency,
    payment: sale.payment,
    billing_address: sale.billing_address,
    shipping_address: sale.shipping_address,
    resource_id: sale.ressource_id,
    guests_number: sale.guests_number,
    total: money(saleTotals(sale).gross),
  };
}

/** A sale as the sale searches list it. */
export function saleSearchSummary(sale: SaleRecord): Row {
  return {
    ...closedSaleSummary(sale),
    takeaway: sale.takeaway,
    pickup_date: sale.pickup_date,
    sale_ext_ref: sale.sale_ext_ref,
  };
}
