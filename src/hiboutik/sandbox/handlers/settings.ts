// Stores and settings, apps and the rest: stores, warehouses, VAT rates, payment types (ESP, CB and
// CHE enabled on every store; others enabled with `POST /payment_types`), users, the app
// installation check, the token endpoint as the description also lists it, subscriptions, action
// links and the demo reset.
import { Collection } from "../../../sandbox/collection.js";
import { errorResponse, notFound, unprocessable } from "../errors.js";
import type { Customer, PaymentType, Product, SaleRecord } from "../records.js";
import {
  bodyOf,
  done,
  findStore,
  type Handler,
  int,
  ok,
  pathInt,
  pathText,
  text,
} from "./common.js";

export const settingsHandlers: Record<string, Handler> = {
  listStores: (ctx) => ok(ctx.state.stores),
  listWarehouses: (ctx) => ok(ctx.state.warehouses),
  listTaxes: (ctx) => ok(ctx.state.taxes),
  listUsers: (ctx) => ok(ctx.state.users),

  listPaymentTypes(ctx) {
    const storeId = pathInt(ctx, "store_id");
    if (!findStore(ctx.state, storeId)) return notFound(`No store ${storeId}`);
    return ok(ctx.state.paymentTypes.get(storeId) ?? []);
  },

  /**
   * Enables a payment type (the body is not documented, GAP): `payment_type` (the code, required
   * here), and optionally `store_id` (default: every store), `currency`, `open_drawer`,
   * `accounting_account`. An existing code is enabled again.
   */
  createPaymentType(ctx) {
    const body = bodyOf(ctx);
    const code = text(body, "payment_type")?.trim();
    if (!code) return unprocessable({ payment_type: "is required (the payment type's code)" });
    if (code === "DIV") {
      return unprocessable({ payment_type: "DIV is the split payment, not a payment type" });
    }
    const storeId = int(body, "store_id");
    if (storeId !== 0 && !findStore(ctx.state, storeId)) {
      return unprocessable({ store_id: `no store ${storeId}` });
    }
    for (const store of ctx.state.stores) {
      if (storeId !== 0 && store.store_id !== storeId) continue;
      const types = ctx.state.paymentTypes.get(store.store_id) ?? [];
      const existing = types.find((t) => t.payment_type === code);
      const type: PaymentType = existing ?? { payment_type: code };
      type.currency = text(body, "currency") ?? String(store.store_default_currency ?? "EUR");
      type.enabled = 1;
      type.accounting_account = text(body, "accounting_account") ?? type.accounting_account ?? "";
      type.open_drawer = int(body, "open_drawer", Number(type.open_drawer ?? 0)) === 1 ? 1 : 0;
      if (!existing) types.push(type);
      ctx.state.paymentTypes.set(store.store_id, types);
    }
    return done();
  },

  /** `{"<client_id>": 1}` once the app has been installed (a code or a token issued), else 0. */
  getAppInstallation(ctx) {
    const clientId = pathText(ctx, "client_id");
    const installed = clientId === ctx.state.oauthClientId && ctx.state.oauth.issued.length > 0;
    return ok({ [clientId]: installed ? 1 : 0 });
  },

  /**
   * The token endpoint lives at `/oauth_api/token.php` (served there by the OAuth server); the
   * description lists it among the API's operations, so `/api/token.php` answers the same grants,
   * with its errors in the API's error body (an OAuth 400 as the 422 the description documents).
   */
  createOAuthToken(ctx) {
    const url = new URL(ctx.url);
    url.pathname = `${ctx.state.oauth.path}/token.php`;
    const route = ctx.state.oauth.route({
      method: ctx.method,
      target: url.pathname + url.search,
      url,
      path: url.pathname,
      headers: ctx.headers,
      rawBody: ctx.rawBody,
    });
    const answer = route?.() ?? { status: 404 };
    if (answer.status === 200) return answer;
    const error = String(
      (answer.body as { error?: unknown } | undefined)?.error ?? "invalid_request",
    );
    return errorResponse(answer.status === 400 ? 422 : answer.status, `OAuth error: ${error}`, {
      error,
      code: answer.status,
    });
  },

  listSubscriptions: (ctx) => ok(ctx.state.subscriptions),

  createActionLink(ctx) {
    ctx.state.actionLinks.push({ ...bodyOf(ctx) });
    return done();
  },

  /**
   * Erases data of a demo account as `reset_action` says (measured for `sales_and_products`: sales,
   * products and the till go, payment types, VAT rates and stores stay; the others as their names
   * say). An account that is not a demo answers 403 (GAP: the vendor does not document that answer).
   */
  resetDemoAccount(ctx) {
    const { state } = ctx;
    if (!state.demo) {
      return errorResponse(403, "This call works only while the account is in demo mode");
    }
    const action = text(bodyOf(ctx), "reset_action");
    const emptySales = () => {
      state.sales = Collection.of<SaleRecord>((s) => String(s.sale_id));
      state.seededSales = 0;
      state.lineOwner.clear();
      state.paymentOwner.clear();
      state.receiptCounters.clear();
      state.creditNotes = [];
      state.returns = [];
    };
    const emptyStock = () => {
      state.stockChanges.clear();
      state.stockBase = () => 0;
    };
    switch (action) {
      case "sales_and_products":
        emptySales();
        state.products = Collection.of<Product>((p) => String(p.product_id));
        state.till = [];
        emptyStock();
        break;
      case "sales_keep_stock":
        emptySales();
        break;
      case "sales_and_stock":
        emptySales();
        emptyStock();
        break;
      case "clients":
        state.customers = Collection.of<Customer>((c) => String(c.customers_id));
        break;
      default:
        emptySales();
        state.products = Collection.of<Product>((p) => String(p.product_id));
        state.customers = Collection.of<Customer>((c) => String(c.customers_id));
        state.till = [];
        emptyStock();
    }
    return done();
  },
};
