// One handler per operation of Hike's description, by resource group.
import { productHandlers } from "./products.js";
import { recordHandlers } from "./records.js";
import { saleHandlers } from "./sales.js";
import type { HikeHandler } from "./state.js";

export const handlers: Record<string, HikeHandler> = {
  ...productHandlers,
  ...saleHandlers,
  ...recordHandlers,
  // The token endpoint is the OAuth server's, wherever the request reaches it (the engine serves
  // it at /oauth/token through `routes`: the description gives it its own server, the origin).
  requestOAuthToken: (ctx) => ctx.state.auth.tokenEndpoint(ctx),
};
