// Sales and register closures. `GET /sales/get_all` filters on the invoice time
// (`invoice_range_from`/`invoice_range_to`, ISO 8601, both ends included) and sorts on `Sorting`
// (a field, optionally followed by `asc` or `desc`, as ASP.NET Boilerplate's dynamic sorting reads
// it; e.g. `transactionDate`). `POST /sales/create` adds a sale, or updates the one its `id` names
// (the guide is titled "Add or update sale"): 201 or 202 with the sale as lists return it. The
// sale body is not published (GAP): the sandbox keeps every field sent, gives `id`, `invoice_no`
// and `transactionDate` (now) when they are missing, and refuses with 422 a sale whose
// `netAmount` is not a number or whose `transactionDate` is not a date-time (lists filter on it).
// Register closures filter on `closure_date` with `closure_range_from`/`closure_range_to` (the
// field's name is not published: GAP).
import type { SandboxResponse } from "../../sandbox/server.js";
import { type HikeRecord, iso } from "./data.js";
import { errorBody, type HikeFieldError, notFound, unprocessable } from "./errors.js";
import { listPage } from "./paging.js";
import { recordErrors, writeId } from "./products.js";
import type { HikeHandler, HikeState } from "./state.js";

const SALE = "#/components/schemas/Sale";

/** Keeps records whose `field` (a date-time) is within the request's range, ends included. */
function inRange(field: string, from: unknown, to: unknown) {
  const start = typeof from === "string" ? Date.parse(from) : -Infinity;
  const end = typeof to === "string" ? Date.parse(to) : Infinity;
  if (start === -Infinity && end === Infinity) return undefined;
  return (record: HikeRecord) => {
    const at = typeof record[field] === "string" ? Date.parse(record[field] as string) : NaN;
    return at >= start && at <= end;
  };
}

/** Orders two field values: numbers as numbers, date-times as times, the rest as text. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  const [x, y] = [String(a), String(b)];
  const [tx, ty] = [Date.parse(x), Date.parse(y)];
  if (/^\d{4}-\d\d-\d\dT/.test(x) && !Number.isNaN(tx) && !Number.isNaN(ty)) return tx - ty;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The sort a `Sorting` value asks for, or the 400 naming what is wrong with it. */
function sorting(value: string, fields: readonly string[]) {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(value);
  const field = m && fields.find((f) => f.toLowerCase() === m[1]!.toLowerCase());
  if (!m || !field) {
    const error: HikeFieldError = {
      field: "Sorting",
      location: "query",
      message: `must be a field of a sale, optionally followed by asc or desc (${fields.join(", ")})`,
    };
    return errorBody(400, `The request is not valid: Sorting ${error.message}.`, [error]);
  }
  const direction = m[2]?.toLowerCase() === "desc" ? -1 : 1;
  return (a: HikeRecord, b: HikeRecord) => compare(a[field], b[field]) * direction;
}

/** The fields a sale can be sorted on: those of seeded sales. */
export const SALE_FIELDS = [
  "id",
  "invoice_no",
  "transactionDate",
  "netAmount",
  "totalTax",
  "status",
  "outlet_id",
  "register_id",
  "customer_id",
] as const;

function saveSale(state: HikeState, body: Record<string, unknown>, now: number): SandboxResponse {
  const id = writeId(body);
  if (typeof id === "object") return unprocessable([id]);
  const before = id === undefined ? undefined : state.sales.get(String(id));
  if (id !== undefined && !before) return notFound(`Sale ${id}`);
  const newId = id ?? state.nextId.sales;
  const sale: HikeRecord = {
    invoice_no: `INV-${String(10_000 + newId)}`,
    transactionDate: iso(now),
    ...before,
    ...body,
    id: newId,
  };
  const errors = recordErrors(SALE, sale);
  if (typeof sale.transactionDate === "string" && Number.isNaN(Date.parse(sale.transactionDate))) {
    errors.push({
      field: "transactionDate",
      location: "body",
      message: "must be an ISO 8601 date-time",
    });
  }
  if (errors.length > 0) return unprocessable(errors);
  if (before) {
    state.sales.replace(String(newId), sale);
    state.revision++;
    return { status: 202, body: sale };
  }
  state.nextId.sales++;
  state.sales.insert(sale);
  state.revision++;
  return { status: 201, body: sale };
}

export const saleHandlers: Record<string, HikeHandler> = {
  listSales(ctx) {
    const { query } = ctx.params;
    const keep = inRange("transactionDate", query.invoice_range_from, query.invoice_range_to);
    const by = query.Sorting as string | undefined;
    if (by === undefined || by.trim() === "") {
      return listPage(ctx, { collection: ctx.state.sales, keep });
    }
    const compare = sorting(by, SALE_FIELDS);
    if (typeof compare !== "function") return compare;
    return listPage(ctx, { collection: ctx.state.sales, keep, compare });
  },
  createSale: (ctx) => saveSale(ctx.state, ctx.body as Record<string, unknown>, ctx.now),
  listRegisterClosures(ctx) {
    const { query } = ctx.params;
    const keep = inRange("closure_date", query.closure_range_from, query.closure_range_to);
    return listPage(ctx, { collection: ctx.state.registerClosures, keep });
  },
};
