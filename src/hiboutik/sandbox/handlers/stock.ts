// Stock and inventory: stock rows per warehouse (250 a page), for every warehouse (paginated too,
// as the description models it), per product and per product size; a size's barcode; inventory
// inputs (goods received) with their lines, the lines on hold, stock transfers, the products
// received on a day, returned on a day, and a product's purchase history.
import { notFound, unprocessable } from "../errors.js";
import { pagedAnswer } from "../paging.js";
import type { InventoryInputRecord, Row } from "../records.js";
import { sizeBarcode, sizesOf, stockRows } from "../stock.js";
import { findStore, type Ctx, type Handler, isAnswer, ok, pathDate, pathInt } from "./common.js";

const inputRow = ({ details: _, ...input }: InventoryInputRecord): Row => input;

function productOr404(ctx: Ctx) {
  const id = pathInt(ctx, "product_id");
  return ctx.state.products.get(String(id)) ?? notFound(`No product ${id}`);
}

export const stockHandlers: Record<string, Handler> = {
  listWarehouseStock(ctx) {
    const warehouseId = pathInt(ctx, "warehouse_id");
    if (!ctx.state.warehouses.some((w) => w.warehouse_id === warehouseId)) {
      return notFound(`No warehouse ${warehouseId}`);
    }
    const rows: Row[] = [];
    for (const product of ctx.state.products.values()) {
      rows.push(...stockRows(ctx.state, product.product_id, undefined, warehouseId));
    }
    return pagedAnswer(ctx, rows, ctx.state.pageSize);
  },

  listAllWarehousesStock(ctx) {
    const rows: Row[] = [];
    for (const product of ctx.state.products.values()) {
      rows.push(...stockRows(ctx.state, product.product_id));
    }
    return pagedAnswer(ctx, rows, ctx.state.pageSize);
  },

  listProductStock(ctx) {
    const product = productOr404(ctx);
    if (isAnswer(product)) return product;
    return ok(stockRows(ctx.state, product.product_id));
  },

  listProductSizeStock(ctx) {
    const product = productOr404(ctx);
    if (isAnswer(product)) return product;
    const size = pathInt(ctx, "size_id");
    if (!sizesOf(ctx.state, product).includes(size)) {
      return unprocessable({ size_id: "please provide a valid size_id for this product_id" });
    }
    return ok(stockRows(ctx.state, product.product_id, size));
  },

  /** A one-element array: the product, the size and its barcode (GAP: the shape is not documented). */
  getProductSizeBarcode(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const product = productOr404(ctx);
    if (isAnswer(product)) return product;
    const size = pathInt(ctx, "size_id");
    if (!sizesOf(ctx.state, product).includes(size)) {
      return unprocessable({ size_id: "please provide a valid size_id for this product_id" });
    }
    return ok([
      {
        product_id: product.product_id,
        product_size: size,
        product_barcode: sizeBarcode(product, size),
      },
    ]);
  },

  listInventoryInputs: (ctx) => ok(ctx.state.inventoryInputs.map(inputRow)),

  getInventoryInput(ctx) {
    const id = pathInt(ctx, "inventory_input_id");
    const input = ctx.state.inventoryInputs.find((i) => i.inventory_input_id === id);
    return input ? ok([inputRow(input)]) : notFound(`No inventory input ${id}`);
  },

  listInventoryInputDetails(ctx) {
    const id = pathInt(ctx, "inventory_input_id");
    const input = ctx.state.inventoryInputs.find((i) => i.inventory_input_id === id);
    return input ? ok(input.details) : notFound(`No inventory input ${id}`);
  },

  listInventoryInputsOnHold: (ctx) => ok(ctx.state.inventoryOnHold),
  listStockTransfers: (ctx) => ok(ctx.state.stockTransfers.map((t) => t.stock_transfer)),

  /** A one-element array, like the vendor's other single-record reads (GAP: not verified). */
  getStockTransfer(ctx) {
    const id = pathInt(ctx, "stock_transfer_id");
    const transfer = ctx.state.stockTransfers.find(
      (t) => t.stock_transfer.stock_transfer_id === id,
    );
    return transfer ? ok([transfer.stock_transfer]) : notFound(`No stock transfer ${id}`);
  },

  listStockTransferDetails(ctx) {
    const id = pathInt(ctx, "stock_transfer_id");
    const transfer = ctx.state.stockTransfers.find(
      (t) => t.stock_transfer.stock_transfer_id === id,
    );
    return transfer ? ok(transfer.details) : notFound(`No stock transfer ${id}`);
  },

  /** The lines of the inventory inputs received into the warehouse that day. */
  listProductsPurchased(ctx) {
    const warehouseId = pathInt(ctx, "warehouse_id");
    if (!ctx.state.warehouses.some((w) => w.warehouse_id === warehouseId)) {
      return notFound(`No warehouse ${warehouseId}`);
    }
    const date = pathDate(ctx);
    return ok(
      ctx.state.inventoryInputs
        .filter((i) => i.warehouse_id === warehouseId && i.inventory_input_date.startsWith(date))
        .flatMap((i) => i.details.map((d) => ({ inventory_input_id: i.inventory_input_id, ...d }))),
    );
  },

  /** The sale lines returned (as credit notes) in the store that day. */
  listProductsReturned(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    const date = pathDate(ctx);
    return ok(ctx.state.returns.filter((r) => r.store_id === storeId && r.date === date));
  },

  listProductPurchaseHistory(ctx) {
    const product = productOr404(ctx);
    if (isAnswer(product)) return product;
    return ok(
      ctx.state.inventoryInputs.flatMap((i) =>
        i.details
          .filter((d) => d.product_id === product.product_id)
          .map((d) => ({
            inventory_input_id: i.inventory_input_id,
            inventory_input_date: i.inventory_input_date,
            supplier_id: i.inventory_input_supplier_id,
            warehouse_id: i.warehouse_id,
            quantity: d.quantity,
            product_price: d.product_price,
          })),
      ),
    );
  },
};
