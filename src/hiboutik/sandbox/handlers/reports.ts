// Reports and cash: a store's turnover per day of a month, its till movements (cash put in or
// taken out), the Z readings of the current business day (per VAT rate, per payment type, the
// cash flows of sales of closed days), the Z closure, and the stores' calendar events.
import { errorResponse, notFound, unprocessable } from "../errors.js";
import { cents, daysInMonth, isoWeekday, money, zDay } from "../format.js";
import type { Row } from "../records.js";
import { isOpen, saleTotals } from "../sales.js";
import {
  bodyOf,
  type Ctx,
  findStore,
  type Handler,
  nowLocal,
  ok,
  pathDate,
  pathInt,
  pathText,
  text,
} from "./common.js";

/** The closed sales of the current business day (every store). */
const todaysSales = (ctx: Ctx) => {
  const today = zDay(nowLocal(ctx));
  return ctx.state.sales.values((s) => !isOpen(s) && s.date_z === today);
};

function tillMovement(ctx: Ctx, direction: "deposit" | "withdrawal") {
  const { state } = ctx;
  const body = bodyOf(ctx);
  const storeId = Number(body.store_id);
  const store = findStore(state, storeId);
  if (!store) return unprocessable({ store_id: `no store ${storeId}` });
  const amount = cents(String(body.amount));
  if (amount === undefined || amount <= 0) {
    return unprocessable({ amount: "is a positive amount (the path gives the direction)" });
  }
  const id = state.next.till++;
  state.till.push({
    till_id: id,
    store_id: storeId,
    date_till: nowLocal(ctx),
    deposit: direction === "deposit" ? amount : 0,
    withdrawal: direction === "withdrawal" ? amount : 0,
    currency: text(body, "currency_code") ?? String(store.store_default_currency ?? "EUR"),
    comments: text(body, "comments") ?? null,
  });
  return ok({ till_id: id });
}

export const reportHandlers: Record<string, Handler> = {
  /**
   * One row per day: `date` (`YYYY-MM-DD`), `day_of_week` (1 = Monday … 7), the turnover with and
   * without taxes (decimal strings), the number of closed sales and of items sold (GAP: the field
   * types are not documented).
   */
  getTurnoverReport(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const yyyy = pathText(ctx, "yyyy");
    const mm = pathText(ctx, "mm");
    const days = new Map<string, { gross: number; net: number; sales: number; items: number }>();
    for (const sale of ctx.state.sales.values(
      (s) => s.store_id === storeId && !isOpen(s) && s.completed_at.startsWith(`${yyyy}-${mm}`),
    )) {
      const day = days.get(sale.completed_at.slice(0, 10)) ?? {
        gross: 0,
        net: 0,
        sales: 0,
        items: 0,
      };
      const totals = saleTotals(sale);
      day.gross += totals.gross;
      day.net += totals.net;
      day.sales++;
      day.items += sale.lines.reduce((n, l) => n + l.quantity, 0);
      days.set(sale.completed_at.slice(0, 10), day);
    }
    return ok(
      Array.from({ length: daysInMonth(Number(yyyy), Number(mm)) }, (_, i) => {
        const date = `${yyyy}-${mm}-${String(i + 1).padStart(2, "0")}`;
        const day = days.get(date);
        return {
          date,
          day_of_week: isoWeekday(date),
          total_incl_taxes: money(day?.gross ?? 0),
          total_excl_taxes: money(day?.net ?? 0),
          nb_sales: day?.sales ?? 0,
          nb_products: day?.items ?? 0,
        };
      }),
    );
  },

  listTillOperations(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const month = `${pathText(ctx, "yyyy")}-${pathText(ctx, "mm")}`;
    return ok(
      ctx.state.till
        .filter((t) => t.store_id === storeId && t.date_till.startsWith(month))
        .map((t) => ({
          till_id: t.till_id,
          store_id: t.store_id,
          comments: t.comments,
          date_till: t.date_till,
          deposit: money(t.deposit),
          withdrawal: money(t.withdrawal),
          currency: t.currency,
        })),
    );
  },

  addTillCashIn: (ctx) => tillMovement(ctx, "deposit"),
  addTillCashOut: (ctx) => tillMovement(ctx, "withdrawal"),

  /** The current business day's total with taxes per VAT rate, every store (GAP: parameters). */
  listZTaxes(ctx) {
    const byVat = new Map<string, number>();
    for (const sale of todaysSales(ctx)) {
      for (const [vat, rate] of saleTotals(sale).byVat) {
        byVat.set(vat, (byVat.get(vat) ?? 0) + rate.gross);
      }
    }
    return ok(
      [...byVat].map(([vat, gross]) => ({ tax_value: vat, total_incl_taxes: money(gross) })),
    );
  },

  /** The current business day's payments per payment type, with their sales. */
  listZPaymentTypes(ctx) {
    const byType = new Map<string, Row[]>();
    const add = (type: string, saleId: number, amount: number) => {
      const payments = byType.get(type) ?? [];
      payments.push({ sale_id: saleId, amount: money(amount) });
      byType.set(type, payments);
    };
    for (const sale of todaysSales(ctx)) {
      if (sale.payment === "DIV") {
        for (const p of sale.payments) add(p.payment_type, sale.sale_id, p.payment_amount);
      } else {
        add(sale.payment, sale.sale_id, saleTotals(sale).gross);
      }
    }
    return ok([...byType].map(([payment_type, payments]) => ({ payment_type, payments })));
  },

  /** The payments recorded today on sales of already closed days. */
  listZCashFlow(ctx) {
    const today = nowLocal(ctx).slice(0, 10);
    const rows: Row[] = [];
    for (const sale of ctx.state.sales.values((s) => s.cash_flow.length > 0)) {
      for (const c of sale.cash_flow) {
        if (!c.created_at.startsWith(today)) continue;
        rows.push({
          cash_flow_id: c.cash_flow_id,
          sale_id: c.sale_id,
          payment_type: c.payment_type,
          payment_amount: money(c.payment_amount),
        });
      }
    }
    return ok(rows);
  },

  /**
   * Closes the business day (and every earlier one): payments added to their sales become cash
   * flows. Refused on a demo account, as measured (GAP: the status of that refusal).
   */
  createZClosure(ctx) {
    if (ctx.state.demo) {
      return errorResponse(403, "You can't close because your account is in demo mode");
    }
    const now = nowLocal(ctx);
    ctx.state.closedThrough = zDay(now);
    return ok({ closure_date: now });
  },

  /** The store's events that day (GAP: the event fields other than `customer_id`). */
  listCalendarEvents(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const date = pathDate(ctx);
    return ok(
      ctx.state.calendarEvents.filter(
        (e) => e.store_id === storeId && String(e.event_start).startsWith(date),
      ),
    );
  },

  getCalendarEvent(ctx) {
    const id = pathInt(ctx, "event_id");
    const event = ctx.state.calendarEvents.find((e) => e.event_id === id);
    return event ? ok([event]) : notFound(`No calendar event ${id}`);
  },
};
