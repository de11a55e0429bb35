// What every group of handlers shares: the context's types, the calling connection, and the
// resolution of HubRise's two path forms (the long `/locations/{location_id}/…` and the short
// `/location/…` bound to the token's location; `/accounts/{account_id}/…` and `/account/…`).
// A location or account of another account is not found (404), as HubRise hides what a token
// cannot see.
import type { HandlerContext, OperationHandler } from "../../../sandbox/server.js";
import type { Connection } from "../callbacks.js";
import type { Location } from "../seed-account.js";
import type { HubriseState } from "../state.js";

/** The calling connection; null for the OAuth server's operations (the client authenticates). */
export type Principal = Connection | null;
export type Ctx = HandlerContext<HubriseState, Principal>;
export type Handler = OperationHandler<HubriseState, Principal>;

export function connectionOf(ctx: Ctx): Connection {
  if (ctx.principal === null) throw new Error(`${ctx.operation.operationId} needs a connection`);
  return ctx.principal;
}

/** The location a request names (`location_id` in its path, else the token's), if it is the account's. */
export function locationOf(ctx: Ctx): Location | undefined {
  const id = (ctx.params.path.location_id as string | undefined) ?? connectionOf(ctx).locationId;
  return ctx.state.locations.find((l) => l.id === id);
}

/** Whether the request's account (`account_id` in its path, else the token's) is the sandbox's. */
export function accountMatches(ctx: Ctx): boolean {
  const id = ctx.params.path.account_id as string | undefined;
  return id === undefined || id === ctx.state.account.id;
}

/** A JSON answer with status 200. */
export const ok = (body?: unknown) =>
  body === undefined ? { status: 200 } : { status: 200, body };

/** The handler's body as the description's schema typed it (the engine checked it). */
export const bodyOf = <T>(ctx: Ctx) => ctx.body as T;
