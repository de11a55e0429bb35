// A catalog's content as HubRise stores it from an upload (Catalogs §1–12): uploads refer to other
// items by `*_ref`, reads give `*_id`; every item gets an id; categories come depth-first in upload
// order; an option list's deprecated `type` sets its selections; an option without a price is
// free. A reference to nothing (a category, an option list, a SKU, an image) fails the upload with
// a 422 naming the field, as does a duplicated `ref` where HubRise requires it unique.
import type { HubriseSchema } from "../index.js";
import type { FieldError } from "./errors.js";
import type { IdSpace } from "./ids.js";

export type CatalogData = HubriseSchema<"CatalogData">;
export type CatalogDataUpload = HubriseSchema<"CatalogDataUpload">;
export type CatalogCategory = HubriseSchema<"CatalogCategory">;
export type CatalogProduct = HubriseSchema<"CatalogProduct">;
export type CatalogSku = HubriseSchema<"CatalogSku">;
export type CatalogOptionList = HubriseSchema<"CatalogOptionList">;
export type CatalogOption = HubriseSchema<"CatalogOption">;
export type CatalogDeal = HubriseSchema<"CatalogDeal">;
export type CatalogDiscount = HubriseSchema<"CatalogDiscount">;
export type CatalogCharge = HubriseSchema<"CatalogCharge">;
export type CatalogVariant = HubriseSchema<"CatalogVariant">;

/** A catalog's content in its read shape, each kind in its own array. */
export interface CatalogContent {
  variants: CatalogVariant[];
  categories: CatalogCategory[];
  products: CatalogProduct[];
  option_lists: CatalogOptionList[];
  deals: CatalogDeal[];
  discounts: CatalogDiscount[];
  charges: CatalogCharge[];
}

export const emptyContent = (): CatalogContent => ({
  variants: [],
  categories: [],
  products: [],
  option_lists: [],
  deals: [],
  discounts: [],
  charges: [],
});

/** What `data` reads as (option lists under HubRise's canonical `option_lists`). */
export const contentAsData = (content: CatalogContent): CatalogData => ({ ...content });

/** Every SKU of the content, with its product. */
export const skusOf = (content: CatalogContent): CatalogSku[] =>
  content.products.flatMap((p) => p.skus ?? []);

/** Every option of the content. */
export const optionsOf = (content: CatalogContent): CatalogOption[] =>
  content.option_lists.flatMap((l) => l.options ?? []);

/** Whether an item of the content shows `imageId` (an image in use is never purged). */
export function usesImage(content: CatalogContent, imageId: string): boolean {
  const holders = [
    ...content.categories,
    ...content.products,
    ...content.deals,
    ...content.discounts,
  ];
  return holders.some((item) => (item.image_ids ?? []).includes(imageId));
}

/**
 * The read shape of an upload, with ids from `ids`; or the field errors (422) when it refers to
 * something that does not exist. `imageIds`: the catalog's images, which items may show.
 */
export function buildContent(
  upload: CatalogDataUpload,
  ids: IdSpace,
  currency: string,
  imageIds: ReadonlySet<string>,
): { content: CatalogContent } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const content = emptyContent();
  const uniqueRefs = (kind: string, items: { ref?: string | null }[] | undefined) => {
    const seen = new Set<string>();
    (items ?? []).forEach((item, i) => {
      if (item.ref === undefined || item.ref === null) return;
      if (seen.has(item.ref))
        errors.push({ field: `${kind}[${i}].ref`, message: "is already used" });
      seen.add(item.ref);
    });
  };
  const images = (field: string, list: string[] | undefined) => {
    (list ?? []).forEach((id, i) => {
      if (!imageIds.has(id))
        errors.push({ field: `${field}[${i}]`, message: "is not an image of this catalog" });
    });
    return list ?? [];
  };

  uniqueRefs("variants", upload.variants);
  content.variants = (upload.variants ?? []).map((v) => ({ ref: v.ref, name: v.name }));

  // Categories: depth-first in upload order (children right after their parent).
  uniqueRefs("categories", upload.categories);
  const categoryIds = new Map<string, string>();
  for (const c of upload.categories ?? []) categoryIds.set(c.ref, ids.fresh());
  const uploaded = upload.categories ?? [];
  uploaded.forEach((c, i) => {
    if (c.parent_ref !== undefined && !categoryIds.has(c.parent_ref)) {
      errors.push({
        field: `categories[${i}].parent_ref`,
        message: "is not a category of this catalog",
      });
    }
  });
  const placed = new Set<string>();
  const place = (parentRef: string | undefined, depth: number) => {
    if (depth > 32) return;
    uploaded.forEach((c, i) => {
      const parent =
        c.parent_ref !== undefined && categoryIds.has(c.parent_ref) ? c.parent_ref : undefined;
      if (parent !== parentRef || placed.has(c.ref)) return;
      placed.add(c.ref);
      content.categories.push({
        id: categoryIds.get(c.ref)!,
        ref: c.ref,
        parent_id: parent === undefined ? null : categoryIds.get(parent)!,
        name: c.name,
        tags: c.tags ?? [],
        image_ids: images(`categories[${i}].image_ids`, c.image_ids),
      });
      place(c.ref, depth + 1);
    });
  };
  place(undefined, 0);

  uniqueRefs("option_lists", upload.option_lists);
  const optionListIds = new Map<string, string>();
  (upload.option_lists ?? []).forEach((l) => {
    const id = ids.fresh();
    optionListIds.set(l.ref, id);
    const single = l.type === "single";
    const list: CatalogOptionList = {
      id,
      ref: l.ref,
      name: l.name,
      min_selections: l.min_selections ?? (single ? 1 : 0),
      max_selections: l.max_selections ?? (single ? 1 : null),
      tags: l.tags ?? [],
      options: l.options.map((o) => ({
        id: ids.fresh(),
        ref: o.ref ?? null,
        option_list_id: id,
        name: o.name,
        // The documentation's own sample omits the price of a free option.
        price: o.price ?? `0.00 ${currency}`,
        price_overrides: o.price_overrides ?? [],
        default: o.default ?? false,
        ...(o.restrictions ? { restrictions: o.restrictions } : {}),
        tags: o.tags ?? [],
      })),
    };
    if (l.type !== undefined) list.type = l.type;
    content.option_lists.push(list);
  });

  const skuIds = new Map<string, string>();
  (upload.products ?? []).forEach((p, i) => {
    const categoryId = categoryIds.get(p.category_ref);
    if (categoryId === undefined) {
      errors.push({
        field: `products[${i}].category_ref`,
        message: "is not a category of this catalog",
      });
    }
    const productId = ids.fresh();
    content.products.push({
      id: productId,
      ref: p.ref ?? null,
      category_id: categoryId ?? "",
      name: p.name,
      ...(typeof p.description === "string" ? { description: p.description } : {}),
      tags: p.tags ?? [],
      image_ids: images(`products[${i}].image_ids`, p.image_ids),
      skus: p.skus.map((s, j) => {
        const skuId = ids.fresh();
        if (s.ref !== undefined) skuIds.set(s.ref, skuId);
        const optionListIdsOfSku = (s.option_list_refs ?? []).map((ref, k) => {
          const id = optionListIds.get(ref);
          if (id === undefined) {
            errors.push({
              field: `products[${i}].skus[${j}].option_list_refs[${k}]`,
              message: "is not an option list of this catalog",
            });
          }
          return id ?? "";
        });
        const sku: CatalogSku = {
          id: skuId,
          ref: s.ref ?? null,
          name: s.name ?? null,
          product_id: productId,
          price: s.price,
          price_overrides: s.price_overrides ?? [],
          option_list_ids: optionListIdsOfSku,
          tags: s.tags ?? [],
        };
        if (s.restrictions) sku.restrictions = s.restrictions;
        if (s.custom_fields) sku.custom_fields = s.custom_fields;
        return sku;
      }),
    });
  });

  (upload.deals ?? []).forEach((d, i) => {
    content.deals.push({
      id: ids.fresh(),
      ref: d.ref ?? null,
      name: d.name,
      ...(d.restrictions ? { restrictions: d.restrictions } : {}),
      coupon_codes: d.coupon_codes ?? [],
      tags: d.tags ?? [],
      image_ids: images(`deals[${i}].image_ids`, d.image_ids),
      lines: d.lines.map((line, j) => ({
        skus: line.skus.map((s, k) => {
          const id = skuIds.get(s.ref);
          if (id === undefined) {
            errors.push({
              field: `deals[${i}].lines[${j}].skus[${k}].ref`,
              message: "is not a SKU of this catalog",
            });
          }
          return { id: id ?? "", ref: s.ref, extra_charge: s.extra_charge ?? null };
        }),
        pricing_effect: line.pricing_effect,
        pricing_value: line.pricing_value ?? null,
        label: line.label ?? null,
      })),
    });
  });

  (upload.discounts ?? []).forEach((d, i) => {
    content.discounts.push({
      id: ids.fresh(),
      ref: d.ref ?? null,
      name: d.name,
      ...(d.restrictions ? { restrictions: d.restrictions } : {}),
      coupon_codes: d.coupon_codes ?? [],
      pricing_effect: d.pricing_effect,
      pricing_value: d.pricing_value ?? null,
      image_ids: images(`discounts[${i}].image_ids`, d.image_ids),
    });
  });

  for (const c of upload.charges ?? []) {
    content.charges.push({
      id: ids.fresh(),
      ref: c.ref ?? null,
      name: c.name,
      type: c.type,
      price: c.price ?? null,
      ...(c.restrictions ? { restrictions: c.restrictions } : {}),
    });
  }

  return errors.length > 0 ? { errors } : { content };
}
