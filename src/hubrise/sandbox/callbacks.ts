// HubRise's callbacks (Callbacks documentation) for every connection of the sandbox: a connection
// (one access token) has at most one callback, `{ url, events }`. When the state changes, each
// connection whose callback listens to that `resource.event` gets the event — except those of the
// app that caused it ("a client never receives events it caused itself"; the sandbox's own token
// and the tokens its OAuth server issues are one app's): a sandbox test makes a change with the
// other app's token (`credentials.otherAccessToken`, a POS on the same location) to see its own
// callback called. Events wait in the connection's list (`GET /callback/events`) until
// acknowledged; with a URL each is POSTed there, signed with the client secret in
// X-HubRise-Hmac-SHA256 (the hex HMAC-SHA256 of the raw body), through an Outbox. An answer from
// 200 to 499 acknowledges it; a 5xx, no answer or one later than 20 s is retried after 1, 2, 4, 8,
// 16 and 32 minutes of the sandbox's clock, then the event is dropped.
import { createHmac } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import { Collection } from "../../sandbox/collection.js";
import { type Delivery, Outbox } from "../../sandbox/outbox.js";
import type { SchemaChecker } from "../../sandbox/schemas.js";
import type { HubriseSchema } from "../index.js";
import { hubriseTime } from "./format.js";
import type { IdSpace } from "./ids.js";
import type { RateWindows } from "./limits.js";

export type CallbackEvent = HubriseSchema<"CallbackEvent">;
export type CallbackRegistration = HubriseSchema<"Callback">;
export type ResourceType = CallbackEvent["resource_type"];
export type EventType = CallbackEvent["event_type"];

/** One access token's view of HubRise: its callback, its pending events, its rate-limit windows. */
export interface Connection {
  /** `primary`, `other`, or `oauth-<n>`: a name for logs and tests, never the token. */
  name: string;
  /** The app (OAuth client) the connection belongs to: orders it creates say `created_by` this. */
  clientName: string;
  /** The location the token is bound to (the short paths `/location/...`). */
  locationId: string;
  callback: CallbackRegistration | undefined;
  events: Collection<CallbackEvent>;
  windows: RateWindows | undefined;
}

/** What a state change says, before it has an id and a time. */
export interface EventDraft {
  resource_type: ResourceType;
  event_type: EventType;
  account_id?: string;
  location_id?: string;
  catalog_id?: string;
  customer_list_id?: string;
  customer_id?: string;
  order_id?: string;
  new_state?: object;
  previous_state?: object;
  state_change?: object[];
}

const SIGNATURE_HEADER = "X-HubRise-Hmac-SHA256";
/** Events a connection keeps waiting (a passive callback nobody polls): the newest ones. */
const MAX_WAITING_EVENTS = 10_000;
const RETRY_WAITS_MIN = [1, 2, 4, 8, 16, 32];
const SCHEMAS: Record<string, string> = {
  catalog: "CatalogEvent",
  customer: "CustomerEvent",
  delivery: "DeliveryEvent",
  inventory: "InventoryEvent",
  location: "LocationEvent",
  order: "OrderEvent",
};

export interface CallbackHubOptions {
  clientSecret: string;
  clock: Clock;
  ids: IdSpace;
  timeZone: string;
  /** Deliver an app's own changes to its connections too (HubRise does not). Default false. */
  ownEvents: boolean;
  schemas: SchemaChecker;
}

export class CallbackHub {
  readonly #options: CallbackHubOptions;
  readonly #tokens = new Map<string, Connection>();
  readonly #cancels = new Set<() => void>();
  readonly #sending = new Set<Promise<void>>();
  readonly outbox = new Outbox({ timeoutMs: 20_000 });
  /** Where an event that does not fit the description's webhook schema is logged (the server's). */
  violations: string[] = [];

  constructor(options: CallbackHubOptions) {
    this.#options = options;
  }

  connection(token: string): Connection | undefined {
    return this.#tokens.get(token);
  }

  /** Registers the connection of a token (the sandbox's own, or one issued by its OAuth server). */
  addConnection(token: string, connection: Omit<Connection, "callback" | "events">): Connection {
    const added: Connection = {
      ...connection,
      callback: undefined,
      events: Collection.of((e) => e.id),
    };
    this.#tokens.set(token, added);
    return added;
  }

  get connections(): Connection[] {
    return [...this.#tokens.values()];
  }

  /** A state change: an event for every other connection listening to it. */
  emit(source: Connection | undefined, draft: EventDraft): void {
    const { clock, ids, timeZone, ownEvents } = this.#options;
    for (const connection of this.#tokens.values()) {
      if (source && connection.clientName === source.clientName && !ownEvents) continue;
      const listened = connection.callback?.events[draft.resource_type] as string[] | undefined;
      if (!listened?.includes(draft.event_type)) continue;
      const event = {
        id: ids.fresh(),
        ...draft,
        created_at: hubriseTime(clock.now(), timeZone),
      } as CallbackEvent;
      const schema = SCHEMAS[event.resource_type];
      const wrong = schema
        ? this.#options.schemas.check(`#/components/schemas/${schema}`, event)
        : [];
      if (wrong.length > 0) {
        this.violations.push(
          `callback ${event.resource_type}.${event.event_type}: ${wrong.map((v) => `${v.at || "/"} ${v.message}`).join("; ")}`,
        );
      }
      connection.events.insert(event);
      if (connection.events.size > MAX_WAITING_EVENTS) {
        const oldest = connection.events.values().next();
        if (!oldest.done) connection.events.delete(oldest.value.id);
      }
      if (connection.callback?.url) this.#track(this.#send(connection, event, 0));
    }
  }

  /** The body HubRise POSTs, signed; resolves to the receiver's answer. */
  post(url: string, event: Record<string, unknown>): Promise<Delivery> {
    const body = JSON.stringify(event);
    const signature = createHmac("sha256", this.#options.clientSecret).update(body).digest("hex");
    return this.outbox.post(url, body, {
      "Content-Type": "application/json",
      [SIGNATURE_HEADER]: signature,
    });
  }

  async #send(connection: Connection, event: CallbackEvent, attempt: number): Promise<void> {
    const url = connection.callback?.url;
    if (!url || !connection.events.has(event.id)) return;
    const delivery = await this.post(url, event);
    const status = delivery.status;
    if (status !== undefined && status >= 200 && status < 500) {
      connection.events.delete(event.id);
      return;
    }
    const wait = RETRY_WAITS_MIN[attempt];
    if (wait === undefined) {
      connection.events.delete(event.id);
      return;
    }
    const cancel = this.#options.clock.setTimeout(() => {
      this.#cancels.delete(cancel);
      this.#track(this.#send(connection, event, attempt + 1));
    }, wait * 60_000);
    this.#cancels.add(cancel);
  }

  #track(sending: Promise<void>): void {
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
  }

  /**
   * Resolves when every delivery under way has been answered and its event acknowledged or its
   * retry scheduled (retries still to come, on the sandbox's clock, aside).
   */
  async settled(): Promise<void> {
    while (this.#sending.size > 0) await Promise.all(this.#sending);
    await this.outbox.settled();
  }

  async close(): Promise<void> {
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
    await this.outbox.close();
  }
}
