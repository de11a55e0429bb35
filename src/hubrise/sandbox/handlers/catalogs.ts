// Catalogs (Catalogs documentation): location-level and account-level catalogs, listed without
// their content; a name is unique among its owner's catalogs. A catalog is written whole (POST,
// or PUT whose `data` wipes and recreates the content) and read whole (`hide_data=true` leaves
// `data` out) or item by item: categories, products and their SKUs, option lists and their
// options, deals, discounts and charges are read-only and paged. Images are uploaded as raw bytes
// (JPEG, PNG, WEBP, GIF or BMP, at most 1 MB, checked by their first bytes), listed without paging
// (since 23/07/2025), never deleted; one no item shows is removed 30 days after its upload
// (`seconds_before_removal`). Writes fire `catalog.create`, `catalog.update`, `catalog.delete`.
import { createHash } from "node:crypto";
import type { HubriseSchema } from "../../index.js";
import {
  buildContent,
  type CatalogDataUpload,
  contentAsData,
  optionsOf,
  skusOf,
  usesImage,
} from "../catalog-build.js";
import { type FieldError, notFound, unprocessable } from "../errors.js";
import { hubriseTime } from "../format.js";
import { arrayPager, listAnswer } from "../paging.js";
import { TIME_ZONE } from "../seed-account.js";
import type { Owner } from "../seed-people.js";
import type { CatalogRecord, HubriseState, ImageRecord } from "../state.js";
import {
  accountMatches,
  bodyOf,
  connectionOf,
  type Ctx,
  type Handler,
  locationOf,
  ok,
} from "./common.js";

type CatalogCreate = HubriseSchema<"CatalogCreate">;
type CatalogReplace = HubriseSchema<"CatalogReplace">;

const MAX_IMAGE_BYTES = 1024 * 1024;
const IMAGE_LIFETIME_MS = 30 * 86_400_000;

const summary = (record: CatalogRecord) => ({
  id: record.catalog.id,
  name: record.catalog.name,
  created_at: record.catalog.created_at,
});

const sameOwner = (a: Owner, b: Owner) =>
  "location_id" in a ? "location_id" in b && a.location_id === b.location_id : "account_id" in b;

function present(record: CatalogRecord, withData: boolean) {
  const { catalog } = record;
  return withData ? { ...catalog, data: contentAsData(record.content) } : { ...catalog };
}

function catalogOf(ctx: Ctx): CatalogRecord | undefined {
  return ctx.state.catalogs.get(ctx.params.path.catalog_id as string);
}

function nameTaken(state: HubriseState, owner: Owner, name: string, except?: string) {
  for (const _ of state.catalogs.values(
    (c) => c.catalog.id !== except && c.catalog.name === name && sameOwner(c.catalog, owner),
  )) {
    return true;
  }
  return false;
}

function listLocationCatalogs(ctx: Ctx) {
  const location = locationOf(ctx);
  if (!location) return notFound();
  const visible = [
    ...ctx.state.catalogs.values(
      (c) => "account_id" in c.catalog || c.catalog.location_id === location.id,
    ),
  ];
  return listAnswer(ctx, arrayPager(visible), summary);
}

function listAccountCatalogs(ctx: Ctx) {
  if (!accountMatches(ctx)) return notFound();
  return listAnswer(
    ctx,
    arrayPager([...ctx.state.catalogs.values((c) => "account_id" in c.catalog)]),
    summary,
  );
}

function create(ctx: Ctx, owner: Owner) {
  const { state } = ctx;
  const body = bodyOf<CatalogCreate>(ctx);
  if (nameTaken(state, owner, body.name)) {
    return unprocessable([{ field: "name", message: "is already the name of another catalog" }]);
  }
  const built = buildContent(
    (body.data ?? {}) as CatalogDataUpload,
    state.ids.catalogItems,
    state.account.currency,
    new Set(),
  );
  if ("errors" in built) return unprocessable(built.errors.map(inData));
  const record: CatalogRecord = {
    catalog: {
      id: state.ids.catalogs.fresh(),
      name: body.name,
      ...owner,
      created_at: hubriseTime(ctx.now, TIME_ZONE),
    },
    content: built.content,
    images: [],
  };
  state.catalogs.insert(record);
  emitCatalog(ctx, "create", record);
  return ok(present(record, true));
}

const inData = (e: FieldError): FieldError => ({ ...e, field: `data.${e.field}` });

function emitCatalog(ctx: Ctx, eventType: "create" | "update" | "delete", record: CatalogRecord) {
  const { catalog } = record;
  ctx.state.callbacks.emit(connectionOf(ctx), {
    resource_type: "catalog",
    event_type: eventType,
    catalog_id: catalog.id,
    ...("location_id" in catalog
      ? { location_id: catalog.location_id }
      : { account_id: catalog.account_id }),
  });
}

function createLocationCatalog(ctx: Ctx) {
  const location = locationOf(ctx);
  return location ? create(ctx, { location_id: location.id }) : notFound();
}

function createAccountCatalog(ctx: Ctx) {
  return accountMatches(ctx) ? create(ctx, { account_id: ctx.state.account.id }) : notFound();
}

function updateCatalog(ctx: Ctx) {
  const record = catalogOf(ctx);
  if (!record) return notFound();
  const { state } = ctx;
  const body = bodyOf<CatalogReplace>(ctx);
  const updated: CatalogRecord = { ...record, catalog: { ...record.catalog } };
  if (body.name !== undefined) {
    if (nameTaken(state, record.catalog, body.name, record.catalog.id)) {
      return unprocessable([{ field: "name", message: "is already the name of another catalog" }]);
    }
    updated.catalog.name = body.name;
  }
  if (body.data !== undefined) {
    const images = new Set(record.images.map((i) => i.id));
    const built = buildContent(
      body.data as CatalogDataUpload,
      state.ids.catalogItems,
      state.account.currency,
      images,
    );
    if ("errors" in built) return unprocessable(built.errors.map(inData));
    updated.content = built.content;
  }
  state.catalogs.replace(record.catalog.id, updated);
  emitCatalog(ctx, "update", updated);
  return ok(present(updated, true));
}

function deleteCatalog(ctx: Ctx) {
  const record = catalogOf(ctx);
  if (!record) return notFound();
  ctx.state.catalogs.delete(record.catalog.id);
  for (const key of [...ctx.state.inventories.keys()]) {
    if (key.startsWith(`${record.catalog.id} `)) ctx.state.inventories.delete(key);
  }
  emitCatalog(ctx, "delete", record);
  return ok();
}

/** A read-only list of a catalog's items, and the read of one of them by id. */
function items<T extends { id: string }>(
  pick: (record: CatalogRecord, ctx: Ctx) => T[] | undefined,
  idParam: string,
) {
  const list: Handler = (ctx) => {
    const record = catalogOf(ctx);
    const all = record && pick(record, ctx);
    return all ? listAnswer(ctx, arrayPager(all)) : notFound();
  };
  const get: Handler = (ctx) => {
    const record = catalogOf(ctx);
    const found = record && pick(record, ctx)?.find((item) => item.id === ctx.params.path[idParam]);
    return found ? ok(found) : notFound();
  };
  return { list, get };
}

const productOf = (record: CatalogRecord, ctx: Ctx) =>
  record.content.products.find((p) => p.id === ctx.params.path.product_id);
const optionListOf = (record: CatalogRecord, ctx: Ctx) =>
  record.content.option_lists.find((l) => l.id === ctx.params.path.option_list_id);

const categories = items((r) => r.content.categories, "category_id");
const products = items((r) => r.content.products, "product_id");
const skus = items(
  (r, ctx) => productOf(r, ctx)?.skus ?? (productOf(r, ctx) ? [] : undefined),
  "sku_id",
);
const optionLists = items((r) => r.content.option_lists, "option_list_id");
const options = items(
  (r, ctx) => optionListOf(r, ctx)?.options ?? (optionListOf(r, ctx) ? [] : undefined),
  "option_id",
);
const deals = items((r) => r.content.deals, "deal_id");
const discounts = items((r) => r.content.discounts, "discount_id");
const charges = items((r) => r.content.charges, "charge_id");

/** The format an image's first bytes say it is, if one HubRise takes. */
function sniff(bytes: Uint8Array): string | undefined {
  const text = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes[0] === 0x89 && text(1, 4) === "PNG") return "image/png";
  if (text(0, 4) === "GIF8") return "image/gif";
  if (text(0, 2) === "BM") return "image/bmp";
  if (text(0, 4) === "RIFF" && text(8, 12) === "WEBP") return "image/webp";
  return undefined;
}

function presentImage(record: CatalogRecord, image: ImageRecord, now: number) {
  const used = usesImage(record.content, image.id);
  return {
    id: image.id,
    type: image.type,
    size: image.size,
    md5: image.md5,
    seconds_before_removal: used
      ? null
      : Math.max(0, Math.floor((image.createdMs + IMAGE_LIFETIME_MS - now) / 1000)),
    private_ref: image.private_ref,
  };
}

/** The images still there: those shown by an item, and the others for 30 days. */
const liveImages = (record: CatalogRecord, now: number) =>
  record.images.filter(
    (i) => usesImage(record.content, i.id) || now < i.createdMs + IMAGE_LIFETIME_MS,
  );

function createImage(ctx: Ctx) {
  const record = catalogOf(ctx);
  if (!record) return notFound();
  const bytes = ctx.body instanceof Uint8Array ? ctx.body : new Uint8Array();
  const type = ctx.mediaType ?? "";
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    return unprocessable([{ field: "image", message: "is larger than 1 MB" }]);
  }
  const format = sniff(bytes);
  if (format !== type) {
    return unprocessable([
      {
        field: "image",
        message: `is not ${type} data (${format ?? "not an image HubRise takes"})`,
      },
    ]);
  }
  const image: ImageRecord = {
    id: ctx.state.ids.images.fresh(),
    type,
    size: bytes.byteLength,
    md5: createHash("md5").update(bytes).digest("hex"),
    private_ref: (ctx.params.query.private_ref as string | undefined) ?? null,
    createdMs: ctx.now,
    bytes: Uint8Array.from(bytes),
  };
  record.images.push(image);
  return ok(presentImage(record, image, ctx.now));
}

function imageOf(ctx: Ctx) {
  const record = catalogOf(ctx);
  const image =
    record && liveImages(record, ctx.now).find((i) => i.id === ctx.params.path.image_id);
  return record && image ? { record, image } : undefined;
}

export const catalogHandlers: Record<string, Handler> = {
  listLocationCatalogs,
  listCurrentLocationCatalogs: listLocationCatalogs,
  listAccountCatalogs,
  listCurrentAccountCatalogs: listAccountCatalogs,
  createLocationCatalog,
  createCurrentLocationCatalog: createLocationCatalog,
  createAccountCatalog,
  createCurrentAccountCatalog: createAccountCatalog,
  getCatalog(ctx) {
    const record = catalogOf(ctx);
    return record ? ok(present(record, ctx.params.query.hide_data !== true)) : notFound();
  },
  updateCatalog,
  deleteCatalog,
  listCatalogCategories: categories.list,
  getCatalogCategory: categories.get,
  listCatalogProducts: products.list,
  getCatalogProduct: products.get,
  listCatalogProductSkus: skus.list,
  getCatalogSku: skus.get,
  listCatalogOptionLists: optionLists.list,
  getCatalogOptionList: optionLists.get,
  listCatalogOptionListOptions: options.list,
  getCatalogOption: options.get,
  listCatalogDeals: deals.list,
  getCatalogDeal: deals.get,
  listCatalogDiscounts: discounts.list,
  getCatalogDiscount: discounts.get,
  listCatalogCharges: charges.list,
  getCatalogCharge: charges.get,
  createCatalogImage: createImage,
  listCatalogImages(ctx) {
    const record = catalogOf(ctx);
    if (!record) return notFound();
    return ok(liveImages(record, ctx.now).map((i) => presentImage(record, i, ctx.now)));
  },
  getCatalogImage(ctx) {
    const found = imageOf(ctx);
    return found ? ok(presentImage(found.record, found.image, ctx.now)) : notFound();
  },
  getCatalogImageData(ctx) {
    const found = imageOf(ctx);
    return found
      ? { status: 200, text: found.image.bytes, contentType: found.image.type }
      : notFound();
  },
};

/** Every SKU ref and option ref of a catalog (what an inventory may name). */
export function inventoryRefs(record: CatalogRecord) {
  return {
    skus: new Set(skusOf(record.content).flatMap((s) => (s.ref ? [s.ref] : []))),
    options: new Set(optionsOf(record.content).flatMap((o) => (o.ref ? [o.ref] : []))),
  };
}
