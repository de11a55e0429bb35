// One handler per operation of HubRise's description (96), by operationId.
import { accountHandlers } from "./account.js";
import { callbackHandlers } from "./callback.js";
import { catalogHandlers } from "./catalogs.js";
import type { Handler } from "./common.js";
import { customerHandlers } from "./customers.js";
import { deliveryHandlers } from "./deliveries.js";
import { inventoryHandlers } from "./inventory.js";
import { loyaltyHandlers } from "./loyalty.js";
import { oauthHandlers } from "./oauth.js";
import { orderHandlers } from "./orders.js";

export type { Ctx, Handler, Principal } from "./common.js";

export const hubriseHandlers: Record<string, Handler> = {
  ...accountHandlers,
  ...orderHandlers,
  ...deliveryHandlers,
  ...catalogHandlers,
  ...inventoryHandlers,
  ...customerHandlers,
  ...loyaltyHandlers,
  ...callbackHandlers,
  ...oauthHandlers,
};
