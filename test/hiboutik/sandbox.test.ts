// The Hiboutik sandbox as an integrator's test suite meets it: every operation has a handler, the
// two authentication schemes and their refusals, paging (250 a page, Content-Range and Link)
// through the real client with every row once, the description's filters, writes read back, the
// 30-in-flight cap and the monthly quota on the sandbox's clock, violations of the description
// named, faults through the API and the X-Sandbox-Fault header, determinism, the user's own data,
// an OAuth install and webhooks. Started with `validate: true`: every answer fits the description
// (`violations` stays empty, checked after each test).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  collect,
  createHiboutikClient,
  type HiboutikClientOptions,
  hiboutikOAuth,
  hiboutikWebhookHandler,
  PaginationError,
  parseHiboutikWebhook,
  QuotaExhaustedError,
  RecordNotFoundError,
} from "../../src/hiboutik/index.js";
import {
  type HiboutikSandbox,
  type HiboutikSandboxOptions,
  handlers,
  startHiboutikSandbox,
} from "../../src/hiboutik/sandbox/index.js";
import { loadDescription } from "../../src/sandbox/description.js";
import { schemaChecker } from "../../src/sandbox/schemas.js";
import { ManualClock } from "../support/manual-clock.js";

let sandbox: HiboutikSandbox | undefined;
const others: HiboutikSandbox[] = [];

afterEach(async () => {
  for (const s of [sandbox, ...others]) {
    // Every answer the sandbox gave fits the description.
    expect(s?.violations ?? []).toEqual([]);
    await s?.close();
  }
  sandbox = undefined;
  others.length = 0;
});

/** Monday 12 January 2026, 10:00 in Paris: after the seeded week, so new sales close "today". */
const TODAY = Date.UTC(2026, 0, 12, 9);

async function start(options: HiboutikSandboxOptions = {}) {
  sandbox = await startHiboutikSandbox({
    validate: true,
    clock: new ManualClock(TODAY),
    ...options,
  });
  return sandbox;
}

function clientOf(sb: HiboutikSandbox, options: HiboutikClientOptions = {}) {
  return createHiboutikClient(sb.credentials, {
    baseUrl: sb.url,
    retry: { baseDelayMs: 5 },
    ...options,
  });
}

/** A client that throws ApiError on every non-2xx (its `data` is then always there). */
const strict = (sb: HiboutikSandbox) =>
  createHiboutikClient(sb.credentials, {
    baseUrl: sb.url,
    retry: { baseDelayMs: 5 },
    throwOnError: true,
  });

const basic = (sb: HiboutikSandbox) =>
  `Basic ${Buffer.from(`${sb.credentials.login}:${sb.credentials.apiKey}`).toString("base64")}`;

/** A raw call with the sandbox's Basic credentials (or the headers given). */
async function call(
  sb: HiboutikSandbox,
  method: string,
  path: string,
  init: { body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { authorization: basic(sb), ...init.headers };
  let body: string | undefined;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  const response = await fetch(sb.url + path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("the Hiboutik sandbox", () => {
  it("has one handler per operation of the description, and nothing else", () => {
    const operationIds = loadDescription("hiboutik").operations.map((o) => o.operationId);
    expect(operationIds).toHaveLength(98);
    expect(Object.keys(handlers).sort()).toEqual([...operationIds].sort());
  });

  it("answers every operation with a success that fits the description", async () => {
    const sb = await start();
    const state = sb.state;
    const address = [...state.customers.values((c) => (c.addresses?.length ?? 0) > 0)][0]!;
    const customer = [...state.sales.values((s) => s.customer_id !== 0)][0]!.customer_id;
    const values: Record<string, string> = {
      store_id: "1",
      product_id: "5",
      warehouse_id: "1",
      size_id: "0",
      inventory_input_id: "1",
      stock_transfer_id: "1",
      yyyy: "2026",
      mm: "01",
      dd: "06",
      customers_id: String(customer),
      sale_id: "44",
      event_id: "1",
      client_id: sb.oauth.clientId,
      address_id: String(address.addresses![0]!.address_id),
      barcode: "2430000000232",
      name: "mug",
      supplier_reference: "REF-1005",
      tag_id: "1",
      ext_ref: "x",
      size_type_id: "1",
    };
    const expectOk = async (
      method: string,
      path: string,
      init: Parameters<typeof call>[3] = {},
    ) => {
      const answer = await call(sb, method, path, init);
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
      return answer.text === "" ? undefined : answer.json();
    };
    for (const op of loadDescription("hiboutik").operations) {
      if (op.method !== "get") continue;
      const path = op.template.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);
      await expectOk(
        "GET",
        path + (op.operationId === "searchSales" ? `?customer_id=${customer}` : ""),
      );
    }
    await expectOk("POST", "/payment_types", { body: { payment_type: "VIR" } });
    const { product_id } = await expectOk("POST", "/products/", { form: { product_model: "Mug" } });
    await expectOk("PUT", `/product/${product_id}`, {
      form: { product_attribute: "product_vat", new_value: "2" },
    });
    await expectOk("POST", "/categories", {
      body: { category_name: "Soldes", category_id_parent: 1 },
    });
    await expectOk("PUT", "/categories", {
      form: { category_id: "2", category_attribute: "category_enabled", new_value: "0" },
    });
    await expectOk("POST", "/brands/", { body: { brand_name: "Nouvelle" } });
    await expectOk("PUT", "/brands/", { body: { brand_id: 1, brand_name: "Hibou & Co" } });
    await expectOk("POST", "/customers/", { body: { customers_last_name: "Lovelace" } });
    await expectOk("PUT", "/customer/3", {
      body: { customers_attribute: "customers_email", new_value: "ada@example.com" },
    });
    await expectOk("DELETE", "/customer/3");
    const { sale_id } = await expectOk("POST", "/sales/", {
      body: { store_id: 1, currency_code: "EUR" },
    });
    const add = async (price: string) =>
      (
        await expectOk("POST", "/sales/add_product/", {
          form: { sale_id: String(sale_id), product_id: "0", quantity: "1", product_price: price },
        })
      ).id_sale_product_detail as number;
    const line = await add("10.00");
    const extra = await add("3.00");
    await expectOk("PUT", `/sale/${sale_id}`, {
      body: { sale_attribute: "payment", new_value: "DIV" },
    });
    const { payment_detail_id } = await expectOk("POST", "/sales_payment_div/", {
      body: { sale_id, payment_type: "ESP", payment_amount: "4.00" },
    });
    await expectOk("DELETE", `/sales_payment_div/${payment_detail_id}`);
    await expectOk("POST", "/sales/comments/", { body: { sale_id, comments: "order_id : 1042" } });
    await expectOk("POST", "/sales/add_global_discount", {
      body: { sale_id, type: 1, amount: "1.00" },
    });
    await expectOk("PUT", `/sale_line_item/${line}`, {
      body: { line_item_attribute: "vat", new_value: "0.055" },
    });
    await expectOk("DELETE", `/sale_line_item/${extra}`);
    await expectOk("POST", "/kitchen/line_item", { body: { item_id: line } });
    await expectOk("POST", "/sales/add_credit_note/", {
      body: { sale_id, credit_note_code: "1001" },
    });
    await expectOk("POST", "/sales/close/", { body: { sale_id } });
    // 10.00 with taxes (now at 5.5 %), less the 1.00 discount line (at the first line's 20 %).
    const [closed] = await expectOk("GET", `/sales/${sale_id}`);
    expect(closed.total).toBe("9.00");
    expect(closed.taxes.map((t: { tax_value: string }) => t.tax_value)).toEqual(["0.055", "0.200"]);
    await expectOk("PUT", `/sale_line_item_exchange/${line}/0/`, { body: {} });
    const seeded = state.sales.get("10")!;
    await expectOk("POST", "/sales/void", { body: { sale_id: 10, store_id: seeded.store_id } });
    await expectOk("POST", "/till/cash_in", {
      body: { store_id: 1, amount: "50.00", comments: "Banque" },
    });
    await expectOk("POST", "/till/cash_out", { body: { store_id: 1, amount: "20.00" } });
    await expectOk("POST", "/print/misc/", {
      body: { store_id: 1, data: "<hibou_bold>\r\nHello\n" },
    });
    await expectOk("POST", "/action_links/", {
      body: { action_link_location: "sale", action_link_type: "url" },
    });
    const { webhook_id } = await expectOk("POST", "/webhooks", {
      body: { webhook_url: "http://127.0.0.1:9/none", webhook_action: "timestamp" },
    });
    await expectOk("DELETE", `/webhooks/${webhook_id}`);
    await expectOk("POST", "/z/closure");
    const { refreshToken } = sb.oauth.issueTokens();
    await expectOk("POST", "/token.php", {
      headers: {
        authorization: `Basic ${Buffer.from(`${sb.oauth.clientId}:${sb.oauth.clientSecret}`).toString("base64")}`,
      },
      form: { grant_type: "refresh_token", refresh_token: refreshToken! },
    });
    const demo = await startHiboutikSandbox({
      validate: true,
      demo: true,
      size: { customers: 10 },
    });
    others.push(demo);
    expect((await call(demo, "POST", "/reset", { body: { reset_action: "clients" } })).status).toBe(
      200,
    );
    expect((await call(demo, "GET", "/customers/")).json()).toEqual([]);

    const image = new FormData();
    image.append("image[]", new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }), "a.png");
    const uploaded = await fetch(`${sb.url}/products_images/5/`, {
      method: "POST",
      headers: { authorization: basic(sb) },
      body: image,
    });
    expect(uploaded.status).toBe(200);

    // Every operation answered a success.
    const answered = new Set(
      [...sb.requests, ...demo.requests].filter((r) => r.status < 300).map((r) => r.operationId),
    );
    const missing = Object.keys(handlers).filter((id) => !answered.has(id));
    expect(missing).toEqual([]);
  });

  describe("authentication", () => {
    it("refuses a missing or wrong credential with 401 and code 1, never echoing it", async () => {
      const sb = await start();
      const missing = await call(sb, "GET", "/stores", { headers: { authorization: "" } });
      expect(missing.status).toBe(401);
      expect(missing.json()).toMatchObject({ code: 1, error: "unauthorized" });

      const wrongKey = Buffer.from(`${sb.credentials.login}:not-the-key-7f3a`).toString("base64");
      const wrong = await call(sb, "GET", "/stores", {
        headers: { authorization: `Basic ${wrongKey}` },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.json().code).toBe(1);
      expect(wrong.text).not.toContain("not-the-key-7f3a");

      const token = await call(sb, "GET", "/stores", {
        headers: { authorization: "Bearer forged-token-9c1e" },
      });
      expect(token.status).toBe(401);
      expect(token.json()).toMatchObject({ code: 1, error: "invalid_token" });
      expect(token.text).not.toContain("forged-token-9c1e");
    });

    it("takes Basic (login, API key) and a Bearer token, through the client", async () => {
      const sb = await start();
      const byKey = strict(sb);
      expect((await byKey.GET("/stores")).data).toEqual(sb.state.stores);
      const byToken = createHiboutikClient(sb.tokenCredentials, {
        baseUrl: sb.url,
        throwOnError: true,
      });
      expect((await byToken.GET("/taxes")).data).toEqual(sb.state.taxes);

      const stranger = createHiboutikClient(
        { account: "myshop", login: sb.credentials.login, apiKey: "wrong-key" },
        { baseUrl: sb.url, throwOnError: true },
      );
      const err = await stranger.GET("/stores").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError<{ code: number }>).status).toBe(401);
      expect((err as ApiError<{ code: number }>).body?.code).toBe(1);
    });

    it("answers 406 to a request that does not accept JSON", async () => {
      const sb = await start();
      const html = await call(sb, "GET", "/stores", { headers: { accept: "text/html" } });
      expect(html.status).toBe(406);
      expect(html.json().error_description).toMatch(/application\/json/);
      const any = await call(sb, "GET", "/stores", { headers: { accept: "text/html, */*;q=0.1" } });
      expect(any.status).toBe(200);
    });
  });

  describe("paging", () => {
    it("pages 2,102 customers 250 at a time through the client, each exactly once", async () => {
      const sb = await start();
      const client = clientOf(sb);
      const ids: number[] = [];
      for await (const c of client.paginate("/customers/", {}, { concurrency: 4 })) {
        ids.push(c.customers_id);
      }
      expect(ids).toEqual(range(1, 2102));
      const pages = sb.requests.map((r) => r.target).sort();
      expect(pages).toEqual(
        range(1, 9)
          .map((p) => `/api/customers/?p=${p}`)
          .sort(),
      );
    });

    it("says which rows a page holds (Content-Range) and links the others (Link)", async () => {
      const sb = await start();
      const page = await call(sb, "GET", "/customers/?p=2");
      expect(page.json()).toHaveLength(250);
      expect(page.headers.get("content-range")).toBe("251-500/2102");
      const links = page.headers.get("link")!;
      const host = new URL(sb.url).host;
      for (const [p, rel] of [
        [1, "start"],
        [1, "prev"],
        [2, "current"],
        [3, "next"],
        [9, "last"],
      ] as const) {
        expect(links).toContain(`<http://${host}/api/customers/?p=${p}>; rel="${rel}"`);
      }
      const last = await call(sb, "GET", "/customers/?p=9");
      expect(last.headers.get("content-range")).toBe("2001-2102/2102");
      expect(last.headers.get("link")).not.toContain('rel="next"');
      const past = await call(sb, "GET", "/customers/?p=10");
      expect(past.json()).toEqual([]);
      expect(past.headers.get("content-range")).toBeNull();
    });

    it("reads a list that fits in a page without paging headers, in one request", async () => {
      const sb = await start({ size: { customers: 12 } });
      const all = await collect(clientOf(sb).paginate("/customers/"), { limit: 100 });
      expect(all.map((c) => c.customers_id)).toEqual(range(1, 12));
      expect(sb.requests).toHaveLength(1);
    });

    it("takes another page size, and lists the active products only", async () => {
      const sb = await start({ pageSize: 40 });
      const client = clientOf(sb);
      const products = await collect(client.paginate("/products/", {}, { concurrency: 8 }), {
        limit: 1000,
      });
      const active = [...sb.state.products.values((p) => p.product_arch !== 1)];
      expect(active.length).toBeLessThan(300);
      expect(products.map((p) => p.product_id)).toEqual(active.map((p) => p.product_id));
      expect(sb.requests).toHaveLength(Math.ceil(active.length / 40));
    });

    it("pages a busy day's closed sales (over 250) with every sale once", async () => {
      const sb = await start({ size: { stores: 1, sales: 1_400, days: 2 } });
      const client = clientOf(sb);
      const path = "/closed_sales/{store_id}/{yyyy}/{mm}/{dd}";
      const day = (dd: string) =>
        collect(
          client.paginate(path, { params: { path: { store_id: 1, yyyy: "2026", mm: "01", dd } } }),
          { limit: 5000 },
        );
      const [first, second] = [await day("05"), await day("06")];
      expect(first.length).toBeGreaterThan(250);
      expect(first.every((s) => s.completed_at?.startsWith("2026-01-05"))).toBe(true);
      expect(second.every((s) => s.completed_at?.startsWith("2026-01-06"))).toBe(true);
      const ids = [...first, ...second].map((s) => s.sale_id);
      expect(new Set(ids).size).toBe(ids.length);
      const closed = [...sb.state.sales.values((s) => s.unique_sale_id !== "")];
      expect(ids).toEqual(closed.map((s) => s.sale_id));
    });
  });

  describe("filters", () => {
    it("finds a customer's sales, a customer by email, sales by external reference", async () => {
      const sb = await start();
      const client = strict(sb);
      const customer = [...sb.state.sales.values((s) => s.customer_id !== 0)][0]!.customer_id;
      const sales = await collect(
        client.paginate("/sales/search", { params: { query: { customer_id: customer } } }),
        { limit: 1000 },
      );
      expect(sales.length).toBeGreaterThan(0);
      expect(sales.map((s) => s.sale_id)).toEqual(
        [...sb.state.sales.values((s) => s.customer_id === customer)].map((s) => s.sale_id),
      );

      const someone = sb.state.customers.get("17")!;
      const { data: found } = await client.GET("/customers/search/", {
        params: { query: { email: String(someone.email).toUpperCase() } },
      });
      expect(found.map((c) => c.customers_id)).toEqual([17]);

      await client.PUT("/sale/{sale_id}", {
        params: { path: { sale_id: 999 } },
        body: { sale_attribute: "ext_ref", new_value: "WC-1042-and-a-very-long-reference" },
      });
      await client.PUT("/sale/{sale_id}", {
        params: { path: { sale_id: 998 } },
        body: { sale_attribute: "ext_ref", new_value: "WC-10420" },
      });
      const { data: byRef } = await client.GET("/sales/search/ext_ref/{ext_ref}", {
        params: { path: { ext_ref: "WC-1042" } },
      });
      // A substring match, and references are cut at 25 characters.
      expect(byRef.map((s) => [s.sale_id, s.sale_ext_ref])).toEqual([
        [998, "WC-10420"],
        [999, "WC-1042-and-a-very-long-r"],
      ]);
    });

    it("lists a day's sold products and a product by barcode, size barcodes included", async () => {
      const sb = await start();
      const client = strict(sb);
      const sold = await collect(
        client.paginate("/products_sold/{store_id}/{yyyy}/{mm}/{dd}/", {
          params: { path: { store_id: 2, yyyy: "2026", mm: "01", dd: "07" } },
        }),
        { limit: 5000 },
      );
      let expected = 0;
      for (const sale of sb.state.sales.values(
        (s) => s.store_id === 2 && s.completed_at.startsWith("2026-01-07"),
      )) {
        expected += sale.lines.reduce((n, l) => n + l.quantity, 0);
      }
      expect(sold.reduce((n, row) => n + Number(row.quantity), 0)).toBe(expected);

      const sized = [...sb.state.products.values((p) => p.product_size_type === 1)][0]!;
      const { data: product } = await client.GET("/products/{product_id}", {
        params: { path: { product_id: sized.product_id } },
      });
      const medium = product[0]!.product_size_details!.find((s) => s.size_name === "M")!;
      const { data: hits } = await client.GET("/products/search/barcode/{barcode}/", {
        params: { path: { barcode: medium.barcode! } },
      });
      expect(hits.map((h) => [h.product_id, h.product_size])).toEqual([
        [sized.product_id, medium.size_id],
      ]);
    });
  });

  describe("writes, then reads", () => {
    it("creates a product (201), changes one attribute at a time, archives it out of the list", async () => {
      const sb = await start({ size: { products: 20 } });
      const client = strict(sb);
      const created = await client.POST("/products/", {
        body: {
          product_model: "Tote bag",
          product_price: "19.90",
          product_vat: 1,
          product_stock_management: 1,
          products_ref_ext: "shopify-gid-0123456789abcdef",
        },
      });
      expect(created.response.status).toBe(201);
      const id = created.data.product_id;
      expect(id).toBe(21);
      const product = await client.one("/products/{product_id}", {
        params: { path: { product_id: id } },
      });
      expect(product).toMatchObject({
        product_model: "Tote bag",
        product_price: "19.90",
        // Cut to 20 characters, without a word.
        products_ref_ext: "shopify-gid-01234567",
        updated_at: "2026-01-12 10:00:00",
      });
      const { data: byRef } = await client.GET("/products/search", {
        params: { query: { products_ref_ext: "shopify-gid-01234567" } },
      });
      expect(byRef.map((p) => p.product_id)).toEqual([id]);

      await client.PUT("/product/{product_id}", {
        params: { path: { product_id: id } },
        body: { product_attribute: "product_price", new_value: "24.50" },
      });
      const wrong = await clientOf(sb).PUT("/product/{product_id}", {
        params: { path: { product_id: id } },
        body: { product_attribute: "product_price", new_value: "cheap" },
      });
      expect(wrong.response.status).toBe(422);
      expect(wrong.error?.details).toHaveProperty("new_value");
      expect(
        (await client.one("/products/{product_id}", { params: { path: { product_id: id } } }))
          .product_price,
      ).toBe("24.50");

      const listed = await collect(client.paginate("/products/"), { limit: 100 });
      expect(listed.at(-1)?.product_id).toBe(id);
      await client.PUT("/product/{product_id}", {
        params: { path: { product_id: id } },
        body: { product_attribute: "product_arch", new_value: "1" },
      });
      const after = await collect(client.paginate("/products/"), { limit: 100 });
      expect(after.map((p) => p.product_id)).not.toContain(id);
    });

    it("creates a customer from customers_* names, reads unprefixed names, changes and deletes it", async () => {
      const sb = await start({ size: { customers: 3 } });
      const client = strict(sb);
      const { data } = await client.POST("/customers/", {
        body: {
          customers_first_name: "Claire",
          customers_last_name: "Martin",
          customers_email: "claire.martin@example.com",
          customers_country: "FRA",
          customers_phone_number: "0123456789",
        },
      });
      expect(data.customers_id).toBe(4);
      const path = { params: { path: { customers_id: 4 } } };
      expect(await client.one("/customer/{customers_id}", path)).toMatchObject({
        customers_id: 4,
        first_name: "Claire",
        last_name: "Martin",
        phone: "0123456789",
        addresses: [],
      });
      await client.PUT("/customer/{customers_id}", {
        ...path,
        body: { customers_attribute: "last_name", new_value: "Durand" },
      });
      const list = await collect(client.paginate("/customers/"), { limit: 10 });
      expect(list.map((c) => [c.customers_id, c.last_name]).at(-1)).toEqual([4, "Durand"]);
      await client.DELETE("/customer/{customers_id}", path);
      const gone = await clientOf(sb)
        .one("/customer/{customers_id}", path)
        .catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(RecordNotFoundError);
      expect(
        (await collect(client.paginate("/customers/"), { limit: 10 })).map((c) => c.customers_id),
      ).toEqual([1, 2, 3]);
    });

    it("runs a sale: open, lines (stock withdrawn), split payment, close, read back, void", async () => {
      const sb = await start();
      const client = strict(sb);
      const product = [
        ...sb.state.products.values(
          (p) =>
            p.product_stock_management === 1 &&
            p.product_size_type === 0 &&
            p.product_package === 0 &&
            p.product_arch === 0,
        ),
      ][0]!;
      const stockOf = async () =>
        (
          await client.GET("/stock_available/product_id_size/{product_id}/{size_id}", {
            params: { path: { product_id: product.product_id, size_id: 0 } },
          })
        ).data.find((r) => r.warehouse_id === 1)!.stock_available;
      const before = await stockOf();

      const { data: opened } = await client.POST("/sales/", {
        body: { store_id: 1, currency_code: "EUR", customer_id: 12, vendor_id: 2 },
      });
      const saleId = opened.sale_id;
      expect(saleId).toBe(1001);
      const { data: line } = await client.POST("/sales/add_product/", {
        body: {
          sale_id: saleId,
          product_id: product.product_id,
          quantity: 2,
          product_price: "10.00",
          stock_withdrawal: 1,
        },
      });
      await client.POST("/sales/add_product/", {
        body: {
          sale_id: saleId,
          product_id: 0,
          quantity: 1,
          product_price: "5.50",
          product_comments: "Gift wrap",
        },
      });
      expect(await stockOf()).toBe(before - 2);

      const open = await client.one("/sales/{sale_id}", { params: { path: { sale_id: saleId } } });
      expect(open).toMatchObject({
        completed_at: "0000-00-00 00:00:00",
        unique_sale_id: "",
        date_z: 0,
        date_z_yyyy: "0",
        date_z_mm: false,
        date_z_dd: false,
        total: "25.50",
        customer_id: 12,
      });
      expect(open.line_items[0]).toMatchObject({
        line_item_id: line.id_sale_product_detail,
        quantity: 2,
        product_price: "10.00",
        item_total_gross: "20.00",
      });

      await client.PUT("/sale/{sale_id}", {
        params: { path: { sale_id: saleId } },
        body: { sale_attribute: "payment", new_value: "DIV" },
      });
      await client.POST("/sales_payment_div/", {
        body: { sale_id: saleId, payment_type: "CB", payment_amount: "20.00" },
      });
      const invalidPayment = await clientOf(sb).POST("/sales_payment_div/", {
        body: { sale_id: saleId, payment_type: "WEB", payment_amount: "5.50" },
      });
      expect(invalidPayment.response.status).toBe(404);
      expect(invalidPayment.error?.error_description).toBe("Please provide a valid payment");
      await client.POST("/payment_types", { body: { payment_type: "WEB" } });
      await client.POST("/sales_payment_div/", {
        body: { sale_id: saleId, payment_type: "WEB", payment_amount: "5.50" },
      });
      await client.POST("/sales/close/", { body: { sale_id: saleId } });

      const closed = await client.one("/sales/{sale_id}", {
        params: { path: { sale_id: saleId } },
      });
      expect(closed).toMatchObject({
        completed_at: "2026-01-12 10:00:00",
        date_z: 20260112,
        date_z_mm: "01",
        date_z_dd: "12",
        payment: "DIV",
        balance: "0.00",
      });
      expect(closed.unique_sale_id).toMatch(/^2026-01-1-\d+$/);
      const number = Number(closed.unique_sale_id.split("-").at(-1));
      const seededNumbers = [
        ...sb.state.sales.values((s) => s.unique_sale_id.startsWith("2026-01-1-")),
      ]
        .map((s) => Number(s.unique_sale_id.split("-").at(-1)))
        .filter((n) => n !== number);
      expect(number).toBe(Math.max(...seededNumbers) + 1);
      expect(closed.payment_details?.map((p) => [p.payment_type, p.payment_amount])).toEqual([
        ["CB", "20.00"],
        ["WEB", "5.50"],
      ]);
      const today = await collect(
        client.paginate("/closed_sales/{store_id}/{yyyy}/{mm}/{dd}", {
          params: { path: { store_id: 1, yyyy: "2026", mm: "01", dd: "12" } },
        }),
        { limit: 10 },
      );
      expect(today.map((s) => [s.sale_id, s.total])).toEqual([[saleId, "25.50"]]);

      // A closed sale is a fiscal record: its lines stay, a void reverses it.
      const refused = await clientOf(sb).DELETE("/sale_line_item/{line_item_id}", {
        params: { path: { line_item_id: line.id_sale_product_detail } },
      });
      expect(refused.response.status).toBe(422);
      await client.POST("/sales/void", { body: { sale_id: saleId, store_id: 1 } });
      const reversal = await client.one("/sales/{sale_id}", {
        params: { path: { sale_id: saleId + 1 } },
      });
      expect(reversal).toMatchObject({ total: "-25.50", completed_at: "2026-01-12 10:00:00" });
      expect(reversal.unique_sale_id).toBe(`2026-01-1-${number + 1}`);
      expect(await stockOf()).toBe(before);
    });

    it("refuses lines the vendor refuses: sizes, packages, stock, and closing without withdrawal", async () => {
      const sb = await start();
      const client = clientOf(sb);
      const { data } = await client.POST("/sales/", {
        body: { store_id: 2, currency_code: "EUR" },
      });
      const saleId = data!.sale_id;
      const sized = [
        ...sb.state.products.values((p) => p.product_size_type === 2 && p.product_package === 0),
      ][0]!;
      const noSize = await client.POST("/sales/add_product/", {
        body: { sale_id: saleId, product_id: sized.product_id, quantity: 1 },
      });
      expect(noSize.response.status).toBe(422);
      expect(noSize.error?.details).toEqual({
        size_id: "please provide a valid size_id for this product_id",
      });
      const withSize = await client.POST("/sales/add_product/", {
        body: {
          sale_id: saleId,
          product_id: sized.product_id,
          size_id: 5,
          quantity: 1,
          stock_withdrawal: 0,
        },
      });
      expect(withSize.response.status).toBe(200);

      const pack = [...sb.state.products.values((p) => p.product_package === 1)][0]!;
      const refused = await client.POST("/sales/add_product/", {
        body: { sale_id: saleId, product_id: pack.product_id },
      });
      expect(refused.error?.details).toEqual({
        product_id: "This function does not handle packages",
      });

      const managed = [
        ...sb.state.products.values(
          (p) =>
            p.product_stock_management === 1 &&
            p.product_size_type === 0 &&
            p.product_package === 0,
        ),
      ][0]!;
      const tooMany = await client.POST("/sales/add_product/", {
        body: { sale_id: saleId, product_id: managed.product_id, quantity: 1_000 },
      });
      expect(tooMany.response.status).toBe(422);
      expect(tooMany.error?.details?.stock_withdrawal).toMatch(/not enough stock/);

      const close = await client.POST("/sales/close/", { body: { sale_id: saleId } });
      expect(close.response.status).toBe(422);
      expect(close.error?.details?.stock_withdrawal).toMatch(/does not withdraw stock/);
    });

    it("returns a line as a credit note, and pays another sale with it", async () => {
      const sb = await start();
      const client = strict(sb);
      const sale = sb.state.sales.get("10")!;
      const line = sale.lines[0]!;
      const { data } = await client.PUT("/sale_line_item_exchange/{line_item_id}/{stock_id}/", {
        params: { path: { line_item_id: line.line_item_id, stock_id: 0 } },
        body: {},
      });
      const code = data.avoir_id;
      const { data: notes } = await client.GET("/credit_notes/{store_id}", {
        params: { path: { store_id: sale.store_id } },
      });
      expect(notes.map((n) => n.credit_note)).toContain(code);
      const { data: opened } = await client.POST("/sales/", {
        body: { store_id: sale.store_id, currency_code: "EUR" },
      });
      await client.POST("/sales/add_credit_note/", {
        body: { sale_id: opened.sale_id, credit_note_code: String(code) },
      });
      const { data: after } = await client.GET("/credit_notes/{store_id}", {
        params: { path: { store_id: sale.store_id } },
      });
      expect(after.map((n) => n.credit_note)).not.toContain(code);
    });
  });

  describe("limits", () => {
    it("keeps the client's calls within 30 in flight: none refused", async () => {
      const sb = await start();
      sb.inject({ kind: "delay", ms: 30, times: Infinity, on: { operationId: "getCustomer" } });
      const client = strict(sb);
      const reads = range(1, 80).map((id) =>
        client.GET("/customer/{customers_id}", { params: { path: { customers_id: id } } }),
      );
      expect(await Promise.all(reads)).toHaveLength(80);
      expect(sb.limits!.maxInFlight).toBeLessThanOrEqual(30);
      expect(sb.limits!.maxInFlight).toBeGreaterThan(1);
      expect(sb.requests.every((r) => r.status === 200)).toBe(true);
    });

    it("refuses a 31st call in flight with 429, and takes calls again once they end", async () => {
      const sb = await start();
      sb.inject({ kind: "hang", times: 30, on: { operationId: "listStores" } });
      const hanging = new AbortController();
      const held = range(1, 30).map(() =>
        fetch(`${sb.url}/stores`, {
          headers: { authorization: basic(sb) },
          signal: hanging.signal,
        }).catch(() => undefined),
      );
      await until(() => sb.limits!.inFlight === 30);
      const refused = await call(sb, "GET", "/taxes");
      expect(refused.status).toBe(429);
      expect(refused.json()).toMatchObject({ code: 429, error: "too_many_concurrent_calls" });
      hanging.abort();
      await Promise.all(held);
      await until(() => sb.limits!.inFlight === 0);
      expect((await call(sb, "GET", "/taxes")).status).toBe(200);
      expect(sb.limits!.maxInFlight).toBe(30);
    });

    it("spends the monthly quota on the sandbox's clock: 429 until the month ends", async () => {
      // 23:00 in Paris on 31 January.
      const clock = new ManualClock(Date.UTC(2026, 0, 31, 22));
      const sb = await start({ clock, limits: { monthlyQuota: 5 } });
      const client = clientOf(sb);
      for (let i = 0; i < 5; i++) expect((await client.GET("/stores")).response.status).toBe(200);
      const spent = await client.GET("/stores").catch((e: unknown) => e);
      expect(spent).toBeInstanceOf(QuotaExhaustedError);
      expect(sb.requests).toHaveLength(6); // a 429 is never retried
      expect(sb.limits!.callsThisMonth).toBe(5);
      await clock.advance(60 * 60_000); // midnight in Paris: February
      expect((await client.GET("/stores")).response.status).toBe(200);
      expect(sb.limits!.month).toBe("2026-02");
    });

    it("can start with the month's quota spent, or without limits", async () => {
      const sb = await start({ limits: { quotaExhausted: true } });
      const refused = await call(sb, "GET", "/stores");
      expect(refused.status).toBe(429);
      expect(refused.json()).toMatchObject({ error: "quota_exceeded", code: 429 });
      const free = await startHiboutikSandbox({ validate: true, limits: false });
      others.push(free);
      expect(free.limits).toBeUndefined();
      const client = strict(free);
      await Promise.all(range(1, 40).map(() => client.GET("/stores")));
    });
  });

  describe("requests the description does not allow", () => {
    it("answers 422 naming each violation: a missing field, a wrong type, an unknown field", async () => {
      const sb = await start();
      const missing = await call(sb, "POST", "/sales/", { body: { currency_code: "EUR" } });
      expect(missing.status).toBe(422);
      expect(missing.json().details).toEqual({ store_id: "is required" });
      expect(missing.json().error_description).toMatch(/must have required property 'store_id'/);

      const typed = await call(sb, "POST", "/sales/add_product/", {
        form: { sale_id: "44", product_id: "twelve" },
      });
      expect(typed.status).toBe(422);
      expect(typed.json().details).toEqual({ product_id: "must be integer" });

      const extra = await call(sb, "POST", "/brands/", {
        body: { brand_name: "X", colour: "red" },
      });
      expect(extra.json().details).toEqual({ colour: "is not a field this call takes" });

      const path = await call(sb, "GET", "/sales/forty-four");
      expect(path.status).toBe(422);
      expect(path.json().details).toEqual({ sale_id: "must be integer" });

      const page = await call(sb, "GET", "/customers/?p=0");
      expect(page.json().details).toEqual({ p: "must be >= 1" });

      const route = await call(sb, "GET", "/nothing/here");
      expect(route.status).toBe(404);
      expect(route.json().error_description).toMatch(/\/nothing\/here/);
    });

    it("answers 404 for unknown records, as the vendor does", async () => {
      const sb = await start();
      const client = clientOf(sb);
      const sale = await client
        .one("/sales/{sale_id}", { params: { path: { sale_id: 4444 } } })
        .catch((e: unknown) => e);
      expect(sale).toBeInstanceOf(RecordNotFoundError);
      expect((sale as RecordNotFoundError).status).toBe(404);
      const product = await call(sb, "GET", "/products/9999");
      expect(product.json()).toMatchObject({ code: 404, error_description: "No product 9999" });
    });
  });

  describe("faults", () => {
    it("by the API: a 503 twice (retried), a reset, then the answer", async () => {
      const sb = await start();
      sb.inject({ status: 503, times: 2, on: { operationId: "getCustomer" } });
      sb.inject({ kind: "reset", on: { operationId: "getCustomer" } });
      const client = strict(sb);
      const { data } = await client.GET("/customer/{customers_id}", {
        params: { path: { customers_id: 7 } },
      });
      expect(data[0]?.customers_id).toBe(7);
      expect(sb.requests.map((r) => r.status)).toEqual([503, 503, 0, 200]);
    });

    it("by the X-Sandbox-Fault header, for a sandbox in another process", async () => {
      const sb = await start();
      const unavailable = await call(sb, "GET", "/stores", {
        headers: { "x-sandbox-fault": JSON.stringify({ status: 503 }) },
      });
      expect(unavailable.status).toBe(503);
      expect(unavailable.json()).toMatchObject({ code: 503, error: "service_unavailable" });
      const link = await call(sb, "GET", "/customers/?p=2", {
        headers: {
          "x-sandbox-fault": JSON.stringify({
            kind: "paging-header",
            header: "Link",
            value: "garbage",
          }),
        },
      });
      expect(link.headers.get("link")).toBe("garbage");
      expect(link.headers.get("content-range")).toBe("251-500/2102");
      const empty = await call(sb, "GET", "/customers/?p=2", {
        headers: { "x-sandbox-fault": JSON.stringify({ kind: "empty-page" }) },
      });
      expect(empty.json()).toEqual([]);
      expect(empty.headers.get("content-range")).toBe("251-500/2102");
    });

    it("paging faults end the client's paging with the right PaginationError", async () => {
      const sb = await start();
      const client = clientOf(sb);
      const drain = async (path: "/customers/") => {
        const items: unknown[] = [];
        try {
          for await (const c of client.paginate(path, {}, { concurrency: 1 })) items.push(c);
        } catch (error) {
          return { items, error: error as PaginationError };
        }
        return { items, error: undefined };
      };
      sb.inject({ kind: "paging-header", value: "1-250", on: { operationId: "listCustomers" } });
      expect((await drain("/customers/")).error?.reason).toBe("malformed-header");
      sb.inject({ kind: "paging-ignored", times: Infinity, on: { operationId: "listCustomers" } });
      const ignored = await drain("/customers/");
      expect(ignored.error?.reason).toBe("page-not-advancing");
      expect(ignored.items).toHaveLength(250);
      sb.clearFaults();
      sb.inject({ kind: "empty-page", on: { path: /p=3/ } });
      const empty = await drain("/customers/");
      expect(empty.error?.reason).toBe("empty-page-before-end");
      expect(empty.items).toHaveLength(500);
      // A forged total that would spend the month's quota is refused before any page is asked.
      sb.inject({ kind: "paging-total", value: 250_000_000 });
      const before = sb.requests.length;
      const forged = await drain("/customers/");
      expect(forged.error?.reason).toBe("total-over-cap");
      expect(sb.requests.length - before).toBe(1);
    });
  });

  describe("data", () => {
    it("is the same for the same seed, and another for another seed", async () => {
      const a = await start({ seed: 7 });
      const b = await startHiboutikSandbox({ seed: 7, validate: true });
      const c = await startHiboutikSandbox({ seed: 8, validate: true });
      others.push(b, c);
      const read = async (sb: HiboutikSandbox) =>
        Promise.all(
          ["/sales/44", "/customers/?p=3", "/products/?p=1", "/stock_available/all_wh/"].map(
            async (path) => (await call(sb, "GET", path)).text,
          ),
        );
      const [ra, rb, rc] = await Promise.all([read(a), read(b), read(c)]);
      expect(ra).toEqual(rb);
      for (let i = 0; i < ra.length; i++) expect(rc[i]).not.toEqual(ra[i]);
      expect(a.credentials).toEqual(b.credentials);
      expect(a.credentials.apiKey).not.toEqual(c.credentials.apiKey);
    });

    it("takes the user's own records, checked against the description", async () => {
      const sb = await start({
        data: {
          customers: [
            {
              customers_id: 40,
              last_name: "Lovelace",
              first_name: "Ada",
              email: "ada@example.com",
            },
            {
              customers_id: 41,
              last_name: "Hopper",
              first_name: "Grace",
              email: "grace@example.com",
            },
          ],
          sales: [
            {
              ...(await (async () => {
                const seeded = await startHiboutikSandbox({ size: { sales: 5 } });
                const [sale] = (await call(seeded, "GET", "/sales/5")).json();
                await seeded.close();
                return sale;
              })()),
              sale_id: 77,
              customer_id: 41,
            },
          ],
        },
      });
      const client = strict(sb);
      const customers = await collect(client.paginate("/customers/"), { limit: 10 });
      expect(customers.map((c) => c.last_name)).toEqual(["Lovelace", "Hopper"]);
      const { data: created } = await client.POST("/customers/", {
        body: { customers_last_name: "Turing" },
      });
      expect(created.customers_id).toBe(42);
      const sale = await client.one("/sales/{sale_id}", { params: { path: { sale_id: 77 } } });
      expect(sale.customer_id).toBe(41);
      expect(sale.completed_at).toBe("0000-00-00 00:00:00"); // sale 5 of 5 is one of the open ones
      await client.POST("/sales/close/", { body: { sale_id: 77 } });
      const { data: opened } = await client.POST("/sales/", {
        body: { store_id: 1, currency_code: "EUR" },
      });
      expect(opened.sale_id).toBe(78);

      await expect(
        startHiboutikSandbox({ data: { customers: [{ last_name: "No id" } as never] } }),
      ).rejects.toThrow(/data\.customers\[0\] is not a Customer: .*customers_id/);
    });
  });

  it("installs an app through OAuth: authorize, code, tokens the API accepts, refresh", async () => {
    const clock = new ManualClock(TODAY);
    const sb = await start({
      clock,
      oauth: { redirectUri: "https://app.example/installed", expiresIn: 3600 },
    });
    const oauth = hiboutikOAuth({
      account: "myshop",
      clientId: sb.oauth.clientId,
      clientSecret: sb.oauth.clientSecret,
      oauthUrl: sb.oauth.oauthUrl,
      clock,
    });
    const installed = async () =>
      (await call(sb, "GET", `/apps/installed/${sb.oauth.clientId}`)).json()[sb.oauth.clientId];
    expect(await installed()).toBe(0);
    const { url, state } = oauth.authorizeUrl();
    const redirect = await fetch(url, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const callback = redirect.headers.get("location")!;
    expect(callback.startsWith("https://app.example/installed?")).toBe(true);
    const tokens = await oauth.handleCallback(callback, { expectedState: state });
    expect(await installed()).toBe(1);

    const app = createHiboutikClient(
      { account: "myshop", accessToken: tokens.accessToken },
      { baseUrl: sb.url, throwOnError: true },
    );
    expect((await app.GET("/stores")).data).toHaveLength(2);
    await clock.advance(3_600_000);
    const expired = await app.GET("/stores").catch((e: unknown) => e);
    expect((expired as ApiError<{ code: number }>).body?.code).toBe(1);
    const renewed = await oauth.refreshTokens(tokens.refreshToken!);
    const again = createHiboutikClient(
      { account: "myshop", accessToken: renewed.accessToken },
      { baseUrl: sb.url, throwOnError: true },
    );
    expect((await again.GET("/stores")).response.status).toBe(200);

    // The description also lists the token endpoint under /api: it answers the same grants.
    const basicApp = `Basic ${Buffer.from(`${sb.oauth.clientId}:${sb.oauth.clientSecret}`).toString("base64")}`;
    const viaApi = await call(sb, "POST", "/token.php", {
      headers: { authorization: basicApp },
      form: { grant_type: "refresh_token", refresh_token: renewed.refreshToken! },
    });
    expect(viaApi.status).toBe(200);
    expect(viaApi.json()).toMatchObject({ token_type: "Bearer", scope: "basic_api" });
    const reused = await call(sb, "POST", "/token.php", {
      headers: { authorization: basicApp },
      form: { grant_type: "refresh_token", refresh_token: renewed.refreshToken! },
    });
    expect(reused.status).toBe(422);
    expect(reused.json()).toMatchObject({ error: "invalid_grant" });
  });

  describe("webhooks", () => {
    async function receiver() {
      const got: { path: string; type: string; body: string }[] = [];
      const server: Server = createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
          got.push({ path: req.url ?? "", type: String(req.headers["content-type"]), body });
          res.end("ok");
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        url,
        got,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    }

    it("delivers `sale` when a sale closes, as a bracket-notation form the receiver parses", async () => {
      const sb = await start();
      const hook = await receiver();
      try {
        const client = strict(sb);
        const { data: created } = await client.POST("/webhooks", {
          body: {
            webhook_label: "Sales",
            webhook_url: `${hook.url}/hiboutik/sale`,
            webhook_action: "sale",
            webhook_app_id_int: "MYAPP",
          },
        });
        await client.POST("/webhooks", {
          body: { webhook_url: `${hook.url}/hiboutik/customer`, webhook_action: "customer" },
        });
        const { data: listed } = await client.GET("/webhooks");
        expect(listed.map((w) => [w.webhook_id, w.webhook_action])).toEqual([
          [created.webhook_id, "sale"],
          [created.webhook_id + 1, "customer"],
        ]);
        await client.POST("/sales/close/", { body: { sale_id: 999 } });
        await client.POST("/customers/", { body: { customers_last_name: "Webhook" } });
        await sb.outbox.settled();
        expect(hook.got.map((d) => d.path)).toEqual(["/hiboutik/sale", "/hiboutik/customer"]);
        const [sale, customer] = hook.got;
        expect(sale!.type).toBe("application/x-www-form-urlencoded");
        expect(sale!.body).toMatch(/line_items%5B0%5D%5Bproduct_id%5D=\d+/);
        const payload = parseHiboutikWebhook("sale", sale!.body);
        const read = (await client.GET("/sales/{sale_id}", { params: { path: { sale_id: 999 } } }))
          .data[0]!;
        expect(payload).toMatchObject({
          sale_id: "999",
          order_id: "999",
          unique_sale_id: read.unique_sale_id,
          total: read.total,
          completed_at: "2026-01-12 10:00:00",
        });
        // The payload fits the description's webhook schema, every value as the text sent
        // (coerce converts in place: it gets a copy).
        const doc = loadDescription("hiboutik").doc;
        const checked = schemaChecker(doc).coerce(
          "#/components/schemas/WebhookSalePayload",
          structuredClone(payload),
        );
        expect(checked.violations).toEqual([]);
        expect(parseHiboutikWebhook("customer", customer!.body)).toMatchObject({
          last_name: "Webhook",
        });

        // The same delivery through the project's receiver.
        let received: unknown;
        const handler = hiboutikWebhookHandler({ on: { sale: (p) => void (received = p) } });
        const answer = await handler(
          new Request(`${hook.url}/hiboutik/sale`, {
            method: "POST",
            headers: { "content-type": sale!.type },
            body: sale!.body,
          }),
        );
        expect(answer.status).toBe(200);
        expect(received).toEqual(payload);

        await client.DELETE("/webhooks/{webhook_id}", {
          params: { path: { webhook_id: created.webhook_id } },
        });
        await client.POST("/sales/close/", { body: { sale_id: 998 } });
        await sb.outbox.settled();
        expect(hook.got).toHaveLength(2);
      } finally {
        await hook.close();
      }
    });
  });

  it("stores uploaded product images and serves them", async () => {
    const sb = await start();
    const form = new FormData();
    form.append("image[]", new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }), "a.png");
    form.append("framing_type", "frame");
    const upload = await fetch(`${sb.url}/products_images/5/`, {
      method: "POST",
      headers: { authorization: basic(sb) },
      body: form,
    });
    expect(upload.status).toBe(200);
    const [image] = (await call(sb, "GET", "/products_images/5/")).json();
    const bytes = new Uint8Array(await (await fetch(image.url)).arrayBuffer());
    expect([...bytes]).toEqual([1, 2, 3]);
  });
});

/** Waits (in real time, a few seconds at most) for a condition the sandbox reaches on its own. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
