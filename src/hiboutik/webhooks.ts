// Hiboutik webhooks: form bodies (application/x-www-form-urlencoded, nested data in PHP bracket
// notation) decoded into nested objects and arrays whose every value is the text that was sent, and
// typed by the description's `webhooks` section. Hiboutik documents NO signature: nothing here (or
// anywhere) can prove a delivery comes from Hiboutik. Keep the URL unguessable, and read the record
// back through the API (`GET /sales/{sale_id}`) before acting on what a delivery says.
//
// A payload does not say which event it is: an app registers one URL per `webhook_action`, so the
// caller says (`parseHiboutikWebhook("sale", body)`), and the handler reads it from the URL.
import type { webhooks } from "../../generated/hiboutik/schema.js";
import { type ErrorContext, WebhookError } from "../core/errors.js";
import { NO_SECRETS } from "../core/redact.js";
import {
  type FormFields,
  type FormInput,
  type FormLimits,
  type FormValue,
  parseBracketForm,
} from "../core/webhooks/bracket-form.js";
import { type FormShape, shapeMismatch, textFields } from "../core/webhooks/form-shape.js";
import {
  textResponse,
  type WebhookHandler,
  type WebhookHooks,
  webhookHandler,
} from "../core/webhooks/handler.js";
import { DEFAULT_MAX_WEBHOOK_BYTES, limitOption, readRawBody } from "../core/webhooks/raw-body.js";

export type { WebhookHandler, WebhookHooks } from "../core/webhooks/handler.js";

/** The webhooks the description lists (`webhook_action` values): `"sale"`, `"product"`, … (9). */
export type HiboutikWebhookEvent = keyof webhooks;

/** A decoded form value: text, or a list or an object of them. */
export type HiboutikFormValue = FormValue;
/** A decoded form body: its top-level fields. */
export type HiboutikFormFields = FormFields;

/**
 * A schema's type as a form delivers it: every scalar is text (`sale_id: string`, `total: string`,
 * flags `"0"`/`"1"`), lists and objects keep their shape, open objects hold any form value.
 */
export type HiboutikFormText<T> = unknown extends T
  ? HiboutikFormValue
  : T extends undefined
    ? T
    : T extends readonly (infer Item)[]
      ? HiboutikFormText<Item>[]
      : T extends object
        ? { [K in keyof T]: HiboutikFormText<T[K]> }
        : string;

/** The payload of webhook `E` as delivered: its schema with every scalar as text. */
export type HiboutikWebhookPayload<E extends HiboutikWebhookEvent> = HiboutikFormText<
  webhooks[E]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
>;

export interface HiboutikFormOptions {
  /** The largest body, in bytes (default 1 MiB): larger is a `too-large` WebhookError (413). */
  maxBytes?: number;
  /** The most `[…]` groups in a field name (default 8, at most 64): deeper is `malformed-body` (400). */
  maxDepth?: number;
  /** The most fields in a body (default 20,000): more is `too-large` (413). */
  maxFields?: number;
}

/**
 * Decodes a form body in PHP bracket notation (`line_items[0][product_id]=30` → `{ line_items: [{
 * product_id: "30" }] }`), every value kept as the text sent. For events the description does not
 * list. Throws WebhookError `too-large` or `malformed-body` past the limits.
 */
export function parseHiboutikForm(
  rawBody: FormInput,
  options: HiboutikFormOptions = {},
): HiboutikFormFields {
  return parseBracketForm(rawBody, formLimits(options), webhookContext(undefined));
}

/**
 * Decodes the body of webhook `event` (the `webhook_action` its URL was registered for) and checks
 * that it has the shape the description gives that event: required fields present, declared fields
 * text, lists or objects as declared (fields it does not declare may hold anything). Returns it
 * typed; throws WebhookError `malformed-body` (400) when it does not fit, `too-large` (413) past
 * the limits; TypeError for an event the description does not list (use `parseHiboutikForm`).
 */
export function parseHiboutikWebhook<E extends HiboutikWebhookEvent>(
  event: E,
  rawBody: FormInput,
  options: HiboutikFormOptions = {},
): HiboutikWebhookPayload<E> {
  if (!isWebhookEvent(event)) {
    throw new TypeError(
      `event must be one of the webhooks Hiboutik describes (${EVENTS.join(", ")}); decode others with parseHiboutikForm`,
    );
  }
  const ctx = webhookContext(event);
  const fields = parseBracketForm(rawBody, formLimits(options), ctx);
  const wrong = shapeMismatch(fields, SHAPES[event]);
  if (wrong !== undefined) throw notDescribed(ctx, event, wrong);
  return fields as HiboutikWebhookPayload<E>;
}

/** A callback for one webhook; what it returns is the answer when it is a Response, else 200. */
export type HiboutikWebhookCallback<P> = (payload: P, request: Request) => unknown;

export interface HiboutikWebhookOptions extends WebhookHooks, HiboutikFormOptions {
  /** A callback per webhook event. */
  on: { [E in HiboutikWebhookEvent]?: HiboutikWebhookCallback<HiboutikWebhookPayload<E>> };
  /**
   * Which event a delivery is: one event for every request, or a function of the request
   * (undefined: no webhook here, answered 404). Default: the last segment of the URL's path
   * (`https://example.com/hiboutik/sale` is a `sale` delivery).
   */
  event?: string | ((request: Request) => string | undefined);
  /**
   * Deliveries of an event without a callback in `on` (one the description does not list, say),
   * and deliveries whose form is not the shape the description gives their event, with the
   * decoded form. Without it the first are answered 404, the second 400.
   */
  onUnknown?: (fields: HiboutikFormFields, event: string, request: Request) => unknown;
}

/**
 * A `(request: Request) => Promise<Response>` endpoint for Hiboutik's webhooks. It answers 405 to
 * anything but POST; 404 when the event has no callback (and no `onUnknown`); 400 to a body that
 * is not a form (another Content-Type) or not its event's shape, 413 past the limits; 500 when a
 * callback throws (whether Hiboutik retries is not documented); the callback's Response when it
 * returns one; 200 otherwise. There is no signature to check: Hiboutik documents none.
 */
export function hiboutikWebhookHandler(options: HiboutikWebhookOptions): WebhookHandler {
  const limits = formLimits(options);
  const on = webhookCallbacks(options.on);
  const eventOf = eventResolver(options.event);
  if (typeof options.event === "string" && !on.has(options.event) && !options.onUnknown) {
    throw new TypeError(`event is "${options.event}" but on has no callback for it`);
  }
  return webhookHandler(async (request) => {
    const event = eventOf(request);
    const callback = event === undefined ? undefined : on.get(event);
    if (event === undefined || (callback === undefined && options.onUnknown === undefined)) {
      return textResponse(404, "no webhook here");
    }
    const ctx = webhookContext(isWebhookEvent(event) ? event : undefined);
    const mediaType = request.headers.get("content-type")?.split(";")[0]!.trim().toLowerCase();
    if (mediaType !== undefined && mediaType !== "application/x-www-form-urlencoded") {
      throw new WebhookError(
        ctx,
        "malformed-body",
        "the body is not application/x-www-form-urlencoded",
      );
    }
    const fields = parseBracketForm(await readRawBody(request, limits.maxBytes, ctx), limits, ctx);
    if (callback !== undefined) {
      const wrong = shapeMismatch(fields, SHAPES[event as HiboutikWebhookEvent]);
      if (wrong === undefined) return callback(fields, request);
      if (options.onUnknown === undefined) throw notDescribed(ctx, event, wrong);
    }
    return options.onUnknown!(fields, event, request);
  }, options);
}

// ---- Limits, context, routing -------------------------------------------------------------------

const DEFAULT_MAX_DEPTH = 8;
const DEFAULT_MAX_FIELDS = 20_000;

function formLimits(options: HiboutikFormOptions): FormLimits {
  return {
    maxBytes: limitOption(options.maxBytes, "maxBytes", DEFAULT_MAX_WEBHOOK_BYTES),
    maxDepth: Math.min(limitOption(options.maxDepth, "maxDepth", DEFAULT_MAX_DEPTH), 64),
    maxFields: limitOption(options.maxFields, "maxFields", DEFAULT_MAX_FIELDS),
  };
}

function webhookContext(event: HiboutikWebhookEvent | undefined): ErrorContext {
  return {
    vendor: "Hiboutik",
    operation: event === undefined ? "webhook" : `webhook ${event}`,
    secrets: NO_SECRETS,
  };
}

function notDescribed(ctx: ErrorContext, event: string, path: string): WebhookError {
  return new WebhookError(
    ctx,
    "malformed-body",
    `${path} is not what the description gives the ${event} webhook`,
  );
}

function eventResolver(
  event: HiboutikWebhookOptions["event"],
): (request: Request) => string | undefined {
  if (typeof event === "string") {
    if (event === "") throw new TypeError("event is empty");
    return () => event;
  }
  if (typeof event === "function") return event;
  if (event !== undefined) throw new TypeError("event must be a string or a function");
  return (request) => {
    const segments = new URL(request.url).pathname.split("/").filter((s) => s !== "");
    return segments.at(-1);
  };
}

function webhookCallbacks(on: HiboutikWebhookOptions["on"]) {
  if (typeof on !== "object" || on === null) {
    throw new TypeError("on must be an object of callbacks by webhook event");
  }
  const callbacks = new Map<string, HiboutikWebhookCallback<HiboutikFormFields>>();
  for (const [event, callback] of Object.entries(on)) {
    if (callback === undefined) continue;
    if (!isWebhookEvent(event)) {
      throw new TypeError(
        `on: "${event}" is not a webhook the description lists (${EVENTS.join(", ")}); handle others with onUnknown`,
      );
    }
    if (typeof callback !== "function") throw new TypeError(`on["${event}"] must be a function`);
    callbacks.set(event, callback as HiboutikWebhookCallback<HiboutikFormFields>);
  }
  return callbacks;
}

function isWebhookEvent(event: unknown): event is HiboutikWebhookEvent {
  return typeof event === "string" && Object.hasOwn(SHAPES, event);
}

// ---- What the description says each payload is --------------------------------------------------

/** An undocumented list's items, or an undocumented payload: an object holding anything. */
const OPEN: FormShape = { fields: {} };
/** Empty text when there is none, else a list whose items are not documented. */
const TEXT_OR_LIST: FormShape = { oneOf: ["text", { list: OPEN }] };

/** WebhookSalePayload and the schemas it nests. */
const SALE: FormShape = {
  required: ["sale_id"],
  fields: {
    ...textFields(
      "order_id sale_id unique_order_id unique_sale_id shop_id store_id warehouse_id vendor_id " +
        "user_id vendor_last_name vendor_first_name customer_id date_time created_at completed_at " +
        "invoice_id currency total billing_address shipping_address payment payment_ext " +
        "payment_accounting_account without_taxes prices_without_taxes ressource_id points " +
        "sale_ext_ref service_charge guests_number takeaway shipping_ref customs_duty vat_number " +
        "eu_vat_code date_z sale_key quotation sale_misc sale_num_fac sale_conditions " +
        "sale_language pickup_date pickup_date_utc nth_closed_store cash_tendered account_status " +
        "closed_day completed_at_date created_at_date completed_at_yyyymmddhhmmss " +
        "created_at_date_yyyy created_at_date_mm created_at_date_dd created_at_date_hh " +
        "created_at_date_min created_at_date_ss completed_at_date_yyyy completed_at_date_mm " +
        "completed_at_date_dd completed_at_date_hh completed_at_date_min completed_at_date_ss " +
        "date_z_yyyy date_z_mm date_z_dd pickup_date_yyyy pickup_date_mm pickup_date_dd " +
        "pickup_date_hh pickup_date_min pickup_date_ss current_date current_date_yyyy " +
        "current_date_mm current_date_dd sale_total_net sale_total_tax sale_total_gross " +
        "sale_total_quantity sale_total_discount_net sale_total_discount_tax " +
        "sale_total_discount_gross sale_total_net_wo_discount sale_total_gross_wo_discount " +
        "taxes_conc logo_account url_receipt url_qrcode hiboutik_version",
    ),
    line_items: {
      list: {
        fields: {
          ...textFields(
            "line_item_id detail_commande_id product_id product_size quantity product_price " +
              "product_currency vat package points discount stock_withdrawal credit_note " +
              "credit_note_id product_comments serial_number line_item_id_return date_return " +
              "kitchen_pos product_supply_price item_unit_net_wo_discount " +
              "item_unit_gross_wo_discount item_unit_discount_net item_unit_discount_gross " +
              "item_unit_net item_unit_tax item_unit_gross item_discount_net item_discount_tax " +
              "item_discount_gross item_discount_percentage item_discount_percentage_round_0 " +
              "item_total_net item_total_gross item_total_tax tax_label tax_value product_model " +
              "product_model_short product_barcode product_brand product_supplier " +
              "product_category category_name product_size_type size_name product_package " +
              "product_stock_management product_supplier_reference product_desc " +
              "storage_location product_arch products_ref_ext product_display_www " +
              "accounting_account misc_date misc_decimal misc_int misc_varchar misc_varchar2 " +
              "misc_text multiple multiple_quantity multiple_product_price modifiers_conc",
          ),
          tags: TEXT_OR_LIST,
          modifiers: TEXT_OR_LIST,
          stock_available: {
            list: { fields: textFields("warehouse_id stock_available inventory_alert") },
          },
        },
      },
    },
    taxes: {
      list: {
        fields: textFields(
          "tax_value tax_value_p tax_label tax_accounting_account total_net total_vat " +
            "total_gross tax_letter_id",
        ),
      },
    },
    sale_tags: TEXT_OR_LIST,
    store_address: {
      fields: textFields(
        "company address zippostal_code city country tax_number company_number legal_status " +
          "code_naf email phone iban",
      ),
    },
  },
};

/** Every webhook the description lists, with its payload's shape (undocumented payloads: open). */
const SHAPES: Record<HiboutikWebhookEvent, FormShape> = {
  sale: SALE,
  sale_item: OPEN,
  payment: OPEN,
  customer: OPEN,
  store_credit: OPEN,
  product: OPEN,
  stock_order: OPEN,
  timestamp: OPEN,
  schedule: OPEN,
};

const EVENTS = Object.keys(SHAPES);
