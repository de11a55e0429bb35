// The sale flow, as Hiboutik documents it: open a sale in a store, add lines (sizes and packages
// checked, stock withdrawn), set one attribute at a time (`ext_ref` cut at 25 characters, `payment`
// an enabled payment type or `DIV`), add split payment lines (a cash flow once the sale's day is
// Z-closed), close it (every line must withdraw stock; it gets its receipt number and Z day and the
// `sale` webhook fires), void it (a reversing sale), return a line as a credit note and pay with
// one. Reads: a sale (a one-element array), the searches, the open sales, the day's closed sales
// and sold products (250 a page), a store's first closed sale and pending credit notes.
import { notFound, unprocessable } from "../errors.js";
import { cents, money, netOf, zDay, ZERO_DATE_TIME } from "../format.js";
import { pagedAnswer } from "../paging.js";
import type { HiboutikState, Row, SaleLine, SaleRecord } from "../records.js";
import {
  closedSaleSummary,
  findLine,
  findPayment,
  findSale,
  isOpen,
  lineAmounts,
  nextReceiptNumber,
  renderLine,
  renderSale,
  saleSearchSummary,
  saleTotals,
  saveSale,
} from "../sales.js";
import { changeStock, sizesOf, stockLevel } from "../stock.js";
import { saleEventPayload, saleWebhookPayload } from "../webhooks.js";
import { snapshotOf } from "../data.js";
import {
  bodyOf,
  type Ctx,
  done,
  findStore,
  type Handler,
  int,
  nowLocal,
  ok,
  pathDate,
  pathInt,
  text,
} from "./common.js";

/** The open sale a body names (`sale_id`), or the 422 saying why not. */
function openSale(ctx: Ctx): SaleRecord | ReturnType<typeof unprocessable> {
  const sale = saleNamed(ctx);
  if (!isSale(sale)) return sale;
  if (!isOpen(sale)) {
    return unprocessable({
      sale_id: `sale ${sale.sale_id} is closed: a closed sale is a fiscal record (void it with POST /sales/void)`,
    });
  }
  return sale;
}

function saleNamed(ctx: Ctx): SaleRecord | ReturnType<typeof unprocessable> {
  const id = int(bodyOf(ctx), "sale_id");
  return findSale(ctx.state, id) ?? unprocessable({ sale_id: `no sale ${id}` });
}

const isSale = (value: unknown): value is SaleRecord =>
  typeof (value as SaleRecord).sale_id === "number" && Array.isArray((value as SaleRecord).lines);

/** Whether a line takes its quantity out of a stock-managed product's stock. */
const withdraws = (line: SaleLine) =>
  line.stock_withdrawal === 1 &&
  line.product_id !== 0 &&
  line.product.product_stock_management === 1;

function returnStock(state: HiboutikState, line: SaleLine, warehouseId = line.warehouse_id) {
  if (withdraws(line))
    changeStock(state, line.product_id, line.product_size, warehouseId, line.quantity);
}

const enabledPayment = (state: HiboutikState, storeId: number, code: string) =>
  (state.paymentTypes.get(storeId) ?? []).some((t) => t.payment_type === code && t.enabled !== 0);

function defaultTax(state: HiboutikState) {
  return state.taxes.find((t) => t.tax_default === 1) ?? state.taxes[0];
}

/** Closes a sale now: its receipt number in its store's month, its Z day; the webhook fires. */
function close(ctx: Ctx, sale: SaleRecord) {
  const now = nowLocal(ctx);
  sale.completed_at = now;
  sale.date_z = zDay(now);
  const month = now.slice(0, 7);
  sale.unique_sale_id = `${month}-${sale.store_id}-${nextReceiptNumber(ctx.state, sale.store_id, month)}`;
  saveSale(ctx.state, sale);
  ctx.state.emit("sale", saleWebhookPayload(ctx.state, sale, ctx.now));
}

function newLineId(state: HiboutikState, saleId: number): number {
  const id = state.next.line++;
  state.lineOwner.set(id, saleId);
  return id;
}

type Attribute = {
  /** The record's field. */
  field: keyof SaleRecord;
  /** The value to keep, or a message saying why not. */
  convert(value: string, sale: SaleRecord, state: HiboutikState): unknown;
};

const integer = (value: string) =>
  /^-?\d+$/.test(value) ? Number(value) : { error: "is not an integer" };
const amount = (value: string) => cents(value) ?? { error: "is not a decimal amount" };

/** The attributes `PUT /sale/{sale_id}` changes (`ext_ref`, `payment`, `vendor_id` documented). */
const SALE_ATTRIBUTES: Record<string, Attribute> = {
  // Cut at 25 characters without a word, as the vendor does.
  ext_ref: { field: "sale_ext_ref", convert: (v) => v.slice(0, 25) },
  payment: { field: "payment", convert: (v) => v },
  vendor_id: {
    field: "vendor_id",
    convert: (v, _s, state) =>
      state.users.some((u) => String(u.user_id) === v) ? Number(v) : { error: `no user ${v}` },
  },
  customer_id: {
    field: "customer_id",
    convert: (v, _s, state) =>
      v === "0" || state.customers.has(v) ? Number(v) : { error: `no customer ${v}` },
  },
  guests_number: { field: "guests_number", convert: integer },
  ressource_id: {
    field: "ressource_id",
    convert: (v, _s, state) =>
      v === "0" || state.ressources.some((r) => String(r.ressource_id) === v)
        ? Number(v)
        : { error: `no resource ${v}` },
  },
  takeaway: {
    field: "takeaway",
    convert: (v) => (v === "0" || v === "1" ? Number(v) : { error: "is 0 or 1" }),
  },
  shipping_ref: { field: "shipping_ref", convert: (v) => v },
  vat_number: { field: "vat_number", convert: (v) => v },
  service_charge: { field: "service_charge", convert: amount },
  customs_duty: { field: "customs_duty", convert: amount },
  cash_tendered: { field: "cash_tendered", convert: amount },
  pickup_date: {
    field: "pickup_date",
    convert: (v) =>
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) ? v : { error: "is YYYY-MM-DD HH:MM:SS" },
  },
};

const isError = (value: unknown): value is { error: string } =>
  typeof value === "object" && value !== null && "error" in value;

/** The closed sales of a store on a local date (`YYYY-MM-DD`), in order. */
function closedOn(state: HiboutikState, storeId: number, date: string) {
  return state.sales.values(
    (s) => s.store_id === storeId && !isOpen(s) && s.completed_at.startsWith(date),
  );
}

export const saleHandlers: Record<string, Handler> = {
  createSale(ctx) {
    const { state } = ctx;
    const body = bodyOf(ctx);
    const storeId = int(body, "store_id");
    const store = findStore(state, storeId);
    if (!store) return unprocessable({ store_id: `no store ${storeId}` });
    if (store.store_enabled === 0) return unprocessable({ store_id: `store ${storeId} is closed` });
    const currency = text(body, "currency_code") ?? "";
    if (!/^[A-Z]{3}$/.test(currency)) {
      return unprocessable({ currency_code: "is an ISO 4217 currency code (EUR)" });
    }
    const customerId = int(body, "customer_id");
    if (customerId !== 0 && !state.customers.has(String(customerId))) {
      return unprocessable({ customer_id: `no customer ${customerId}` });
    }
    const vendorId = int(body, "vendor_id", Number(state.users[0]?.user_id ?? 0));
    if (vendorId !== 0 && !state.users.some((u) => u.user_id === vendorId)) {
      return unprocessable({ vendor_id: `no user ${vendorId}` });
    }
    let id = state.next.sale;
    while (state.sales.has(String(id))) id++;
    state.next.sale = id + 1;
    const warehouseId = Number(store.store_warehouse_id ?? storeId);
    state.sales.insert({
      sale_id: id,
      store_id: storeId,
      warehouse_id: warehouseId,
      vendor_id: vendorId,
      customer_id: customerId,
      currency,
      created_at: nowLocal(ctx),
      completed_at: ZERO_DATE_TIME,
      unique_sale_id: "",
      payment: String(store.store_default_payment_method ?? "ESP"),
      prices_without_taxes: int(body, "prices_without_taxes") === 1 ? 1 : 0,
      without_taxes: 0,
      duty_free: int(body, "duty_free_sale") === 1 ? 1 : 0,
      quotation: int(body, "quotation") === 1 ? 1 : 0,
      ressource_id: 0,
      points: 0,
      sale_ext_ref: "",
      service_charge: 0,
      guests_number: 0,
      takeaway: 0,
      shipping_ref: "",
      customs_duty: 0,
      vat_number: "",
      date_z: 0,
      pickup_date: ZERO_DATE_TIME,
      cash_tendered: 0,
      billing_address: 0,
      shipping_address: 0,
      closed_day: 0,
      payment_accounting_account: "",
      lines: [],
      payments: [],
      cash_flow: [],
      sale_tags: [],
      comments: "",
      credit_notes: [],
      voided_by: 0,
      voids: 0,
    });
    return ok({ sale_id: id });
  },

  getSale(ctx) {
    const id = pathInt(ctx, "sale_id");
    const sale = findSale(ctx.state, id);
    return sale ? ok([renderSale(ctx.state, sale)]) : notFound(`No sale ${id}`);
  },

  updateSaleAttribute(ctx) {
    const { state } = ctx;
    const id = pathInt(ctx, "sale_id");
    const sale = findSale(state, id);
    if (!sale) return notFound(`No sale ${id}`);
    const body = bodyOf(ctx);
    const name = String(body.sale_attribute);
    const attribute = SALE_ATTRIBUTES[name];
    if (!attribute) {
      return unprocessable({
        sale_attribute: `"${name}" is not an attribute the sandbox changes (${Object.keys(SALE_ATTRIBUTES).join(", ")})`,
      });
    }
    if (!isOpen(sale)) {
      return unprocessable({ sale_id: `sale ${id} is closed: a closed sale is a fiscal record` });
    }
    const value = attribute.convert(String(body.new_value), sale, state);
    if (isError(value)) return unprocessable({ new_value: `${name} ${value.error}` });
    if (
      name === "payment" &&
      value !== "DIV" &&
      !enabledPayment(state, sale.store_id, String(value))
    ) {
      return notFound("Please provide a valid payment");
    }
    (sale as unknown as Row)[attribute.field] = value;
    saveSale(state, sale);
    if (name === "payment") state.emit("payment", saleEventPayload(sale, {}));
    return done();
  },

  addSaleLineItem(ctx) {
    const { state } = ctx;
    const sale = openSale(ctx);
    if (!isSale(sale)) return sale;
    const body = bodyOf(ctx);
    const productId = int(body, "product_id");
    const product = productId === 0 ? undefined : state.products.get(String(productId));
    if (productId !== 0 && !product)
      return unprocessable({ product_id: `no product ${productId}` });
    if (product?.product_package === 1) {
      return unprocessable({ product_id: "This function does not handle packages" });
    }
    const sizes = product ? sizesOf(state, product) : [0];
    const sizeId = int(body, "size_id");
    if (!sizes.includes(sizeId)) {
      return unprocessable({ size_id: "please provide a valid size_id for this product_id" });
    }
    const quantity = int(body, "quantity", 1);
    const tax = state.taxes.find((t) => t.tax_id === product?.product_vat) ?? defaultTax(state);
    const vat = sale.duty_free ? "0.000" : String(tax?.tax_value ?? "0.200");
    const snapshot = snapshotOf(product);
    const given = text(body, "product_price");
    const price =
      given !== undefined
        ? (cents(given) ?? 0)
        : sale.prices_without_taxes
          ? netOf(snapshot.catalogue_price, vat)
          : snapshot.catalogue_price;
    const line: SaleLine = {
      line_item_id: 0,
      product_id: productId,
      product_size: sizeId,
      quantity,
      price,
      currency: sale.currency,
      vat,
      tax_label: sale.duty_free ? "Exonéré" : String(tax?.tax_name ?? ""),
      points: 0,
      stock_withdrawal: int(body, "stock_withdrawal", 1) === 1 ? 1 : 0,
      credit_note: 0,
      credit_note_id: 0,
      product_comments: text(body, "product_comments") ?? "",
      serial_number: "",
      line_item_id_return: 0,
      date_return: 0,
      kitchen_pos: 1,
      warehouse_id: sale.warehouse_id,
      product: snapshot,
    };
    if (withdraws(line)) {
      const available = stockLevel(state, productId, sizeId, sale.warehouse_id);
      if (available < quantity) {
        return unprocessable({
          stock_withdrawal: `not enough stock to withdraw ${quantity} (${available} available in warehouse ${sale.warehouse_id})`,
        });
      }
      changeStock(state, productId, sizeId, sale.warehouse_id, -quantity);
    }
    line.line_item_id = newLineId(state, sale.sale_id);
    sale.lines.push(line);
    saveSale(state, sale);
    state.emit("sale_item", saleEventPayload(sale, renderLine(line, sale)));
    return ok({ id_sale_product_detail: line.line_item_id });
  },

  /** Replaces the sale's comments (GAP: replace or append is not documented). */
  addSaleComments(ctx) {
    const sale = saleNamed(ctx);
    if (!isSale(sale)) return sale;
    sale.comments = text(bodyOf(ctx), "comments") ?? "";
    saveSale(ctx.state, sale);
    return done();
  },

  /**
   * Type 1 (an amount, the only one documented) becomes a line of the negative amount, at the
   * sale's first rate (GAP: how Hiboutik shows a global discount is not documented).
   */
  addSaleGlobalDiscount(ctx) {
    const { state } = ctx;
    const sale = openSale(ctx);
    if (!isSale(sale)) return sale;
    const body = bodyOf(ctx);
    if (int(body, "type") !== 1) {
      return unprocessable({ type: "only 1 (an amount) is documented, and handled" });
    }
    const discount = cents(String(body.amount)) ?? 0;
    if (discount <= 0) return unprocessable({ amount: "must be a positive amount" });
    const first = sale.lines[0];
    const tax = defaultTax(state);
    const vat = first?.vat ?? (sale.duty_free ? "0.000" : String(tax?.tax_value ?? "0.200"));
    sale.lines.push({
      line_item_id: newLineId(state, sale.sale_id),
      product_id: 0,
      product_size: 0,
      quantity: 1,
      price: -(sale.prices_without_taxes ? netOf(discount, vat) : discount),
      currency: sale.currency,
      vat,
      tax_label: first?.tax_label ?? String(tax?.tax_name ?? ""),
      points: 0,
      stock_withdrawal: 1,
      credit_note: 0,
      credit_note_id: 0,
      product_comments: "Remise globale",
      serial_number: "",
      line_item_id_return: 0,
      date_return: 0,
      kitchen_pos: 1,
      warehouse_id: sale.warehouse_id,
      product: snapshotOf(undefined),
    });
    saveSale(state, sale);
    return done();
  },

  addSalePayment(ctx) {
    const { state } = ctx;
    const sale = saleNamed(ctx);
    if (!isSale(sale)) return sale;
    if (sale.payment !== "DIV") {
      return unprocessable({
        sale_id: `sale ${sale.sale_id} is paid by ${sale.payment || "no payment type"}: set its payment to DIV first (PUT /sale/{sale_id})`,
      });
    }
    const body = bodyOf(ctx);
    const type = text(body, "payment_type") ?? "";
    if (!enabledPayment(state, sale.store_id, type))
      return notFound("Please provide a valid payment");
    const paid = cents(String(body.payment_amount)) ?? 0;
    if (!isOpen(sale) && sale.date_z <= state.closedThrough) {
      const id = state.next.cashFlow++;
      sale.cash_flow.push({
        cash_flow_id: id,
        sale_id: sale.sale_id,
        payment_type: type,
        payment_amount: paid,
        created_at: nowLocal(ctx),
      });
      saveSale(state, sale);
      state.emit("payment", saleEventPayload(sale, { cash_flow_id: id }));
      return ok({ cash_flow_id: id });
    }
    const id = state.next.payment++;
    state.paymentOwner.set(id, sale.sale_id);
    sale.payments.push({ payment_detail_id: id, payment_type: type, payment_amount: paid });
    saveSale(state, sale);
    state.emit("payment", saleEventPayload(sale, { payment_detail_id: id }));
    return ok({ payment_detail_id: id });
  },

  deleteSalePayment(ctx) {
    const { state } = ctx;
    const id = pathInt(ctx, "payment_detail_id");
    const found = findPayment(state, id);
    if (!found) return notFound(`No payment line ${id}`);
    const { sale } = found;
    if (!isOpen(sale)) {
      return unprocessable({ payment_detail_id: `sale ${sale.sale_id} is closed` });
    }
    sale.payments = sale.payments.filter((p) => p.payment_detail_id !== id);
    state.paymentOwner.delete(id);
    saveSale(state, sale);
    state.emit("payment", saleEventPayload(sale, { payment_detail_id: id, deleted: 1 }));
    return done();
  },

  closeSale(ctx) {
    const sale = saleNamed(ctx);
    if (!isSale(sale)) return sale;
    if (!isOpen(sale)) return unprocessable({ sale_id: `sale ${sale.sale_id} is already closed` });
    if (sale.lines.length === 0) {
      return unprocessable({ sale_id: `sale ${sale.sale_id} has no line to close` });
    }
    const kept = sale.lines.find((l) => l.stock_withdrawal !== 1);
    if (kept) {
      return unprocessable({
        stock_withdrawal: `line ${kept.line_item_id} does not withdraw stock: every line must (stock_withdrawal 1) to close the sale`,
      });
    }
    close(ctx, sale);
    return done();
  },

  /** A reversing sale: the same lines at negative prices, closed now, with its own receipt number. */
  voidSale(ctx) {
    const { state } = ctx;
    const body = bodyOf(ctx);
    const sale = saleNamed(ctx);
    if (!isSale(sale)) return sale;
    const storeId = int(body, "store_id");
    if (sale.store_id !== storeId) {
      return unprocessable({ store_id: `sale ${sale.sale_id} is not a sale of store ${storeId}` });
    }
    if (isOpen(sale))
      return unprocessable({
        sale_id: `sale ${sale.sale_id} is open: only a closed sale is voided`,
      });
    if (sale.voided_by !== 0)
      return unprocessable({ sale_id: `sale ${sale.sale_id} is already voided` });
    if (sale.voids !== 0)
      return unprocessable({ sale_id: `sale ${sale.sale_id} is itself a void` });
    let id = state.next.sale;
    while (state.sales.has(String(id))) id++;
    state.next.sale = id + 1;
    const reversal: SaleRecord = {
      ...structuredClone(sale),
      sale_id: id,
      created_at: nowLocal(ctx),
      lines: sale.lines.map((line) => ({
        ...structuredClone(line),
        line_item_id: newLineId(state, id),
        price: -line.price,
      })),
      payments: sale.payments.map((p) => {
        const paymentId = state.next.payment++;
        state.paymentOwner.set(paymentId, id);
        return { ...p, payment_detail_id: paymentId, payment_amount: -p.payment_amount };
      }),
      cash_flow: [],
      // The reversal is a sale of its own: not found again by the original's reference (GAP).
      sale_ext_ref: "",
      comments: "",
      credit_notes: [],
      voids: sale.sale_id,
      voided_by: 0,
    };
    state.sales.insert(reversal);
    for (const line of sale.lines) if (line.credit_note_id === 0) returnStock(state, line);
    sale.voided_by = id;
    saveSale(state, sale);
    close(ctx, reversal);
    return done();
  },

  addSaleCreditNote(ctx) {
    const { state } = ctx;
    const sale = openSale(ctx);
    if (!isSale(sale)) return sale;
    const code = String(bodyOf(ctx).credit_note_code);
    const note = state.creditNotes.find(
      (n) => String(n.credit_note) === code && n.store_id === sale.store_id,
    );
    if (!note || note.used_by !== 0) {
      return unprocessable({
        credit_note_code: `no pending credit note ${code} in store ${sale.store_id}`,
      });
    }
    note.used_by = sale.sale_id;
    sale.credit_notes.push(code);
    saveSale(state, sale);
    state.emit("payment", saleEventPayload(sale, { credit_note_code: code }));
    return done();
  },

  searchSales(ctx) {
    const customerId = ctx.params.query.customer_id as number;
    const rows = ctx.state.sales.values((s) => s.customer_id === customerId);
    return pagedAnswer(ctx, Array.from(rows, saleSearchSummary), ctx.state.pageSize);
  },

  /** A substring of the external reference, as the vendor matches it. */
  searchSalesByExtRef(ctx) {
    const wanted = String(ctx.params.path.ext_ref);
    const rows = ctx.state.sales.values(
      (s) => s.sale_ext_ref !== "" && s.sale_ext_ref.includes(wanted),
    );
    return ok(Array.from(rows, saleSearchSummary));
  },

  listOpenSales(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const rows = ctx.state.sales.values((s) => s.store_id === storeId && isOpen(s));
    return ok(
      Array.from(rows, (s) => ({
        sale_id: s.sale_id,
        created_at: s.created_at,
        store_id: s.store_id,
        vendor_id: s.vendor_id,
        customer_id: s.customer_id,
        ressource_id: s.ressource_id,
        guests_number: s.guests_number,
        total: money(saleTotals(s).gross),
      })),
    );
  },

  listClosedSales(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const rows = closedOn(ctx.state, storeId, pathDate(ctx));
    return pagedAnswer(ctx, Array.from(rows, closedSaleSummary), ctx.state.pageSize);
  },

  /** A one-element array holding the store's first closed sale, `[]` without one (GAP: shape). */
  getFirstClosedSale(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    let first: SaleRecord | undefined;
    for (const sale of ctx.state.sales.values((s) => s.store_id === storeId && !isOpen(s))) {
      if (!first || sale.completed_at < first.completed_at) first = sale;
    }
    return ok(first ? [closedSaleSummary(first)] : []);
  },

  /** The day's closed sales' lines, summed per product and size, in order of first sale. */
  listSoldProducts(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const rows = new Map<string, Row & { quantity: number; total: number }>();
    for (const sale of closedOn(ctx.state, storeId, pathDate(ctx))) {
      for (const line of sale.lines) {
        const key = `${line.product_id}/${line.product_size}`;
        const row = rows.get(key) ?? {
          product_id: line.product_id,
          product_size: line.product_size,
          product_model: line.product.product_model,
          product_barcode: line.product.product_barcode,
          quantity: 0,
          total: 0,
        };
        row.quantity += line.quantity;
        row.total += lineAmounts(line, sale).totalGross;
        rows.set(key, row);
      }
    }
    const list = [...rows.values()].map(({ total, ...row }) => ({ ...row, total: money(total) }));
    return pagedAnswer(ctx, list, ctx.state.pageSize);
  },

  listCreditNotes(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    return ok(
      ctx.state.creditNotes
        .filter((n) => n.store_id === storeId && n.used_by === 0)
        .map((n) => ({
          credit_note: n.credit_note,
          store_id: n.store_id,
          customer_id: n.customer_id,
          amount: money(n.amount),
          created_at: n.created_at,
        })),
    );
  },

  updateSaleLineItemAttribute(ctx) {
    const { state } = ctx;
    const id = pathInt(ctx, "line_item_id");
    const found = findLine(state, id);
    if (!found) return notFound(`No sale line ${id}`);
    const { sale, line } = found;
    const body = bodyOf(ctx);
    const attribute = String(body.line_item_attribute);
    const value = String(body.new_value);
    const known = [
      "vat",
      "product_price",
      "points",
      "quantity",
      "product_comments",
      "serial_number",
    ];
    if (!known.includes(attribute)) {
      return unprocessable({
        line_item_attribute: `"${attribute}" is not an attribute the sandbox changes (${known.join(", ")})`,
      });
    }
    // A closed sale is a fiscal record; its lines' loyalty points may still change.
    if (!isOpen(sale) && attribute !== "points") {
      return unprocessable({ line_item_id: `sale ${sale.sale_id} is closed` });
    }
    switch (attribute) {
      case "vat":
        if (!/^0\.\d{1,5}$/.test(value) || Number(value) <= 0) {
          return unprocessable({
            new_value: "vat is the rate as a fraction, 0 < vat < 1 (0.055 for 5.5 %), not a tax id",
          });
        }
        line.vat = value;
        line.tax_label =
          String(state.taxes.find((t) => Number(t.tax_value) === Number(value))?.tax_name ?? "") ||
          `${Math.round(Number(value) * 10_000) / 100}%`;
        break;
      case "product_price": {
        const price = cents(value);
        if (price === undefined)
          return unprocessable({ new_value: "product_price is a decimal amount" });
        line.price = price;
        break;
      }
      case "points":
      case "quantity": {
        if (!/^\d+$/.test(value))
          return unprocessable({ new_value: `${attribute} is a whole number` });
        const n = Number(value);
        if (attribute === "quantity" && withdraws(line)) {
          const available = stockLevel(
            state,
            line.product_id,
            line.product_size,
            line.warehouse_id,
          );
          if (n - line.quantity > available) {
            return unprocessable({ new_value: `not enough stock (${available} available)` });
          }
          changeStock(
            state,
            line.product_id,
            line.product_size,
            line.warehouse_id,
            line.quantity - n,
          );
        }
        line[attribute] = n;
        break;
      }
      default:
        line[attribute as "product_comments" | "serial_number"] = value;
    }
    saveSale(state, sale);
    return done();
  },

  deleteSaleLineItem(ctx) {
    const { state } = ctx;
    const id = pathInt(ctx, "line_item_id");
    const found = findLine(state, id);
    if (!found) return notFound(`No sale line ${id}`);
    const { sale, line } = found;
    if (!isOpen(sale)) {
      return unprocessable({
        line_item_id: `sale ${sale.sale_id} is closed: void it (POST /sales/void) instead`,
      });
    }
    sale.lines = sale.lines.filter((l) => l.line_item_id !== id);
    returnStock(state, line);
    state.lineOwner.delete(id);
    saveSale(state, sale);
    return done();
  },

  /** The whole line comes back (into warehouse `stock_id`, 0: the sale's) as a credit note. */
  exchangeSaleLineItem(ctx) {
    const { state } = ctx;
    const id = pathInt(ctx, "line_item_id");
    const found = findLine(state, id);
    if (!found) return notFound(`No sale line ${id}`);
    const { sale, line } = found;
    if (isOpen(sale)) {
      return unprocessable({
        line_item_id: `sale ${sale.sale_id} is open: delete the line instead`,
      });
    }
    if (line.credit_note_id !== 0 || sale.voided_by !== 0 || sale.voids !== 0) {
      return unprocessable({ line_item_id: `line ${id} was already returned or voided` });
    }
    const stockId = pathInt(ctx, "stock_id");
    const warehouseId = stockId === 0 ? sale.warehouse_id : stockId;
    if (!state.warehouses.some((w) => w.warehouse_id === warehouseId)) {
      return unprocessable({ stock_id: `no warehouse ${stockId}` });
    }
    const code = state.next.creditNote++;
    const now = nowLocal(ctx);
    state.creditNotes.push({
      credit_note: code,
      store_id: sale.store_id,
      customer_id: sale.customer_id,
      amount: lineAmounts(line, sale).totalGross,
      created_at: now,
      line_item_id: id,
      used_by: 0,
    });
    line.credit_note = 1;
    line.credit_note_id = code;
    line.date_return = now;
    returnStock(state, line, warehouseId);
    state.returns.push({
      store_id: sale.store_id,
      date: now.slice(0, 10),
      line_item_id: id,
      sale_id: sale.sale_id,
      product_id: line.product_id,
      product_size: line.product_size,
      quantity: line.quantity,
      credit_note: code,
    });
    saveSale(state, sale);
    return ok({ avoir_id: code });
  },
};
