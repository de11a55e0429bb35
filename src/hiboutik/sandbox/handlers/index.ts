// Every operation of the description, by operationId, with its handler.
import { customerHandlers } from "./customers.js";
import type { Handler } from "./common.js";
import { productHandlers } from "./products.js";
import { reportHandlers } from "./reports.js";
import { restaurantHandlers } from "./restaurant.js";
import { saleHandlers } from "./sales.js";
import { settingsHandlers } from "./settings.js";
import { stockHandlers } from "./stock.js";
import { webhookHandlers } from "./webhooks.js";

export const handlers: Record<string, Handler> = {
  ...settingsHandlers,
  ...productHandlers,
  ...stockHandlers,
  ...customerHandlers,
  ...saleHandlers,
  ...reportHandlers,
  ...restaurantHandlers,
  ...webhookHandlers,
};

export type { Ctx, Handler, HiboutikPrincipal } from "./common.js";
