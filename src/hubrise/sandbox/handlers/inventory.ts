// Inventories (Catalogs §14): one per catalog and location (the catalog must be the location's or
// the account's), a top-level array of `{sku_ref | option_ref, stock}`; an item without an entry
// has unlimited stock. PUT replaces the whole inventory (a `null` stock is ignored) and answers
// it whole; PATCH upserts the entries sent (a `null` stock removes the entry) and answers only
// those, a removed one with `stock: null`. A ref the catalog does not have is a 422. PUT fires
// `inventory.update` (no state), PATCH `inventory.patch` with the changed entries as
// `state_change`.
import type { HubriseSchema } from "../../index.js";
import { type FieldError, notFound, unprocessable } from "../errors.js";
import { inventoryKey, type CatalogRecord } from "../state.js";
import { bodyOf, connectionOf, type Ctx, type Handler, locationOf, ok } from "./common.js";
import { inventoryRefs } from "./catalogs.js";

type EntryUpdate = HubriseSchema<"InventoryEntryUpdate">;
type Entry = HubriseSchema<"InventoryEntry">;

/** The catalog and location of the request, when the location sees the catalog. */
function target(ctx: Ctx): { record: CatalogRecord; key: string } | undefined {
  const location = locationOf(ctx);
  const record = ctx.state.catalogs.get(ctx.params.path.catalog_id as string);
  if (!location || !record) return undefined;
  const { catalog } = record;
  if ("location_id" in catalog && catalog.location_id !== location.id) return undefined;
  return { record, key: inventoryKey(catalog.id, location.id) };
}

const entryKey = (e: EntryUpdate) =>
  "sku_ref" in e ? `sku:${e.sku_ref}` : `option:${e.option_ref}`;

function asEntry(key: string, stock: string | null): Entry | EntryUpdate {
  const ref = key.slice(key.indexOf(":") + 1);
  return key.startsWith("sku:")
    ? { sku_ref: ref, stock }
    : ({ option_ref: ref, stock } as Entry | EntryUpdate);
}

function entriesOf(entries: Map<string, string> | undefined): Entry[] {
  return [...(entries ?? new Map<string, string>())].map(
    ([key, stock]) => asEntry(key, stock) as Entry,
  );
}

function refErrors(record: CatalogRecord, body: EntryUpdate[]): FieldError[] {
  const refs = inventoryRefs(record);
  const errors: FieldError[] = [];
  body.forEach((e, i) => {
    if ("sku_ref" in e && !refs.skus.has(e.sku_ref)) {
      errors.push({ field: `[${i}].sku_ref`, message: "is not a SKU ref of the catalog" });
    }
    if ("option_ref" in e && !refs.options.has(e.option_ref)) {
      errors.push({ field: `[${i}].option_ref`, message: "is not an option ref of the catalog" });
    }
  });
  return errors;
}

function emitInventory(
  ctx: Ctx,
  record: CatalogRecord,
  eventType: "update" | "patch",
  change?: EntryUpdate[],
) {
  ctx.state.callbacks.emit(connectionOf(ctx), {
    resource_type: "inventory",
    event_type: eventType,
    catalog_id: record.catalog.id,
    location_id:
      ctx.params.path.location_id === undefined
        ? connectionOf(ctx).locationId
        : String(ctx.params.path.location_id),
    ...(change ? { state_change: change } : {}),
  });
}

function getInventory(ctx: Ctx) {
  const found = target(ctx);
  return found ? ok(entriesOf(ctx.state.inventories.get(found.key))) : notFound();
}

function putInventory(ctx: Ctx) {
  const found = target(ctx);
  if (!found) return notFound();
  const body = bodyOf<EntryUpdate[]>(ctx);
  const errors = refErrors(found.record, body);
  if (errors.length > 0) return unprocessable(errors);
  const entries = new Map<string, string>();
  for (const e of body) if (e.stock !== null) entries.set(entryKey(e), e.stock);
  ctx.state.inventories.set(found.key, entries);
  emitInventory(ctx, found.record, "update");
  return ok(entriesOf(entries));
}

function patchInventory(ctx: Ctx) {
  const found = target(ctx);
  if (!found) return notFound();
  const body = bodyOf<EntryUpdate[]>(ctx);
  const errors = refErrors(found.record, body);
  if (errors.length > 0) return unprocessable(errors);
  const entries = ctx.state.inventories.get(found.key) ?? new Map<string, string>();
  const changed = new Map<string, string | null>();
  for (const e of body) {
    const key = entryKey(e);
    if (e.stock === null) entries.delete(key);
    else entries.set(key, e.stock);
    changed.set(key, e.stock);
  }
  ctx.state.inventories.set(found.key, entries);
  const change = [...changed].map(([key, stock]) => asEntry(key, stock) as EntryUpdate);
  emitInventory(ctx, found.record, "patch", change);
  return ok(change);
}

export const inventoryHandlers: Record<string, Handler> = {
  getLocationInventory: getInventory,
  getCurrentLocationInventory: getInventory,
  updateLocationInventory: putInventory,
  updateCurrentLocationInventory: putInventory,
  patchLocationInventory: patchInventory,
  patchCurrentLocationInventory: patchInventory,
};
