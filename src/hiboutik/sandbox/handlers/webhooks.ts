// Webhook subscriptions: list, create (200 with `webhook_id`), delete. Several webhooks may exist
// for one event; each gets the deliveries of its `webhook_action` (see ../webhooks.ts).
import { notFound, unprocessable } from "../errors.js";
import { bodyOf, done, type Handler, int, ok, pathInt, text } from "./common.js";

export const webhookHandlers: Record<string, Handler> = {
  listWebhooks: (ctx) => ok(ctx.state.webhooks.map(({ webhook_async: _, ...webhook }) => webhook)),

  /**
   * `webhook_url` (an absolute http(s) URL) and `webhook_action` are required here (GAP: the
   * vendor documents no mandatory field; a webhook without them could never be delivered).
   */
  createWebhook(ctx) {
    const { state } = ctx;
    const body = bodyOf(ctx);
    const url = text(body, "webhook_url") ?? "";
    let valid = false;
    try {
      valid = ["http:", "https:"].includes(new URL(url).protocol);
    } catch {
      valid = false;
    }
    if (!valid) return unprocessable({ webhook_url: "is required: an absolute http(s) URL" });
    const action = text(body, "webhook_action") ?? "";
    if (action === "") return unprocessable({ webhook_action: "is required (sale, customer, …)" });
    const id = state.next.webhook++;
    state.webhooks.push({
      webhook_id: id,
      webhook_label: text(body, "webhook_label") ?? "",
      webhook_url: url,
      webhook_action: action,
      webhook_app_id_int: text(body, "webhook_app_id_int") ?? "",
      webhook_async: int(body, "webhook_async"),
    });
    return ok({ webhook_id: id });
  },

  deleteWebhook(ctx) {
    const id = pathInt(ctx, "webhook_id");
    const index = ctx.state.webhooks.findIndex((w) => w.webhook_id === id);
    if (index < 0) return notFound(`No webhook ${id}`);
    ctx.state.webhooks.splice(index, 1);
    return done();
  },
};
