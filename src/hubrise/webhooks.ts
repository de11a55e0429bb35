// HubRise callbacks (active callbacks POSTed to the connection's URL): verified, parsed and typed
// from the description's `webhooks` section. The signature (X-HubRise-Hmac-SHA256, the hex
// HMAC-SHA256 of the raw body keyed with the client secret) is checked over the exact bytes
// received, before any parsing.
//
// An event is *known* when its `resource_type.event_type` is one of the 12 the description lists
// and it carries what that event's schema requires (`id`, `created_at`, the resource's id fields,
// no state where the schema forbids one); it is then typed by that schema. Anything else that is an
// event object (a pair HubRise added since, or a known pair in another shape) is passed through as
// a `HubriseUnknownEvent`, never refused: refusing (a 4xx) makes HubRise delete the event.
import type { webhooks } from "../../generated/hubrise/schema.js";
import { requireSecretText } from "../core/credentials.js";
import { type ErrorContext, WebhookError } from "../core/errors.js";
import { Secrets } from "../core/redact.js";
import {
  type WebhookHandler,
  type WebhookHooks,
  webhookHandler,
} from "../core/webhooks/handler.js";
import { type HeaderSource, headerValue } from "../core/webhooks/headers.js";
import {
  DEFAULT_MAX_WEBHOOK_BYTES,
  limitOption,
  rawBytes,
  readRawBody,
} from "../core/webhooks/raw-body.js";
import { verifyHubriseSignature } from "./signature.js";

export type { HeaderSource } from "../core/webhooks/headers.js";
export type { WebhookHandler, WebhookHooks } from "../core/webhooks/handler.js";

/** The header HubRise signs each callback with. */
export const HUBRISE_SIGNATURE_HEADER = "X-HubRise-Hmac-SHA256";

/** The events the description lists: `"order.create"`, `"catalog.delete"`, … (12). */
export type HubriseEventName = keyof webhooks;

type Delivered<N extends HubriseEventName> =
  webhooks[N]["post"]["requestBody"]["content"]["application/json"];

/** The event `N` as HubRise sends it: its schema, with `resource_type` and `event_type` fixed. */
export type HubriseEventOf<N extends HubriseEventName> = N extends `${infer R}.${infer E}`
  ? Delivered<N> & { resource_type: R; event_type: E }
  : never;

/**
 * Every event the description knows, discriminated by `resource_type` (and `event_type`):
 * `if (event.resource_type === "order")` gives an order event.
 */
export type HubriseEvent = { [N in HubriseEventName]: HubriseEventOf<N> }[HubriseEventName];

/** An event the description does not know (or not in this shape), as HubRise sent it. */
export interface HubriseUnknownEvent {
  resource_type: string;
  event_type: string;
  [field: string]: unknown;
}

export interface HubriseEventOptions {
  /** The largest body accepted, in bytes (default 1 MiB); a larger one is a `too-large` WebhookError. */
  maxBytes?: number;
}

/**
 * Verifies a callback's signature over its raw body and returns its event: a `HubriseEvent` when
 * the description knows it, a `HubriseUnknownEvent` otherwise (`isKnownHubriseEvent` tells them
 * apart). Rejects with WebhookError: `missing-signature` or `bad-signature` (401), `too-large`
 * (413), `malformed-body` (400: not UTF-8 JSON, or not an event object); with TypeError when the
 * client secret is missing or unusable.
 */
export async function constructHubriseEvent(
  rawBody: string | Uint8Array,
  headers: HeaderSource,
  clientSecret: string,
  options: HubriseEventOptions = {},
): Promise<HubriseEvent | HubriseUnknownEvent> {
  requireSecretText(clientSecret, "clientSecret");
  const ctx = callbackContext(clientSecret);
  const maxBytes = limitOption(options.maxBytes, "maxBytes", DEFAULT_MAX_WEBHOOK_BYTES);
  return constructEvent(rawBytes(rawBody, maxBytes, ctx), headers, clientSecret, ctx);
}

/** Whether an event is one the description knows (then typed by its schema). */
export function isKnownHubriseEvent(
  event: HubriseEvent | HubriseUnknownEvent,
): event is HubriseEvent {
  return knownEventName(event) !== undefined;
}

/** A callback for one event; what it returns is the answer when it is a Response, else 200. */
export type HubriseEventCallback<E> = (event: E, request: Request) => unknown;

export interface HubriseWebhookOptions extends WebhookHooks {
  /** The client secret of the OAuth client that owns the connection (it signs the callbacks). */
  clientSecret: string;
  /** A callback per event; a known event without one is acknowledged (200) and dropped. */
  on: { [N in HubriseEventName]?: HubriseEventCallback<HubriseEventOf<N>> };
  /** Events the description does not know; without it they are acknowledged (200) and dropped. */
  onUnknown?: HubriseEventCallback<HubriseUnknownEvent>;
  /** The largest body accepted, in bytes (default 1 MiB): a larger one is answered 413. */
  maxBytes?: number;
}

/**
 * A `(request: Request) => Promise<Response>` endpoint for HubRise's callbacks. It answers 405 to
 * anything but POST; 401 to a missing or wrong signature, 413 to a body over `maxBytes`, 400 to a
 * body that is not an event (HubRise deletes an event answered 200–499 and does not resend it);
 * 500 when a callback throws, so that HubRise sends the event again (up to 6 attempts over about
 * an hour); the callback's Response when it returns one; 200 otherwise.
 */
export function hubriseWebhookHandler(options: HubriseWebhookOptions): WebhookHandler {
  const clientSecret = requireSecretText(options.clientSecret, "clientSecret");
  const maxBytes = limitOption(options.maxBytes, "maxBytes", DEFAULT_MAX_WEBHOOK_BYTES);
  const on = eventCallbacks(options.on);
  const ctx = callbackContext(clientSecret);
  return webhookHandler(async (request) => {
    // Refused before reading a byte of the body.
    if (headerValue(request.headers, HUBRISE_SIGNATURE_HEADER) === undefined) {
      throw missingSignature(ctx);
    }
    const body = await readRawBody(request, maxBytes, ctx);
    const event = await constructEvent(body, request.headers, clientSecret, ctx);
    const name = knownEventName(event);
    if (name === undefined) return options.onUnknown?.(event, request);
    return on.get(name)?.(event as HubriseEvent, request);
  }, options);
}

// ---- Verification and parsing -------------------------------------------------------------------

const decoder = new TextDecoder("utf-8", { fatal: true });

function callbackContext(clientSecret: string): ErrorContext {
  return {
    vendor: "HubRise",
    operation: "callback",
    secrets: new Secrets([clientSecret]),
  };
}

async function constructEvent(
  body: Uint8Array,
  headers: HeaderSource,
  clientSecret: string,
  ctx: ErrorContext,
): Promise<HubriseEvent | HubriseUnknownEvent> {
  const signature = headerValue(headers, HUBRISE_SIGNATURE_HEADER);
  if (signature === undefined) throw missingSignature(ctx);
  if (!(await verifyHubriseSignature(body, signature, clientSecret))) {
    throw new WebhookError(
      ctx,
      "bad-signature",
      `${HUBRISE_SIGNATURE_HEADER} does not match the body and the client secret`,
    );
  }
  let event: unknown;
  try {
    event = JSON.parse(decoder.decode(body));
  } catch {
    throw new WebhookError(ctx, "malformed-body", "the body is not UTF-8 JSON");
  }
  if (
    !isObject(event) ||
    typeof event.resource_type !== "string" ||
    typeof event.event_type !== "string"
  ) {
    throw new WebhookError(
      ctx,
      "malformed-body",
      "the body is not an event (an object with resource_type and event_type)",
    );
  }
  return event as HubriseUnknownEvent;
}

function missingSignature(ctx: ErrorContext): WebhookError {
  return new WebhookError(ctx, "missing-signature", `no ${HUBRISE_SIGNATURE_HEADER} header`);
}

// ---- What the description knows ----------------------------------------------------------------

type StateField = "new_state" | "previous_state" | "state_change";

/**
 * Per resource, from the description's per-resource event schemas (CatalogEvent, …): its event
 * types, the id fields it requires, and the state fields it never carries.
 */
const RESOURCES: Record<
  string,
  { events: readonly string[]; ids: readonly string[]; noState?: readonly StateField[] }
> = {
  catalog: {
    events: ["create", "update", "delete"],
    ids: ["catalog_id"],
    noState: ["new_state", "previous_state", "state_change"],
  },
  customer: { events: ["create", "update"], ids: ["customer_id", "customer_list_id"] },
  delivery: { events: ["create", "update"], ids: ["order_id", "location_id"] },
  inventory: {
    events: ["patch", "update"],
    ids: ["catalog_id", "location_id"],
    noState: ["new_state", "previous_state"],
  },
  location: { events: ["update"], ids: ["location_id"] },
  order: { events: ["create", "update"], ids: ["order_id", "location_id"] },
};

/** CallbackEvent's text fields: required, and optional (the parents' ids). */
const REQUIRED_TEXT = ["id", "created_at"] as const;
const OPTIONAL_TEXT = [
  "account_id",
  "location_id",
  "catalog_id",
  "customer_list_id",
  "customer_id",
  "order_id",
] as const;

/** The event's name when the description knows it in this shape, else undefined. */
function knownEventName(event: HubriseEvent | HubriseUnknownEvent): HubriseEventName | undefined {
  const { resource_type: resource, event_type: type } = event;
  if (typeof resource !== "string" || !Object.hasOwn(RESOURCES, resource)) return undefined;
  const rule = RESOURCES[resource]!;
  if (typeof type !== "string" || !rule.events.includes(type)) return undefined;
  const fields = event as Record<string, unknown>;
  const text = (name: string) => typeof fields[name] === "string";
  const absentOr = (name: string, ok: (value: unknown) => boolean) =>
    !Object.hasOwn(fields, name) || ok(fields[name]);
  const fits =
    REQUIRED_TEXT.every(text) &&
    rule.ids.every(text) &&
    OPTIONAL_TEXT.every((name) => absentOr(name, (v) => typeof v === "string")) &&
    absentOr("new_state", isObject) &&
    absentOr("previous_state", isObject) &&
    absentOr("state_change", (v) => Array.isArray(v) && v.every(isObject)) &&
    (rule.noState ?? []).every((name) => !Object.hasOwn(fields, name));
  return fits ? (`${resource}.${type}` as HubriseEventName) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The callbacks by event name; a name HubRise does not send is a TypeError (a typo). */
function eventCallbacks(on: HubriseWebhookOptions["on"]) {
  if (!isObject(on)) throw new TypeError("on must be an object of callbacks by event name");
  const callbacks = new Map<string, HubriseEventCallback<HubriseEvent>>();
  for (const [name, callback] of Object.entries(on)) {
    if (callback === undefined) continue;
    const [resource, type] = name.split(".");
    if (!Object.hasOwn(RESOURCES, resource!) || !RESOURCES[resource!]!.events.includes(type!)) {
      throw new TypeError(
        `on: "${name}" is not an event HubRise sends (${Object.entries(RESOURCES)
          .flatMap(([r, { events }]) => events.map((e) => `${r}.${e}`))
          .join(", ")})`,
      );
    }
    if (typeof callback !== "function") throw new TypeError(`on["${name}"] must be a function`);
    callbacks.set(name, callback as HubriseEventCallback<HubriseEvent>);
  }
  return callbacks;
}
