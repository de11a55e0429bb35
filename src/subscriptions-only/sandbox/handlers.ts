// The Subscriptions Only sandbox's operations, as the API documents them: every answer in the
// `{ status, message, body }` envelope; lists filtered (`filter_by`/`filter`, case-insensitive),
// excluded (`exclude`/`exclude_by`: the field, then the value), sorted (`sort_by`/`sort`) and paged
// (`page`/`paginate`, no total: the last page is the first short one); POST answers 201 without a
// body (the API returns no id); PUT and DELETE answer a text.
import type { OperationHandler, SandboxResponse } from "../../sandbox/server.js";
import {
  type AddOn,
  localDateTime,
  type SubscriptionsOnlyState,
  uniqueId,
  UNSET_ADDON_FIELDS,
} from "./data.js";

/** Page size when `paginate` is not sent: undocumented (the sandbox's choice). */
export const DEFAULT_PAGE_SIZE = 20;

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The API's envelope around a body (or none: a 201 has no `body`). */
export function envelope(status: number, body?: unknown): SandboxResponse {
  const reply: Record<string, unknown> = {
    status: String(status),
    message: REASONS[status] ?? "Error",
  };
  if (body !== undefined) reply.body = body;
  return { status, body: reply };
}

type Handler = OperationHandler<SubscriptionsOnlyState, string>;
type Row = Record<string, unknown>;

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

/** The rows a list request keeps, in the order it asks for. */
function selected<T extends Row>(rows: Iterable<T>, query: Record<string, unknown>): T[] {
  const filterBy = query.filter_by as string | undefined;
  const filter = text(query.filter).toLowerCase();
  const exclude = query.exclude as string | undefined;
  const excludeBy = text(query.exclude_by).toLowerCase();
  const kept: T[] = [];
  for (const row of rows) {
    if (filterBy !== undefined && text(row[filterBy]).toLowerCase() !== filter) continue;
    if (exclude !== undefined && text(row[exclude]).toLowerCase() === excludeBy) continue;
    kept.push(row);
  }
  const sortBy = query.sort_by as string | undefined;
  if (sortBy !== undefined) {
    const direction = text(query.sort).toLowerCase() === "desc" ? -1 : 1;
    const numeric = kept.every((r) => /^-?\d+(\.\d+)?$/.test(text(r[sortBy])));
    kept.sort((a, b) => {
      const [x, y] = [text(a[sortBy]), text(b[sortBy])];
      const order = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
      return order * direction;
    });
  }
  return kept;
}

function listPage<T extends Row>(rows: Iterable<T>, ctx: Parameters<Handler>[0]): SandboxResponse {
  const { query } = ctx.params;
  const size = (query.paginate as number | undefined) ?? DEFAULT_PAGE_SIZE;
  const page = ctx.fault?.kind === "paging-ignored" ? 1 : ((query.page as number | undefined) ?? 1);
  const all = selected(rows, query);
  const data = ctx.fault?.kind === "empty-page" ? [] : all.slice((page - 1) * size, page * size);
  return envelope(200, { data });
}

const notFound = () => envelope(404, { text: "Not found." });

function newAddOn(state: SubscriptionsOnlyState, fields: Row, now: number): AddOn {
  let unique = state.addOns.end;
  while (state.addOns.has(uniqueId(unique))) unique++;
  const addOn: AddOn = {
    id: String(state.nextAddOnId++),
    store_id: "00",
    subscription_id: null,
    seller_id: "0",
    unique_id: uniqueId(unique),
    addon_status: "Active",
    addon_name: "",
    addon_description: "",
    addon_price: "0.00",
    addon_code: "",
    addon_quantities: "0",
    addon_quantity: "0",
    charge_shipping: "0",
    charge_tax: "0",
    ...UNSET_ADDON_FIELDS,
    created: localDateTime(now),
    modified: null,
    deleted: null,
  };
  return Object.assign(addOn, fields);
}

export const handlers: Record<string, Handler> = {
  listAddOns: (ctx) => listPage(ctx.state.addOns.values(), ctx),
  listSubscribers: (ctx) => listPage(ctx.state.subscribers.values(), ctx),
  getAddOn(ctx) {
    const addOn = ctx.state.addOns.get(ctx.params.path.unique_id as string);
    return addOn ? envelope(200, { data: addOn }) : notFound();
  },
  createAddOn(ctx) {
    ctx.state.addOns.insert(newAddOn(ctx.state, ctx.body as Row, ctx.now));
    return envelope(201);
  },
  updateAddOn(ctx) {
    const id = ctx.params.path.unique_id as string;
    const addOn = ctx.state.addOns.get(id);
    if (!addOn) return notFound();
    const modified = { ...addOn, ...(ctx.body as AddOn), modified: localDateTime(ctx.now) };
    ctx.state.addOns.replace(id, { ...modified, modified_admin: "3" });
    return envelope(200, { text: "Content updated" });
  },
  deleteAddOn(ctx) {
    return ctx.state.addOns.delete(ctx.params.path.unique_id as string)
      ? envelope(200, { text: "Delete successful" })
      : notFound();
  },
  createCoupon(ctx) {
    ctx.state.coupons.push(ctx.body as Record<string, string>);
    return envelope(201);
  },
};
