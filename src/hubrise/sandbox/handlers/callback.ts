// The connection's callback and its events (Callbacks documentation): one callback per connection,
// created or replaced by POST (`url` null or left out: a passive callback, polled), `{"url": null,
// "events": {}}` when there is none; events wait in `GET /callback/events` (without their states;
// the sandbox lists them oldest first, an order HubRise does not document) until deleted, and
// `GET /callback/events/{id}` gives one with its states. Deleting the callback drops its waiting
// events (the sandbox's choice: HubRise does not say).
import type { HubriseSchema } from "../../index.js";
import { notFound } from "../errors.js";
import type { CallbackEvent } from "../callbacks.js";
import { collectionPager, listAnswer } from "../paging.js";
import { bodyOf, connectionOf, type Handler, ok } from "./common.js";

type CallbackCreate = HubriseSchema<"CallbackCreate">;

const withoutStates = ({
  new_state: _n,
  previous_state: _p,
  state_change: _s,
  ...event
}: CallbackEvent) => event;

export const callbackHandlers: Record<string, Handler> = {
  getCallback: (ctx) => ok(connectionOf(ctx).callback ?? { url: null, events: {} }),
  createOrReplaceCallback(ctx) {
    const body = bodyOf<CallbackCreate>(ctx);
    connectionOf(ctx).callback = { url: body.url ?? null, events: body.events };
    return ok();
  },
  deleteCallback(ctx) {
    const connection = connectionOf(ctx);
    connection.callback = undefined;
    for (const event of [...connection.events.values()]) connection.events.delete(event.id);
    return ok();
  },
  listCallbackEvents: (ctx) =>
    listAnswer(ctx, collectionPager(connectionOf(ctx).events), withoutStates),
  getCallbackEvent(ctx) {
    const event = connectionOf(ctx).events.get(ctx.params.path.event_id as string);
    return event ? ok(event) : notFound();
  },
  deleteCallbackEvent(ctx) {
    return connectionOf(ctx).events.delete(ctx.params.path.event_id as string) ? ok() : notFound();
  },
};
