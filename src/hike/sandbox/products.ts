// Products: the list (`Filter` on SKU, barcode and name), reads by id and by SKU, create-or-update
// and delete. `POST /products/create` creates a product, or updates the one its `id` names (the
// third-party client that shows the endpoint updates this way): 201 with the new product, 202
// with the updated one (Hike's status-code page: 202 means an existing resource was updated).
// Response bodies of writes are not published (GAP): the sandbox answers the product as a later
// read returns it. The sandbox keeps `created_date_time` and `last_modified` itself (from its
// clock), and refuses with 422 a product that would not be one (a field of the wrong type) or
// whose SKU another product has (GAP: Hike's uniqueness rules are not published).
import { loadDescription } from "../../sandbox/description.js";
import { schemaChecker } from "../../sandbox/schemas.js";
import type { SandboxResponse } from "../../sandbox/server.js";
import { type HikeRecord, iso } from "./data.js";
import { fieldError, type HikeFieldError, notFound, unprocessable } from "./errors.js";
import { listPage } from "./paging.js";
import type { HikeHandler, HikeState } from "./state.js";

const PRODUCT = "#/components/schemas/Product";

/** The violations of `record` as a `schema`, as 422 details (none: it is one). */
export function recordErrors(schema: string, record: unknown): HikeFieldError[] {
  const { check } = schemaChecker(loadDescription("hike").doc);
  return check(schema, record).map((v) => fieldError({ where: `body${v.at}`, message: v.message }));
}

const text = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : "");

/** The product whose SKU is `sku` (SQL Server's default collation: case does not matter). */
function bySku(state: HikeState, sku: string, except?: number): HikeRecord | undefined {
  const wanted = sku.toLowerCase();
  for (const p of state.products.values()) if (text(p.sku) === wanted && p.id !== except) return p;
  return undefined;
}

/** The `id` of a write: a number or a string of digits (as clients send it), else a 422 detail. */
export function writeId(body: Record<string, unknown>): number | HikeFieldError | undefined {
  const id = body.id;
  if (id === undefined || id === null) return undefined;
  const n = typeof id === "string" && /^\s*\d+\s*$/.test(id) ? Number(id) : id;
  return Number.isSafeInteger(n) && (n as number) >= 1
    ? (n as number)
    : {
        field: "id",
        location: "body",
        message: "must be the id of an existing record (a whole number ≥ 1)",
      };
}

function saveProduct(
  state: HikeState,
  body: Record<string, unknown>,
  now: number,
): SandboxResponse {
  const id = writeId(body);
  if (typeof id === "object") return unprocessable([id]);
  const before = id === undefined ? undefined : state.products.get(String(id));
  if (id !== undefined && !before) return notFound(`Product ${id}`);
  const stamp = iso(now);
  const product: HikeRecord = {
    ...(before ?? { isActive: true }),
    ...body,
    id: id ?? state.nextId.products,
    created_date_time: before?.created_date_time ?? stamp,
    last_modified: stamp,
  };
  const errors = recordErrors(PRODUCT, product);
  const sku = typeof product.sku === "string" ? product.sku : undefined;
  const other = sku === undefined ? undefined : bySku(state, sku, product.id);
  if (other) {
    errors.push({
      field: "sku",
      location: "body",
      message: `is already the SKU of product ${other.id}`,
    });
  }
  if (errors.length > 0) return unprocessable(errors);
  if (before) {
    state.products.replace(String(product.id), product);
    state.revision++;
    return { status: 202, body: product };
  }
  state.nextId.products++;
  state.products.insert(product);
  state.revision++;
  return { status: 201, body: product };
}

export const productHandlers: Record<string, HikeHandler> = {
  listProducts(ctx) {
    const filter = ctx.params.query.Filter as string | undefined;
    const wanted = filter?.toLowerCase();
    return listPage(ctx, {
      collection: ctx.state.products,
      keep:
        wanted === undefined || wanted === ""
          ? undefined
          : (p) => [p.sku, p.barcode, p.name].some((v) => text(v).includes(wanted)),
    });
  },
  getProduct(ctx) {
    const id = ctx.params.path.id as number;
    const product = ctx.state.products.get(String(id));
    return product ? { status: 200, body: product } : notFound(`Product ${id}`);
  },
  getProductBySku(ctx) {
    const sku = ctx.params.query.sku as string;
    const product = bySku(ctx.state, sku);
    return product ? { status: 200, body: product } : notFound(`A product with SKU '${sku}'`);
  },
  createOrUpdateProduct: (ctx) =>
    saveProduct(ctx.state, ctx.body as Record<string, unknown>, ctx.now),
  deleteProduct(ctx) {
    const id = ctx.params.path.id as number;
    if (!ctx.state.products.delete(String(id))) return notFound(`Product ${id}`);
    ctx.state.revision++;
    return { status: 200 };
  },
};
