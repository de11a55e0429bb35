// A consumer of the webhook helpers of `commerce-openapi/hubrise` and `commerce-openapi/hiboutik`
// (resolved through package.json "exports" to dist/): the README's examples, and the mistakes the
// types must reject (each @ts-expect-error: if one stops being an error, the type test fails).
import { createServer } from "node:http";
import { Readable } from "node:stream";
import {
  constructHubriseEvent,
  type HubriseEvent,
  type HubriseEventOf,
  type HubriseSchema,
  type HubriseUnknownEvent,
  hubriseWebhookHandler,
  isKnownHubriseEvent,
  WebhookError,
} from "commerce-openapi/hubrise";
import {
  type HiboutikFormFields,
  type HiboutikWebhookPayload,
  hiboutikWebhookHandler,
  parseHiboutikForm,
  parseHiboutikWebhook,
} from "commerce-openapi/hiboutik";

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T) => undefined;
declare function saveOrder(orderId: string, locationId: string, state: unknown): Promise<void>;

// ---- README: HubRise, a handler for Workers, Deno, Bun (any fetch-style server) -----------------
export const hubriseWorker = {
  fetch: hubriseWebhookHandler({
    clientSecret: process.env.HUBRISE_CLIENT_SECRET!,
    on: {
      "order.create": async (event) => {
        await saveOrder(event.order_id, event.location_id, event.new_state);
      },
      "customer.update": (event) => console.log(event.customer_id, event.new_state),
    },
    onUnknown: (event) => console.warn("new HubRise event", event.resource_type, event.event_type),
    onError: (error) => console.error(error),
  }),
};

// ---- README: HubRise, in any framework ---------------------------------------------------------
export async function onHubriseCallback(rawBody: Uint8Array, headers: Headers): Promise<number> {
  try {
    const event = await constructHubriseEvent(rawBody, headers, process.env.HUBRISE_CLIENT_SECRET!);
    if (!isKnownHubriseEvent(event)) return 200; // an event HubRise added since
    if (event.resource_type === "order") {
      await saveOrder(event.order_id, event.location_id, event.new_state);
    } else if (event.event_type === "patch") {
      console.log(event.catalog_id, event.state_change); // only inventory.patch is a patch
    }
    return 200;
  } catch (error) {
    if (error instanceof WebhookError) return error.status; // 401, 413 or 400
    return 500; // HubRise sends the event again
  }
}

// ---- README: Hiboutik, one URL per webhook_action ----------------------------------------------
export const hiboutikWorker = {
  // https://example.com/hiboutik/sale is a `sale` delivery (the URL's last segment).
  fetch: hiboutikWebhookHandler({
    on: {
      sale: async (sale) => {
        console.log(sale.sale_id, sale.total); // "34", "30.00": every value is the text sent
        for (const line of sale.line_items ?? []) console.log(line.product_id, line.quantity);
      },
      product: (fields) => console.log(fields),
    },
  }),
};

export function onHiboutikSale(body: string): string {
  const sale = parseHiboutikWebhook("sale", body);
  return `${sale.sale_id}: ${sale.store_address?.city ?? ""}`;
}

// ---- README: node:http ---------------------------------------------------------------------------
export function nodeServer() {
  const handle = hubriseWebhookHandler({
    clientSecret: process.env.HUBRISE_CLIENT_SECRET!,
    on: {},
  });
  return createServer(async (req, res) => {
    const post = req.method === "POST"; // anything else is answered 405, its body unread
    const response = await handle(
      new Request(`http://localhost${req.url?.startsWith("/") ? req.url : "/"}`, {
        method: post ? "POST" : "GET",
        headers: req.headers as Record<string, string>,
        body: post ? Readable.toWeb(req) : null,
        duplex: "half",
      } as RequestInit),
    );
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.writeHead(response.status).end(new Uint8Array(await response.arrayBuffer()));
  });
}

// ---- What the types say ------------------------------------------------------------------------
export async function hubriseTypes(
  body: string,
  nodeHeaders: import("node:http").IncomingHttpHeaders,
): Promise<void> {
  const event = await constructHubriseEvent(body, nodeHeaders, "secret");
  assertType<Equals<typeof event, HubriseEvent | HubriseUnknownEvent>>();
  // @ts-expect-error an unknown event is not a described one: check isKnownHubriseEvent first
  const unchecked: HubriseEvent = event;
  void unchecked;
  if (!isKnownHubriseEvent(event)) {
    assertType<Equals<typeof event, HubriseUnknownEvent>>();
    const pair: string = `${event.resource_type}.${event.event_type}`;
    void pair;
    return;
  }
  if (event.resource_type === "order") {
    assertType<
      Equals<typeof event, HubriseEventOf<"order.create"> | HubriseEventOf<"order.update">>
    >();
    const schema: HubriseSchema<"OrderEvent"> = event;
    const orderId: string = event.order_id;
    const type: "create" | "update" = event.event_type;
    void [schema, orderId, type];
    // @ts-expect-error orders are created and updated, never deleted
    if (event.event_type === "delete") return;
    // @ts-expect-error an id is text
    const id: number = event.order_id;
    void id;
    if (event.event_type === "create") {
      assertType<Equals<typeof event, HubriseEventOf<"order.create">>>();
    }
  }
  if (event.event_type === "delete") {
    assertType<Equals<typeof event, HubriseEventOf<"catalog.delete">>>();
    // @ts-expect-error catalog events carry no state
    console.log(event.new_state.name);
  }
  if (event.resource_type === "customer") {
    const listId: string = event.customer_list_id;
    // @ts-expect-error a customer event has no location the description knows of
    const locationId: string = event.location_id;
    void [listId, locationId];
  }
  // @ts-expect-error HubRise has no "location.delete" event
  const wrong: HubriseEventOf<"location.delete"> = event;
  void wrong;

  hubriseWebhookHandler({
    clientSecret: "secret",
    on: {
      "inventory.patch": (e) => console.log(e.state_change?.length),
      // @ts-expect-error a callback gets its own event: a location update is not an order's
      "location.update": (e: HubriseEventOf<"order.update">) => e.order_id,
    },
  });
  hubriseWebhookHandler({
    clientSecret: "secret",
    // @ts-expect-error "order.created" is not an event HubRise sends
    on: { "order.created": () => undefined },
  });
  // @ts-expect-error the client secret is required
  hubriseWebhookHandler({ on: {} });
}

export function hiboutikTypes(body: string, params: URLSearchParams, bytes: Uint8Array): void {
  const sale = parseHiboutikWebhook("sale", body);
  assertType<Equals<typeof sale, HiboutikWebhookPayload<"sale">>>();
  const saleId: string = sale.sale_id;
  const quantity: string | undefined = sale.line_items?.[0]?.quantity;
  const warehouse: string | undefined = sale.line_items?.[0]?.stock_available?.[0]?.warehouse_id;
  const tags: string | HiboutikFormFields[] | undefined = sale.sale_tags;
  void [saleId, quantity, warehouse, tags];
  // @ts-expect-error a form carries text: sale_id is "34", not 34
  const numeric: number = sale.sale_id;
  // @ts-expect-error so does a line's tax_value (a number in the JSON reads)
  const rate: number | undefined = sale.line_items?.[0]?.tax_value;
  void [numeric, rate];

  const product = parseHiboutikWebhook("product", params);
  const fields: HiboutikFormFields = product;
  void fields;
  const form: HiboutikFormFields = parseHiboutikForm(bytes, { maxBytes: 65_536 });
  void form;
  // @ts-expect-error "sales" is not a webhook the description lists
  parseHiboutikWebhook("sales", body);

  hiboutikWebhookHandler({
    event: "sale",
    on: {
      sale: (s) => s.total,
      // @ts-expect-error a sale_item payload is not documented: no typed field to rely on
      sale_item: (s: HiboutikWebhookPayload<"sale">) => s.sale_id,
    },
  });
  hiboutikWebhookHandler({
    // @ts-expect-error "invoice" is not a webhook the description lists (use onUnknown)
    on: { invoice: () => undefined },
  });
}
