// Restaurant: sending a sale line to the kitchen screens, the cooking stations, the open tables
// (open sales at a table), rooms and resources (tables), and printing free text on a store's
// receipt printer (kept in `state.printed`, for tests to read).
import { unprocessable } from "../errors.js";
import { money } from "../format.js";
import { findLine, isOpen, saleTotals } from "../sales.js";
import { bodyOf, done, findStore, type Handler, int, nowLocal, ok, text } from "./common.js";

export const restaurantHandlers: Record<string, Handler> = {
  sendLineItemToKitchen(ctx) {
    const id = int(bodyOf(ctx), "item_id");
    if (!findLine(ctx.state, id)) return unprocessable({ item_id: `no sale line ${id}` });
    ctx.state.kitchen.push(id);
    return done();
  },

  listCookingStations: (ctx) => ok(ctx.state.cookingStations),

  listOpenTables(ctx) {
    const rows = ctx.state.sales.values((s) => isOpen(s) && s.ressource_id !== 0);
    return ok(
      Array.from(rows, (s) => ({
        sale_id: s.sale_id,
        store_id: s.store_id,
        ressource_id: s.ressource_id,
        ressource_name: String(
          ctx.state.ressources.find((r) => r.ressource_id === s.ressource_id)?.ressource_name ?? "",
        ),
        guests_number: s.guests_number,
        created_at: s.created_at,
        total: money(saleTotals(s).gross),
      })),
    );
  },

  listRooms: (ctx) => ok(ctx.state.rooms),
  listRessources: (ctx) => ok(ctx.state.ressources),

  printMisc(ctx) {
    const body = bodyOf(ctx);
    const storeId = int(body, "store_id");
    if (!findStore(ctx.state, storeId)) return unprocessable({ store_id: `no store ${storeId}` });
    ctx.state.printed.push({
      store_id: storeId,
      ip_address: text(body, "ip_address") ?? "",
      data: text(body, "data") ?? "",
      at: nowLocal(ctx),
    });
    if (ctx.state.printed.length > 1_000) ctx.state.printed.shift();
    return done();
  },
};
