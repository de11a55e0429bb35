// Products and the catalogue: the product list (250 a page; the active products, as the official
// README describes it: archived ones are left out), a product read (a one-element array, with its
// sizes, stock per warehouse and images), creation (201 `{product_id}`; `products_ref_ext` cut to 20
// characters), one-attribute updates checked against the description's Product field types, the
// search routes, images, tags, categories, brands (paginated), suppliers, sizes and modifiers.
import { loadDescription } from "../../../sandbox/description.js";
import { schemaChecker } from "../../../sandbox/schemas.js";
import { notFound, unprocessable } from "../errors.js";
import { flag, productBarcode } from "../format.js";
import { pagedAnswer } from "../paging.js";
import type { HiboutikState, Product, Row } from "../records.js";
import { sizeBarcode, sizesOf, stockRows } from "../stock.js";
import {
  bodyOf,
  type Ctx,
  done,
  type Handler,
  int,
  nowLocal,
  ok,
  pathInt,
  pathText,
  text,
} from "./common.js";

const description = () => loadDescription("hiboutik");

/**
 * A new value for a field of a schema, converted to the field's type as the description gives it
 * (`"12.50"` stays a Money string, `"1"` becomes the integer 1); a message when it does not fit or
 * the field is not one that can be written (an id, a list).
 */
export function attributeValue(
  schema: string,
  attribute: string,
  value: unknown,
  readOnly: readonly string[] = [],
): { value: unknown } | { field: "attribute" | "value"; message: string } {
  const doc = description().doc;
  const property = doc.components.schemas[schema]?.properties?.[attribute];
  if (property === undefined || readOnly.includes(attribute)) {
    return { field: "attribute", message: `"${attribute}" is not a field that can be changed` };
  }
  const resolved = description().resolve(property, "").node;
  if (resolved?.type === "array" || resolved?.type === "object") {
    return { field: "attribute", message: `"${attribute}" is not a field that can be changed` };
  }
  const pointer = `#/components/schemas/${schema}/properties/${attribute.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  const checked = schemaChecker(doc).coerce(pointer, value);
  if (checked.violations.length > 0) {
    return {
      field: "value",
      message: `is not a valid ${attribute}: ${checked.violations.map((v) => v.message).join("; ")}`,
    };
  }
  return { value: checked.value };
}

/** A product as the list shows it: the record, with every size of its size type. */
function productRow(state: HiboutikState, product: Product): Product {
  const sizes = state.sizeTypes.get(Number(product.product_size_type ?? 0)) ?? [];
  if (sizes.length === 0) return product;
  return {
    ...product,
    product_size_details: sizes.map((s) => ({
      size_id: s.size_id,
      size_name: s.size_name,
      barcode: sizeBarcode(product, s.size_id),
    })),
  };
}

const host = (ctx: Ctx) => String(ctx.headers.host ?? "127.0.0.1");

/** The images of a product as the API reads them (served by the sandbox at `/sandbox-images/…`). */
function imagesOf(ctx: Ctx, productId: number) {
  return ctx.state.images
    .filter((i) => i.product_id === productId)
    .map((i) => ({
      url: `http://${host(ctx)}/sandbox-images/${i.image_id}/${encodeURIComponent(i.file_name)}`,
      image_id: i.image_id,
      framing_type: i.framing_type,
    }));
}

/** A product as `GET /products/{product_id}` reads it. */
function productDetail(ctx: Ctx, product: Product): Product {
  const stock = stockRows(ctx.state, product.product_id);
  const sizes = sizesOf(ctx.state, product).filter((s) => s !== 0);
  return {
    ...productRow(ctx.state, product),
    active_sizes: sizes,
    stock_available: stock.map((row) => ({
      warehouse_id: row.warehouse_id as number,
      product_id: product.product_id,
      product_size: row.product_size as number,
      stock_available: row.stock_available as number,
      inventory_alert: row.inventory_alert as number,
    })),
    stock_available_global: stock.some((row) => (row.stock_available as number) > 0) ? 1 : 0,
    images: imagesOf(ctx, product.product_id),
  };
}

/** A product as the search routes list it. */
const searchRow = (state: HiboutikState, product: Product, size = 0) => ({
  ...productRow(state, product),
  product_size: size,
});

/** The references a product's ids point at: a 422 naming the first that does not exist. */
function checkReferences(state: HiboutikState, fields: Row) {
  const refs: [string, (id: number) => boolean][] = [
    ["product_vat", (id) => state.taxes.some((t) => t.tax_id === id)],
    ["product_brand", (id) => state.brands.some((b) => b.brand_id === id)],
    ["product_supplier", (id) => state.suppliers.some((s) => s.supplier_id === id)],
    ["product_category", (id) => state.categories.some((c) => c.category_id === id)],
    ["product_size_type", (id) => state.sizeTypes.has(id)],
  ];
  for (const [field, exists] of refs) {
    const id = fields[field];
    if (typeof id === "number" && id !== 0 && !exists(id)) {
      return unprocessable({ [field]: `no ${field.replace("product_", "")} ${id}` });
    }
  }
  return undefined;
}

const PRODUCT_READ_ONLY = [
  "product_id",
  "updated_at",
  "product_vat_value",
  "stock_available_global",
];

export const productHandlers: Record<string, Handler> = {
  listProducts(ctx) {
    const active = [...ctx.state.products.values((p) => p.product_arch !== 1)];
    return pagedAnswer(
      ctx,
      active.map((p) => productRow(ctx.state, p)),
      ctx.state.pageSize,
    );
  },

  createProduct(ctx) {
    const { state } = ctx;
    const body = bodyOf(ctx);
    const wrong = checkReferences(state, body);
    if (wrong) return wrong;
    let id = state.next.product;
    while (state.products.has(String(id))) id++;
    state.next.product = id + 1;
    const ref = text(body, "products_ref_ext") ?? "";
    const product: Product = {
      product_id: id,
      product_model: text(body, "product_model") ?? "",
      product_barcode: text(body, "product_barcode") || productBarcode(id),
      product_brand: int(body, "product_brand"),
      product_supplier: int(body, "product_supplier"),
      product_price: text(body, "product_price") ?? "0.00",
      product_discount_price: text(body, "product_discount_price") ?? "0.00",
      product_supply_price: "0.00",
      points_in: 0,
      points_out: 0,
      product_category: int(body, "product_category"),
      product_size_type: int(body, "product_size_type"),
      product_package: 0,
      product_stock_management: flag(body.product_stock_management),
      product_supplier_reference: text(body, "product_supplier_reference") ?? "",
      product_vat: int(body, "product_vat"),
      product_display: 1,
      product_display_www: 0,
      product_arch: flag(body.product_arch),
      products_desc: "",
      product_font_color: "#000000",
      product_bck_btn_color: "#CCCCCC",
      // Cut to 20 characters without a word, as the vendor does.
      products_ref_ext: ref.slice(0, 20),
      product_order: id,
      weight: "0.00",
      multiple: 1,
      misc_int: 0,
      misc_decimal: "0.00",
      misc_varchar: "",
      misc_varchar2: "",
      misc_text: "",
      misc_date: "0000-00-00",
      accounting_account: "",
      product_storage_location: "",
      short_label: "",
      updated_at: nowLocal(ctx),
      product_specific_rules: [],
      tags: [],
    };
    state.products.insert(product);
    state.emit("product", product);
    return ok({ product_id: id }, 201);
  },

  getProduct(ctx) {
    const id = pathInt(ctx, "product_id");
    const product = ctx.state.products.get(String(id));
    return product ? ok([productDetail(ctx, product)]) : notFound(`No product ${id}`);
  },

  updateProductAttribute(ctx) {
    const { state } = ctx;
    const id = pathInt(ctx, "product_id");
    const product = state.products.get(String(id));
    if (!product) return notFound(`No product ${id}`);
    const body = bodyOf(ctx);
    const attribute = String(body.product_attribute);
    const checked = attributeValue("Product", attribute, body.new_value, PRODUCT_READ_ONLY);
    if ("message" in checked) {
      return unprocessable({
        [checked.field === "attribute" ? "product_attribute" : "new_value"]: checked.message,
      });
    }
    const value =
      attribute === "products_ref_ext" ? String(checked.value).slice(0, 20) : checked.value;
    const wrong = checkReferences(state, { [attribute]: value });
    if (wrong) return wrong;
    const changed: Product = { ...product, [attribute]: value, updated_at: nowLocal(ctx) };
    state.products.replace(String(id), changed);
    state.emit("product", changed);
    return done();
  },

  /** By `products_ref_ext`, exactly (references are stored cut to 20 characters). */
  searchProducts(ctx) {
    const ref = ctx.params.query.products_ref_ext as string | undefined;
    if (ref === undefined) return ok([]);
    const rows = [...ctx.state.products.values((p) => p.products_ref_ext === ref)];
    return ok(rows.map((p) => searchRow(ctx.state, p)));
  },

  /** The products (and sizes) a barcode belongs to. */
  searchProductsByBarcode(ctx) {
    const barcode = pathText(ctx, "barcode");
    const rows: Row[] = [];
    for (const product of ctx.state.products.values()) {
      if (product.product_barcode === barcode) rows.push(searchRow(ctx.state, product));
      for (const size of sizesOf(ctx.state, product)) {
        if (size !== 0 && sizeBarcode(product, size) === barcode) {
          rows.push(searchRow(ctx.state, product, size));
        }
      }
    }
    return ok(rows);
  },

  /** Names containing the text, ignoring case (GAP: exact or partial is not documented). */
  searchProductsByName(ctx) {
    const name = pathText(ctx, "name").toLowerCase();
    const rows = ctx.state.products.values((p) =>
      String(p.product_model ?? "")
        .toLowerCase()
        .includes(name),
    );
    return ok([...rows].map((p) => searchRow(ctx.state, p)));
  },

  searchProductsBySupplierReference(ctx) {
    const ref = pathText(ctx, "supplier_reference");
    const rows = ctx.state.products.values((p) => p.product_supplier_reference === ref);
    return ok([...rows].map((p) => searchRow(ctx.state, p)));
  },

  searchProductsByTag(ctx) {
    const tagId = pathInt(ctx, "tag_id");
    const known = ctx.state.tagCategories.some((c) =>
      c.tag_details.some((t) => t.tag_id === tagId),
    );
    if (!known) return notFound(`No product tag ${tagId}`);
    const rows = ctx.state.products.values(
      (p) => Array.isArray(p.tags) && p.tags.some((t) => t.tag_id === tagId),
    );
    return ok([...rows].map((p) => searchRow(ctx.state, p)));
  },

  listProductImages(ctx) {
    const id = pathInt(ctx, "product_id");
    if (!ctx.state.products.has(String(id))) return notFound(`No product ${id}`);
    return ok(imagesOf(ctx, id));
  },

  async uploadProductImages(ctx) {
    const { state } = ctx;
    const id = pathInt(ctx, "product_id");
    if (!state.products.has(String(id))) return notFound(`No product ${id}`);
    const form = ctx.body instanceof FormData ? ctx.body : undefined;
    // Blobs with a name: the global File type differs between Node's and undici's typings.
    const files = (form?.getAll("image[]") ?? [])
      .filter((f) => typeof f !== "string")
      .map((f) => f as unknown as Blob & { name?: string });
    if (files.length === 0) return unprocessable({ "image[]": "no image file was sent" });
    for (const file of files) {
      state.images.push({
        image_id: state.next.image++,
        product_id: id,
        file_name: file.name || "image",
        content_type: file.type || "application/octet-stream",
        bytes: new Uint8Array(await file.arrayBuffer()),
        framing_type: String(form?.get("framing_type") ?? "default"),
      });
    }
    return done();
  },

  listProductTags: (ctx) => ok(ctx.state.tagCategories),
  listCategories: (ctx) => ok(ctx.state.categories),

  /**
   * The body is not documented (GAP): the read model's names are taken (`category_name`, required
   * here; `category_id_parent`, which must exist; position, enabled, colours); others are ignored.
   */
  createCategory(ctx) {
    const { state } = ctx;
    const body = bodyOf(ctx);
    const name = text(body, "category_name");
    if (!name) return unprocessable({ category_name: "is required" });
    const parent = int(body, "category_id_parent");
    if (parent !== 0 && !state.categories.some((c) => c.category_id === parent)) {
      return unprocessable({ category_id_parent: `no category ${parent}` });
    }
    const id = Math.max(state.next.category, ...state.categories.map((c) => c.category_id + 1));
    state.next.category = id + 1;
    state.categories.push({
      category_id: id,
      category_name: name,
      category_id_parent: parent,
      category_position: int(body, "category_position", id),
      category_enabled: int(body, "category_enabled", 1) === 0 ? 0 : 1,
      category_color: text(body, "category_color") ?? "#000000",
      category_bck_color: text(body, "category_bck_color") ?? "#CCCCCC",
    });
    return done();
  },

  /** `category_id` and either `category_attribute` + `new_value`, or Category fields. */
  updateCategory(ctx) {
    const body = bodyOf(ctx);
    const id = int(body, "category_id");
    const category = ctx.state.categories.find((c) => c.category_id === id);
    if (!category) return unprocessable({ category_id: id ? `no category ${id}` : "is required" });
    const changes: Row =
      body.category_attribute !== undefined
        ? { [String(body.category_attribute)]: body.new_value }
        : Object.fromEntries(Object.entries(body).filter(([k]) => k !== "category_id"));
    if (Object.keys(changes).length === 0) {
      return unprocessable({ category_attribute: "nothing to change" });
    }
    const updated: Row = {};
    for (const [attribute, value] of Object.entries(changes)) {
      const checked = attributeValue("Category", attribute, value, ["category_id"]);
      if ("message" in checked) {
        const viaAttribute = body.category_attribute !== undefined;
        const field =
          checked.field === "attribute"
            ? viaAttribute
              ? "category_attribute"
              : attribute
            : viaAttribute
              ? "new_value"
              : attribute;
        return unprocessable({ [field]: checked.message });
      }
      updated[attribute] = checked.value;
    }
    Object.assign(category, updated);
    return done();
  },

  listBrands: (ctx) => pagedAnswer(ctx, ctx.state.brands, ctx.state.pageSize),

  createBrand(ctx) {
    const { state } = ctx;
    const name = text(bodyOf(ctx), "brand_name") ?? "";
    if (name.trim() === "") return unprocessable({ brand_name: "must not be empty" });
    const id = Math.max(state.next.brand, ...state.brands.map((b) => b.brand_id + 1));
    state.next.brand = id + 1;
    state.brands.push({ brand_id: id, brand_name: name, brand_enabled: 1, brand_position: id });
    return done();
  },

  /** `brand_id` in the body, with `brand_name` (official) or `brand_attribute` + `new_value`. */
  updateBrand(ctx) {
    const body = bodyOf(ctx);
    const id = int(body, "brand_id");
    const brand = ctx.state.brands.find((b) => b.brand_id === id);
    if (!brand) return unprocessable({ brand_id: `no brand ${id}` });
    if (body.brand_attribute !== undefined) {
      const checked = attributeValue("Brand", String(body.brand_attribute), body.new_value, [
        "brand_id",
      ]);
      if ("message" in checked) {
        return unprocessable({
          [checked.field === "attribute" ? "brand_attribute" : "new_value"]: checked.message,
        });
      }
      Object.assign(brand, { [String(body.brand_attribute)]: checked.value });
      return done();
    }
    const name = text(body, "brand_name");
    if (name === undefined) return unprocessable({ brand_name: "is required to rename a brand" });
    if (name.trim() === "") return unprocessable({ brand_name: "must not be empty" });
    brand.brand_name = name;
    return done();
  },

  listSuppliers: (ctx) => ok(ctx.state.suppliers),

  listSizes(ctx) {
    const type = pathInt(ctx, "size_type_id");
    const sizes = ctx.state.sizeTypes.get(type);
    return sizes ? ok(sizes) : notFound(`No size type ${type}`);
  },

  listModifiers: (ctx) => ok(ctx.state.modifiers),
};
