// Stock per product, size and warehouse: the seeded level (stock-managed products only; products
// created through the API start at 0) plus every change since (lines added to sales take their
// quantity out when they withdraw stock, deleted lines, voids and returns put it back). Rows are
// written as the `/stock_available/…` routes read them, with the size's barcode.
import { productBarcode } from "./format.js";
import type { HiboutikState, Product, Row } from "./records.js";

/** The size ids a product is stocked in: those of its size type, or `0` without sizes. */
export function sizesOf(state: HiboutikState, product: Product): number[] {
  const sizes = state.sizeTypes.get(Number(product.product_size_type ?? 0)) ?? [];
  return sizes.length > 0 ? sizes.map((s) => s.size_id) : [0];
}

const key = (productId: number, sizeId: number, warehouseId: number) =>
  `${productId}/${sizeId}/${warehouseId}`;

export function stockLevel(
  state: HiboutikState,
  productId: number,
  sizeId: number,
  warehouseId: number,
): number {
  return (
    state.stockBase(productId, sizeId, warehouseId) +
    (state.stockChanges.get(key(productId, sizeId, warehouseId)) ?? 0)
  );
}

export function changeStock(
  state: HiboutikState,
  productId: number,
  sizeId: number,
  warehouseId: number,
  delta: number,
): void {
  const k = key(productId, sizeId, warehouseId);
  state.stockChanges.set(k, (state.stockChanges.get(k) ?? 0) + delta);
}

/** The barcode of a product in a size (its own barcode without sizes). */
export function sizeBarcode(product: Product, sizeId: number): string {
  return sizeId === 0
    ? String(product.product_barcode ?? "")
    : productBarcode(product.product_id, sizeId);
}

/**
 * Stock rows of a product (every size, or one), one per warehouse, in size then warehouse order;
 * none for a product whose stock is not managed (or that does not exist).
 */
export function stockRows(
  state: HiboutikState,
  productId: number,
  sizeId?: number,
  warehouseId?: number,
): Row[] {
  const product = state.products.get(String(productId));
  if (!product || product.product_stock_management !== 1) return [];
  const rows: Row[] = [];
  for (const size of sizeId === undefined ? sizesOf(state, product) : [sizeId]) {
    for (const warehouse of state.warehouses) {
      const id = Number(warehouse.warehouse_id);
      if (warehouseId !== undefined && id !== warehouseId) continue;
      rows.push({
        product_id: productId,
        product_size: size,
        warehouse_id: id,
        stock_available: stockLevel(state, productId, size, id),
        inventory_alert: productId % 4 === 0 ? 3 : 0,
        product_barcode: sizeBarcode(product, size),
        product_supplier_reference: String(product.product_supplier_reference ?? ""),
      });
    }
  }
  return rows;
}
